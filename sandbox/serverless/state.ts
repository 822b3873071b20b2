import { randomInt } from 'node:crypto';
import type { Clock } from '../clock';
import type { DeployedFile, DeployedSite, FunctionLogLine, SiteSource, Visibility } from '../edge/site';
import { badRequest, resourceNotFound } from '../http/errors';
import { newSid } from '../sids';
import { checkDependencies, type Dependency } from './dependencies';
import {
  MAX_BUILD_FUNCTION_VERSIONS,
  MAX_BUILD_PRIVATE_ASSET_VERSIONS,
  MAX_BUILD_PUBLIC_ASSET_VERSIONS,
  MAX_DOMAIN_SUFFIX,
  MAX_ENVIRONMENT_UNIQUE_NAME,
  MAX_ENVIRONMENTS,
  MAX_FRIENDLY_NAME,
  MAX_LOGS_PER_ENVIRONMENT,
  MAX_PRIVATE_ASSET_BYTES,
  MAX_PUBLIC_ASSET_BYTES,
  MAX_SERVICE_UNIQUE_NAME,
  MAX_SERVICES,
  MAX_VARIABLE_KEY_CHARS,
  MAX_VARIABLE_VALUE_BYTES,
} from './limits';
import type {
  BuildRecord,
  DeploymentRecord,
  EnvironmentRecord,
  FileKind,
  FileRecord,
  LogRecord,
  ServiceRecord,
  VariableRecord,
  VersionRecord,
} from './records';

/** The visibilities the spec's enums list (function_version_enum_visibility, asset_version_enum_visibility). */
const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'private'];

/** "A URL-friendly name" (the spec's DomainSuffix): letters, digits and hyphens. */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Twilio's domain for deployed Functions and Assets. */
// https://www.twilio.com/docs/serverless/api ("https://[service unique name]-[random characters]-[optional domain suffix].twil.io/")
const DEPLOY_DOMAIN = 'twil.io';

/** Validation the spec describes but names no error code for: Twilio's generic 20001 (invalid parameter). */
function invalid(message: string): Error {
  return badRequest(20001, message);
}

/**
 * Two Versions at one path (a Function and an Asset, two Functions) make a build no runtime can
 * serve (@twilio/runtime-handler throws "Duplicate. Path /x already exists"). No Twilio page we
 * found names the answer, so it is Twilio's generic 20001, refused at the request; the nearest
 * refusal found is 20001 "Different Asset Versions for same Asset. Conflicting SIDs: ZN… and ZN…"
 * (https://github.com/twilio-labs/serverless-toolkit/issues/469).
 */
function refuseDuplicatePaths(versions: readonly VersionRecord[]): void {
  const byPath = new Map<string, VersionRecord>();
  for (const version of versions) {
    const other = byPath.get(version.path);
    if (other) throw invalid(`Different Versions for the same path ${version.path}. Conflicting SIDs: ${other.sid} and ${version.sid}`);
    byPath.set(version.path, version);
  }
}

function requireText(value: string | null, name: string, max: number): string {
  if (value === null || value === '') throw invalid(`Missing required parameter ${name} in the post body`);
  if ([...value].length > max) throw invalid(`${name} must be ${max} characters or less`);
  return value;
}

export interface ServiceInit {
  uniqueName: string | null;
  friendlyName: string | null;
  includeCredentials?: boolean;
  uiEditable?: boolean;
}

export interface VersionInit {
  path: string | null;
  visibility: string | null;
  content: Buffer | undefined;
}

export interface BuildInit {
  functionVersions: string[];
  assetVersions: string[];
  dependencies: Dependency[];
  runtime: string;
}

export interface LogFilter {
  functionSid?: string;
  start: number;
  end: number;
}

/**
 * The account's Serverless resources, and the edge's view of them (`SiteSource`): which
 * deployment a domain serves, with the environment's Variables as they are now.
 */
export class ServerlessState implements SiteSource {
  private readonly services = new Map<string, ServiceRecord>();
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    readonly accountSid: string,
    /** Where the sandbox writes a line (a failed build's reason goes there too). */
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The sandbox clock's now (Logs' default window ends here). */
  now(): number {
    return this.clock.now();
  }

  // --- Services -------------------------------------------------------------------------------

  createService(init: ServiceInit): ServiceRecord {
    const uniqueName = requireText(init.uniqueName, 'UniqueName', MAX_SERVICE_UNIQUE_NAME);
    const friendlyName = requireText(init.friendlyName, 'FriendlyName', MAX_FRIENDLY_NAME);
    if (!DOMAIN_LABEL.test(uniqueName)) throw invalid(`UniqueName ${uniqueName} must be URL-friendly (letters, digits, hyphens)`);
    if (this.findService(uniqueName)) throw invalid(`Service with UniqueName ${uniqueName} already exists`);
    // https://www.twilio.com/docs/runtime/functions-assets-api ("An account can have 10 services")
    if (this.services.size >= MAX_SERVICES) throw invalid(`An account can have ${MAX_SERVICES} services`);
    const now = this.clock.now();
    const service: ServiceRecord = {
      sid: newSid('ZS'),
      uniqueName,
      friendlyName,
      includeCredentials: init.includeCredentials ?? true, // "The default value is `true`" (spec)
      uiEditable: init.uiEditable ?? false, // "The default value is `false`" (spec)
      domainBase: this.freshDomainBase(uniqueName),
      environments: new Map(),
      functions: new Map(),
      assets: new Map(),
      builds: new Map(),
      nextSeq: 0,
      seq: ++this.seq,
      dateCreated: now,
      dateUpdated: now,
    };
    this.services.set(service.sid, service);
    return service;
  }

  /** `<unique name>-<4 digits>`, not used by another service. */
  private freshDomainBase(uniqueName: string): string {
    const taken = new Set([...this.services.values()].map((s) => s.domainBase));
    for (;;) {
      const candidate = `${uniqueName.toLowerCase()}-${randomInt(1000, 10000)}`;
      if (!taken.has(candidate)) return candidate;
    }
  }

  updateService(
    service: ServiceRecord,
    changes: { friendlyName?: string | null; includeCredentials?: boolean; uiEditable?: boolean },
  ): void {
    if (changes.friendlyName != null) service.friendlyName = requireText(changes.friendlyName, 'FriendlyName', MAX_FRIENDLY_NAME);
    if (changes.includeCredentials !== undefined) service.includeCredentials = changes.includeCredentials;
    if (changes.uiEditable !== undefined) service.uiEditable = changes.uiEditable;
    service.dateUpdated = this.clock.now();
  }

  deleteService(service: ServiceRecord): void {
    this.services.delete(service.sid);
  }

  listServices(): ServiceRecord[] {
    return [...this.services.values()];
  }

  private findService(sidOrUniqueName: string): ServiceRecord | undefined {
    return this.services.get(sidOrUniqueName) ?? [...this.services.values()].find((s) => s.uniqueName === sidOrUniqueName);
  }

  /** By SID or unique name (the spec: "It can be used as an alternative to the `sid` in the URL path"). */
  service(sidOrUniqueName: string): ServiceRecord {
    const service = this.findService(sidOrUniqueName);
    if (!service) throw resourceNotFound(`/Services/${sidOrUniqueName}`);
    return service;
  }

  // --- Environments ---------------------------------------------------------------------------

  createEnvironment(service: ServiceRecord, init: { uniqueName: string | null; domainSuffix: string | null }): EnvironmentRecord {
    const uniqueName = requireText(init.uniqueName, 'UniqueName', MAX_ENVIRONMENT_UNIQUE_NAME);
    const suffix = init.domainSuffix === null || init.domainSuffix === '' ? null : init.domainSuffix.toLowerCase();
    if (suffix !== null && (suffix.length > MAX_DOMAIN_SUFFIX || !DOMAIN_LABEL.test(suffix))) {
      throw invalid(`DomainSuffix must be URL-friendly and ${MAX_DOMAIN_SUFFIX} characters or less`);
    }
    const envs = [...service.environments.values()];
    if (envs.some((e) => e.uniqueName === uniqueName)) throw invalid(`Environment with UniqueName ${uniqueName} already exists`);
    if (envs.some((e) => e.domainSuffix === suffix)) throw invalid(`Environment with DomainSuffix ${suffix ?? '(none)'} already exists`);
    // https://www.twilio.com/docs/runtime/functions-assets-api ("A service can have up to 25 environments")
    if (envs.length >= MAX_ENVIRONMENTS) throw invalid(`A service can have up to ${MAX_ENVIRONMENTS} environments`);
    const now = this.clock.now();
    const env: EnvironmentRecord = {
      sid: newSid('ZE'),
      serviceSid: service.sid,
      uniqueName,
      domainSuffix: suffix,
      domainName: `${service.domainBase}${suffix === null ? '' : `-${suffix}`}.${DEPLOY_DOMAIN}`,
      deployment: null,
      deployments: [],
      variables: new Map(),
      logs: [],
      seq: ++service.nextSeq,
      dateCreated: now,
      dateUpdated: now,
    };
    service.environments.set(env.sid, env);
    return env;
  }

  environment(service: ServiceRecord, sid: string): EnvironmentRecord {
    const env = service.environments.get(sid);
    if (!env) throw resourceNotFound(`/Services/${service.sid}/Environments/${sid}`);
    return env;
  }

  deleteEnvironment(service: ServiceRecord, env: EnvironmentRecord): void {
    service.environments.delete(env.sid);
  }

  // --- Functions and Assets, and their Versions -----------------------------------------------

  createFile(service: ServiceRecord, kind: FileKind, friendlyName: string | null): FileRecord {
    const now = this.clock.now();
    const file: FileRecord = {
      kind,
      sid: newSid('ZH'),
      serviceSid: service.sid,
      friendlyName: requireText(friendlyName, 'FriendlyName', MAX_FRIENDLY_NAME),
      versions: new Map(),
      seq: ++service.nextSeq,
      dateCreated: now,
      dateUpdated: now,
    };
    this.filesOf(service, kind).set(file.sid, file);
    return file;
  }

  filesOf(service: ServiceRecord, kind: FileKind): Map<string, FileRecord> {
    return kind === 'function' ? service.functions : service.assets;
  }

  file(service: ServiceRecord, kind: FileKind, sid: string): FileRecord {
    const file = this.filesOf(service, kind).get(sid);
    if (!file) throw resourceNotFound(`/Services/${service.sid}/${kind === 'function' ? 'Functions' : 'Assets'}/${sid}`);
    return file;
  }

  renameFile(file: FileRecord, friendlyName: string | null): void {
    file.friendlyName = requireText(friendlyName, 'FriendlyName', MAX_FRIENDLY_NAME);
    file.dateUpdated = this.clock.now();
  }

  deleteFile(service: ServiceRecord, file: FileRecord): void {
    this.filesOf(service, file.kind).delete(file.sid);
  }

  /**
   * A new Version of a Function or Asset, as uploaded to serverless-upload. Assets are bounded by
   * visibility (25 MB public/protected, 10 MB private: limits.ts).
   */
  createVersion(service: ServiceRecord, file: FileRecord, init: VersionInit): VersionRecord {
    const path = requireText(init.path, 'Path', 255);
    if (!path.startsWith('/')) throw invalid(`Path must start with "/": ${path}`);
    const visibility = VISIBILITIES.find((v) => v === init.visibility);
    if (!visibility) throw invalid(`Visibility must be one of ${VISIBILITIES.join(', ')} (got ${String(init.visibility)})`);
    if (init.content === undefined) throw invalid('Missing required parameter Content in the post body');
    if (file.kind === 'asset') {
      const max = visibility === 'private' ? MAX_PRIVATE_ASSET_BYTES : MAX_PUBLIC_ASSET_BYTES;
      // https://www.twilio.com/docs/runtime/functions-assets-api (Asset maximum size by type)
      if (init.content.length > max) throw invalid(`A ${visibility} Asset Version can be at most ${max / (1024 * 1024)} MB`);
    }
    const version: VersionRecord = {
      kind: file.kind,
      sid: newSid('ZN'),
      serviceSid: service.sid,
      parentSid: file.sid,
      path,
      visibility,
      content: Buffer.from(init.content),
      seq: ++service.nextSeq,
      dateCreated: this.clock.now(),
      dateUpdated: this.clock.now(),
    };
    file.versions.set(version.sid, version);
    return version;
  }

  version(file: FileRecord, sid: string): VersionRecord {
    const version = file.versions.get(sid);
    if (!version)
      throw resourceNotFound(
        `/Services/${file.serviceSid}/${file.kind === 'function' ? 'Functions' : 'Assets'}/${file.sid}/Versions/${sid}`,
      );
    return version;
  }

  private findVersion(service: ServiceRecord, kind: FileKind, sid: string): VersionRecord {
    for (const file of this.filesOf(service, kind).values()) {
      const version = file.versions.get(sid);
      if (version) return version;
    }
    throw invalid(`${kind === 'function' ? 'Function' : 'Asset'} Version ${sid} not found in Service ${service.sid}`);
  }

  // --- Builds ---------------------------------------------------------------------------------

  /**
   * A new Build, `building` in the answer to its creation; it settles (completed or failed) when
   * it is next read. Counts and dependencies are refused at the request.
   */
  createBuild(service: ServiceRecord, init: BuildInit): BuildRecord {
    const functionVersions = init.functionVersions.map((sid) => this.findVersion(service, 'function', sid));
    const assetVersions = init.assetVersions.map((sid) => this.findVersion(service, 'asset', sid));
    // "At least one function version or asset version is required." (the spec's CreateBuild)
    if (functionVersions.length + assetVersions.length === 0) throw invalid('At least one function version or asset version is required');
    const privateAssets = assetVersions.filter((v) => v.visibility === 'private').length;
    // https://www.twilio.com/docs/runtime/functions-assets-api (Limits, per build)
    if (functionVersions.length > MAX_BUILD_FUNCTION_VERSIONS) {
      throw invalid(`A build can contain up to ${MAX_BUILD_FUNCTION_VERSIONS} Function versions`);
    }
    if (assetVersions.length - privateAssets > MAX_BUILD_PUBLIC_ASSET_VERSIONS) {
      throw invalid(`A build can contain up to ${MAX_BUILD_PUBLIC_ASSET_VERSIONS} public/protected asset versions`);
    }
    if (privateAssets > MAX_BUILD_PRIVATE_ASSET_VERSIONS) {
      throw invalid(`A build can contain up to ${MAX_BUILD_PRIVATE_ASSET_VERSIONS} private asset versions`);
    }
    refuseDuplicatePaths([...functionVersions, ...assetVersions]);
    const checked = checkDependencies(init.dependencies, init.runtime);
    const now = this.clock.now();
    const build: BuildRecord = {
      sid: newSid('ZB'),
      serviceSid: service.sid,
      functionVersions,
      assetVersions,
      dependencies: checked.dependencies,
      runtime: init.runtime,
      status: 'building',
      outcome: checked.ok ? { status: 'completed' } : { status: 'failed', reason: checked.reason },
      seq: ++service.nextSeq,
      dateCreated: now,
      dateUpdated: now,
    };
    service.builds.set(build.sid, build);
    return build;
  }

  private settle(build: BuildRecord): BuildRecord {
    if (build.status !== 'building') return build;
    build.status = build.outcome.status;
    build.dateUpdated = this.clock.now();
    if (build.outcome.status === 'failed') this.log(`serverless: build ${build.sid} failed: ${build.outcome.reason}`);
    return build;
  }

  build(service: ServiceRecord, sid: string): BuildRecord {
    const build = service.builds.get(sid);
    if (!build) throw resourceNotFound(`/Services/${service.sid}/Builds/${sid}`);
    return this.settle(build);
  }

  listBuilds(service: ServiceRecord): BuildRecord[] {
    return [...service.builds.values()].map((b) => this.settle(b));
  }

  /** The runtime of the service's newest Build that succeeded (what a Build without `Runtime` gets), if any. */
  lastSuccessfulRuntime(service: ServiceRecord): string | undefined {
    const succeeded = [...service.builds.values()].filter((b) => b.outcome.status === 'completed');
    return succeeded.reduce<BuildRecord | undefined>((last, b) => (last && last.seq > b.seq ? last : b), undefined)?.runtime;
  }

  deleteBuild(service: ServiceRecord, build: BuildRecord): void {
    const active = [...service.environments.values()].some((e) => e.deployment?.buildSid === build.sid);
    if (active) throw invalid(`Build ${build.sid} is deployed in an environment`);
    service.builds.delete(build.sid);
  }

  // --- Deployments ----------------------------------------------------------------------------

  /** Activates a completed build in an environment: its domain serves it from now on. */
  deploy(service: ServiceRecord, env: EnvironmentRecord, buildSid: string | null): DeploymentRecord {
    if (buildSid === null || buildSid === '') throw invalid('Missing required parameter BuildSid in the post body');
    const build = service.builds.get(buildSid);
    if (!build) throw invalid(`Build ${buildSid} not found in Service ${service.sid}`);
    if (this.settle(build).status !== 'completed') throw invalid(`Build ${buildSid} is ${build.status}, not completed`);
    const now = this.clock.now();
    const deployment: DeploymentRecord = {
      sid: newSid('ZD'),
      serviceSid: service.sid,
      environmentSid: env.sid,
      buildSid: build.sid,
      seq: ++service.nextSeq,
      dateCreated: now,
      dateUpdated: now,
    };
    env.deployments.push(deployment);
    env.deployment = deployment;
    env.dateUpdated = now;
    return deployment;
  }

  deployment(env: EnvironmentRecord, sid: string): DeploymentRecord {
    const deployment = env.deployments.find((d) => d.sid === sid);
    if (!deployment) throw resourceNotFound(`/Services/${env.serviceSid}/Environments/${env.sid}/Deployments/${sid}`);
    return deployment;
  }

  // --- Variables ------------------------------------------------------------------------------

  private checkVariable(env: EnvironmentRecord, key: string, value: string, except?: VariableRecord): void {
    // https://www.twilio.com/docs/serverless/api/resource/variable (Key: 128 characters, Value: 450 bytes)
    if ([...key].length > MAX_VARIABLE_KEY_CHARS) throw invalid(`Key can be a maximum of ${MAX_VARIABLE_KEY_CHARS} characters`);
    if (Buffer.byteLength(value, 'utf8') > MAX_VARIABLE_VALUE_BYTES) {
      throw invalid(`Value can be a maximum of ${MAX_VARIABLE_VALUE_BYTES} bytes in size`);
    }
    const clash = [...env.variables.values()].some((v) => v.key === key && v !== except);
    if (clash) throw invalid(`Variable with Key ${key} already exists`);
  }

  createVariable(env: EnvironmentRecord, key: string | null, value: string | null): VariableRecord {
    const k = requireText(key, 'Key', MAX_VARIABLE_KEY_CHARS);
    if (value === null) throw invalid('Missing required parameter Value in the post body');
    this.checkVariable(env, k, value);
    const now = this.clock.now();
    const variable: VariableRecord = {
      sid: newSid('ZV'),
      serviceSid: env.serviceSid,
      environmentSid: env.sid,
      key: k,
      value,
      seq: env.variables.size === 0 ? 1 : Math.max(...[...env.variables.values()].map((v) => v.seq)) + 1,
      dateCreated: now,
      dateUpdated: now,
    };
    env.variables.set(variable.sid, variable);
    return variable;
  }

  updateVariable(env: EnvironmentRecord, variable: VariableRecord, key: string | null, value: string | null): void {
    const nextKey = key === null || key === '' ? variable.key : key;
    const nextValue = value ?? variable.value;
    this.checkVariable(env, nextKey, nextValue, variable);
    variable.key = nextKey;
    variable.value = nextValue;
    variable.dateUpdated = this.clock.now();
  }

  variable(env: EnvironmentRecord, sid: string): VariableRecord {
    const variable = env.variables.get(sid);
    if (!variable) throw resourceNotFound(`/Services/${env.serviceSid}/Environments/${env.sid}/Variables/${sid}`);
    return variable;
  }

  deleteVariable(env: EnvironmentRecord, variable: VariableRecord): void {
    env.variables.delete(variable.sid);
  }

  // --- Logs -----------------------------------------------------------------------------------

  /** Newest first, between `start` and `end`, of one Function when asked. */
  logs(env: EnvironmentRecord, filter: LogFilter): LogRecord[] {
    return env.logs
      .filter((l) => l.dateCreated >= filter.start && l.dateCreated <= filter.end)
      .filter((l) => filter.functionSid === undefined || l.functionSid === filter.functionSid)
      .reverse();
  }

  logEntry(env: EnvironmentRecord, sid: string): LogRecord {
    const log = env.logs.find((l) => l.sid === sid);
    if (!log) throw resourceNotFound(`/Services/${env.serviceSid}/Environments/${env.sid}/Logs/${sid}`);
    return log;
  }

  // --- The edge's view (SiteSource) -----------------------------------------------------------

  private environmentByDomain(domain: string): EnvironmentRecord | undefined {
    const wanted = domain.toLowerCase();
    for (const service of this.services.values()) {
      for (const env of service.environments.values()) if (env.domainName === wanted) return env;
    }
    return undefined;
  }

  siteFor(domain: string): DeployedSite | undefined {
    const env = this.environmentByDomain(domain);
    const deployment = env?.deployment;
    if (!env || !deployment) return undefined;
    const service = this.services.get(env.serviceSid);
    const build = service?.builds.get(deployment.buildSid);
    if (!service || !build) return undefined;
    const file = (v: VersionRecord): DeployedFile => ({ path: v.path, visibility: v.visibility, content: v.content, sid: v.parentSid });
    return {
      domain: env.domainName,
      accountSid: this.accountSid,
      serviceSid: service.sid,
      environmentSid: env.sid,
      buildSid: build.sid,
      deploymentSid: deployment.sid,
      runtime: build.runtime,
      dependencies: Object.fromEntries(build.dependencies.map((d) => [d.name, d.version])),
      functions: build.functionVersions.map(file),
      assets: build.assetVersions.map(file),
      variables: Object.fromEntries([...env.variables.values()].map((v) => [v.key, v.value])),
      includeCredentials: service.includeCredentials,
    };
  }

  appendLog(site: DeployedSite, line: FunctionLogLine): void {
    const env = this.services.get(site.serviceSid)?.environments.get(site.environmentSid);
    if (!env) return; // the environment was deleted while the Function ran
    env.logs.push({
      seq: (env.logs[env.logs.length - 1]?.seq ?? 0) + 1,
      sid: newSid('NO'),
      serviceSid: site.serviceSid,
      environmentSid: site.environmentSid,
      buildSid: site.buildSid,
      deploymentSid: site.deploymentSid,
      functionSid: line.functionSid,
      requestSid: line.requestSid,
      level: line.level,
      message: line.message,
      dateCreated: this.clock.now(),
    });
    if (env.logs.length > MAX_LOGS_PER_ENVIRONMENT) env.logs.splice(0, env.logs.length - MAX_LOGS_PER_ENVIRONMENT);
  }
}
