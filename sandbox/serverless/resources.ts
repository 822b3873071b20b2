// The Serverless v1 resources as the API serializes them (twilio_serverless_v1.json's schemas).
import { iso8601 } from '../dates';
import {
  buildUrl,
  environmentUrl,
  fileUrl,
  serviceUrl,
  type BuildRecord,
  type DeploymentRecord,
  type EnvironmentRecord,
  type FileRecord,
  type LogRecord,
  type ServiceRecord,
  type VariableRecord,
  type VersionRecord,
  versionUrl,
} from './records';

type Resource = Record<string, unknown>;

export function serviceResource(accountSid: string, s: ServiceRecord): Resource {
  const url = serviceUrl(s.sid);
  return {
    sid: s.sid,
    account_sid: accountSid,
    friendly_name: s.friendlyName,
    unique_name: s.uniqueName,
    include_credentials: s.includeCredentials,
    ui_editable: s.uiEditable,
    domain_base: s.domainBase,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    url,
    links: { environments: `${url}/Environments`, functions: `${url}/Functions`, assets: `${url}/Assets`, builds: `${url}/Builds` },
  };
}

export function environmentResource(accountSid: string, e: EnvironmentRecord): Resource {
  const url = environmentUrl(e);
  return {
    sid: e.sid,
    account_sid: accountSid,
    service_sid: e.serviceSid,
    build_sid: e.deployment?.buildSid ?? null,
    unique_name: e.uniqueName,
    domain_suffix: e.domainSuffix,
    domain_name: e.domainName,
    date_created: iso8601(e.dateCreated),
    date_updated: iso8601(e.dateUpdated),
    url,
    links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
  };
}

/** A Function or an Asset (the two schemas have the same fields). */
export function fileResource(accountSid: string, f: FileRecord): Resource {
  const url = fileUrl(f);
  return {
    sid: f.sid,
    account_sid: accountSid,
    service_sid: f.serviceSid,
    friendly_name: f.friendlyName,
    date_created: iso8601(f.dateCreated),
    date_updated: iso8601(f.dateUpdated),
    url,
    links: { [f.kind === 'function' ? 'function_versions' : 'asset_versions']: `${url}/Versions` },
  };
}

/** A Function Version (with its Content link) or an Asset Version. */
export function versionResource(accountSid: string, v: VersionRecord): Resource {
  const url = versionUrl(v);
  const common = {
    sid: v.sid,
    account_sid: accountSid,
    service_sid: v.serviceSid,
    [v.kind === 'function' ? 'function_sid' : 'asset_sid']: v.parentSid,
    path: v.path,
    visibility: v.visibility,
    date_created: iso8601(v.dateCreated),
    url,
  };
  return v.kind === 'function' ? { ...common, links: { function_version_content: `${url}/Content` } } : common;
}

/** GET …/Functions/ZH…/Versions/ZN…/Content: the uploaded code as text. */
export function functionVersionContentResource(accountSid: string, v: VersionRecord): Resource {
  return {
    sid: v.sid,
    account_sid: accountSid,
    service_sid: v.serviceSid,
    function_sid: v.parentSid,
    content: v.content.toString('utf8'),
    url: `${versionUrl(v)}/Content`,
  };
}

/**
 * A Version as a Build lists it: the spec's Build example shows these fields, with the
 * visibility in capitals (`"visibility": "PUBLIC"`).
 */
function buildVersionEntry(accountSid: string, v: VersionRecord): Resource {
  return {
    sid: v.sid,
    account_sid: accountSid,
    service_sid: v.serviceSid,
    [v.kind === 'function' ? 'function_sid' : 'asset_sid']: v.parentSid,
    date_created: iso8601(v.dateCreated),
    path: v.path,
    visibility: v.visibility.toUpperCase(),
  };
}

export function buildResource(accountSid: string, b: BuildRecord): Resource {
  const url = buildUrl(b);
  return {
    sid: b.sid,
    account_sid: accountSid,
    service_sid: b.serviceSid,
    asset_versions: b.assetVersions.map((v) => buildVersionEntry(accountSid, v)),
    function_versions: b.functionVersions.map((v) => buildVersionEntry(accountSid, v)),
    dependencies: b.dependencies.map((d) => ({ name: d.name, version: d.version })),
    runtime: b.runtime,
    status: b.status,
    date_created: iso8601(b.dateCreated),
    date_updated: iso8601(b.dateUpdated),
    url,
    links: { build_status: `${url}/Status` },
  };
}

export function buildStatusResource(accountSid: string, b: BuildRecord): Resource {
  return { sid: b.sid, account_sid: accountSid, service_sid: b.serviceSid, status: b.status, url: `${buildUrl(b)}/Status` };
}

export function deploymentResource(accountSid: string, d: DeploymentRecord): Resource {
  return {
    sid: d.sid,
    account_sid: accountSid,
    service_sid: d.serviceSid,
    environment_sid: d.environmentSid,
    build_sid: d.buildSid,
    date_created: iso8601(d.dateCreated),
    date_updated: iso8601(d.dateUpdated),
    url: `${environmentUrl({ serviceSid: d.serviceSid, sid: d.environmentSid })}/Deployments/${d.sid}`,
  };
}

export function variableResource(accountSid: string, v: VariableRecord): Resource {
  return {
    sid: v.sid,
    account_sid: accountSid,
    service_sid: v.serviceSid,
    environment_sid: v.environmentSid,
    key: v.key,
    value: v.value,
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
    url: `${environmentUrl({ serviceSid: v.serviceSid, sid: v.environmentSid })}/Variables/${v.sid}`,
  };
}

export function logResource(accountSid: string, l: LogRecord): Resource {
  return {
    sid: l.sid,
    account_sid: accountSid,
    service_sid: l.serviceSid,
    environment_sid: l.environmentSid,
    build_sid: l.buildSid,
    deployment_sid: l.deploymentSid,
    function_sid: l.functionSid,
    request_sid: l.requestSid,
    level: l.level,
    message: l.message,
    date_created: iso8601(l.dateCreated),
    url: `${environmentUrl({ serviceSid: l.serviceSid, sid: l.environmentSid })}/Logs/${l.sid}`,
  };
}
