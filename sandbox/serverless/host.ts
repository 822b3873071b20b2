import { badRequest } from '../http/errors';
import { boolParam } from '../http/form';
import { listEnvelopeV1, readPageRequest, slicePage, pickFilters } from '../http/paging';
import { json, noContent, Router, type ApiRequest, type ApiResponse, type TwilioHost } from '../http/router';
import { parseDependencies, readRuntime } from './dependencies';
import { MAX_PAGE_SIZE, MAX_UPLOAD_BODY_BYTES } from './limits';
import { multipartBoundary, parseMultipart } from './multipart';
import { environmentUrl, fileUrl, SERVERLESS_BASE_URL, serviceUrl, type FileKind } from './records';
import {
  buildResource,
  buildStatusResource,
  deploymentResource,
  environmentResource,
  fileResource,
  functionVersionContentResource,
  logResource,
  serviceResource,
  variableResource,
  versionResource,
} from './resources';
import type { ServerlessState } from './state';

/** Creation-order paging: the cursor is the resource's sequence number. */
function bySeq<T extends { seq: number }>(item: T, cursor: string): number {
  return item.seq - Number(cursor);
}

/** One page of `items` (in list order) in the v1 envelope under `key`. */
function page<T extends { seq: number }>(
  req: ApiRequest,
  key: string,
  url: string,
  items: readonly T[],
  serialize: (item: T) => Record<string, unknown>,
  filterNames: readonly string[] = [],
  compare: (item: T, cursor: string) => number = bySeq,
): ApiResponse {
  const request = readPageRequest(req.query, MAX_PAGE_SIZE);
  const slice = slicePage(items, request, (i) => String(i.seq), compare);
  return json(200, listEnvelopeV1(key, url, pickFilters(req.query, filterNames), request, slice, slice.items.map(serialize)));
}

/** An ISO 8601 query date, or `fallback` when absent. */
function dateParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badRequest(20001, `Invalid ${name}: ${raw} is not an ISO 8601 date`);
  return ms;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** serverless.twilio.com: Services, Environments, Functions, Assets, Builds, Deployments, Variables, Logs. */
export function serverlessHost(state: ServerlessState): TwilioHost {
  const { accountSid } = state;
  const serviceOf = (req: ApiRequest) => state.service(req.params.ServiceSid ?? req.params.Sid);
  const envOf = (req: ApiRequest) => state.environment(serviceOf(req), req.params.EnvironmentSid);
  const router = new Router()
    .get('/v1/Services', (req) =>
      page(req, 'services', `${SERVERLESS_BASE_URL}/Services`, state.listServices(), (s) => serviceResource(accountSid, s)),
    )
    .post('/v1/Services', (req) => {
      const service = state.createService({
        uniqueName: req.form.get('UniqueName'),
        friendlyName: req.form.get('FriendlyName'),
        includeCredentials: boolParam(req.form, 'IncludeCredentials'),
        uiEditable: boolParam(req.form, 'UiEditable'),
      });
      return json(201, serviceResource(accountSid, service));
    })
    .get('/v1/Services/:Sid', (req) => json(200, serviceResource(accountSid, serviceOf(req))))
    .post('/v1/Services/:Sid', (req) => {
      const service = serviceOf(req);
      state.updateService(service, {
        friendlyName: req.form.get('FriendlyName'),
        includeCredentials: boolParam(req.form, 'IncludeCredentials'),
        uiEditable: boolParam(req.form, 'UiEditable'),
      });
      return json(200, serviceResource(accountSid, service));
    })
    .delete('/v1/Services/:Sid', (req) => {
      state.deleteService(serviceOf(req));
      return noContent;
    })

    .get('/v1/Services/:ServiceSid/Environments', (req) => {
      const service = serviceOf(req);
      return page(req, 'environments', `${serviceUrl(service.sid)}/Environments`, [...service.environments.values()], (e) =>
        environmentResource(accountSid, e),
      );
    })
    .post('/v1/Services/:ServiceSid/Environments', (req) => {
      const env = state.createEnvironment(serviceOf(req), {
        uniqueName: req.form.get('UniqueName'),
        domainSuffix: req.form.get('DomainSuffix'),
      });
      return json(201, environmentResource(accountSid, env));
    })
    .get('/v1/Services/:ServiceSid/Environments/:Sid', (req) =>
      json(200, environmentResource(accountSid, state.environment(serviceOf(req), req.params.Sid))),
    )
    .delete('/v1/Services/:ServiceSid/Environments/:Sid', (req) => {
      const service = serviceOf(req);
      state.deleteEnvironment(service, state.environment(service, req.params.Sid));
      return noContent;
    })

    .get('/v1/Services/:ServiceSid/Builds', (req) => {
      const service = serviceOf(req);
      return page(req, 'builds', `${serviceUrl(service.sid)}/Builds`, state.listBuilds(service), (b) => buildResource(accountSid, b));
    })
    .post('/v1/Services/:ServiceSid/Builds', (req) => {
      const service = serviceOf(req);
      const runtime = readRuntime(req.form.get('Runtime'), state.lastSuccessfulRuntime(service));
      const build = state.createBuild(service, {
        functionVersions: req.form.getAll('FunctionVersions'),
        assetVersions: req.form.getAll('AssetVersions'),
        dependencies: parseDependencies(req.form.get('Dependencies')),
        runtime,
      });
      return json(201, buildResource(accountSid, build));
    })
    .get('/v1/Services/:ServiceSid/Builds/:Sid', (req) => json(200, buildResource(accountSid, state.build(serviceOf(req), req.params.Sid))))
    .delete('/v1/Services/:ServiceSid/Builds/:Sid', (req) => {
      const service = serviceOf(req);
      state.deleteBuild(service, state.build(service, req.params.Sid));
      return noContent;
    })
    .get('/v1/Services/:ServiceSid/Builds/:Sid/Status', (req) =>
      json(200, buildStatusResource(accountSid, state.build(serviceOf(req), req.params.Sid))),
    )

    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Deployments', (req) => {
      const env = envOf(req);
      return page(req, 'deployments', `${environmentUrl(env)}/Deployments`, env.deployments, (d) => deploymentResource(accountSid, d));
    })
    .post('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Deployments', (req) => {
      const service = serviceOf(req);
      const deployment = state.deploy(service, state.environment(service, req.params.EnvironmentSid), req.form.get('BuildSid'));
      return json(201, deploymentResource(accountSid, deployment));
    })
    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Deployments/:Sid', (req) =>
      json(200, deploymentResource(accountSid, state.deployment(envOf(req), req.params.Sid))),
    )

    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Variables', (req) => {
      const env = envOf(req);
      return page(req, 'variables', `${environmentUrl(env)}/Variables`, [...env.variables.values()], (v) =>
        variableResource(accountSid, v),
      );
    })
    .post('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Variables', (req) => {
      const variable = state.createVariable(envOf(req), req.form.get('Key'), req.form.get('Value'));
      return json(201, variableResource(accountSid, variable));
    })
    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Variables/:Sid', (req) =>
      json(200, variableResource(accountSid, state.variable(envOf(req), req.params.Sid))),
    )
    .post('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Variables/:Sid', (req) => {
      const env = envOf(req);
      const variable = state.variable(env, req.params.Sid);
      state.updateVariable(env, variable, req.form.get('Key'), req.form.get('Value'));
      return json(200, variableResource(accountSid, variable));
    })
    .delete('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Variables/:Sid', (req) => {
      const env = envOf(req);
      state.deleteVariable(env, state.variable(env, req.params.Sid));
      return noContent;
    })

    // Logs: StartDate defaults to a day ago and EndDate to now (the spec's parameter descriptions); newest first.
    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Logs', (req) => {
      const env = envOf(req);
      const now = state.now();
      const functionSid = req.query.get('FunctionSid') || undefined;
      const logs = state.logs(env, {
        functionSid,
        start: dateParam(req.query, 'StartDate', now - DAY_MS),
        end: dateParam(req.query, 'EndDate', now),
      });
      const filters = ['FunctionSid', 'StartDate', 'EndDate'];
      return page(
        req,
        'logs',
        `${environmentUrl(env)}/Logs`,
        logs,
        (l) => logResource(accountSid, l),
        filters,
        (l, cursor) => Number(cursor) - l.seq,
      );
    })
    .get('/v1/Services/:ServiceSid/Environments/:EnvironmentSid/Logs/:Sid', (req) =>
      json(200, logResource(accountSid, state.logEntry(envOf(req), req.params.Sid))),
    );

  for (const kind of ['function', 'asset'] as const) addFileRoutes(router, state, kind);
  return { subdomain: 'serverless', router };
}

/** Functions and Assets share their routes (and Functions add their Version's `/Content`). */
function addFileRoutes(router: Router, state: ServerlessState, kind: FileKind): void {
  const { accountSid } = state;
  const collection = kind === 'function' ? 'Functions' : 'Assets';
  const parent = kind === 'function' ? 'FunctionSid' : 'AssetSid';
  const fileOf = (req: ApiRequest) => {
    const service = state.service(req.params.ServiceSid);
    return { service, file: state.file(service, kind, req.params[parent] ?? req.params.Sid) };
  };
  router
    .get(`/v1/Services/:ServiceSid/${collection}`, (req) => {
      const service = state.service(req.params.ServiceSid);
      const files = [...state.filesOf(service, kind).values()];
      return page(req, kind === 'function' ? 'functions' : 'assets', `${serviceUrl(service.sid)}/${collection}`, files, (f) =>
        fileResource(accountSid, f),
      );
    })
    .post(`/v1/Services/:ServiceSid/${collection}`, (req) =>
      json(201, fileResource(accountSid, state.createFile(state.service(req.params.ServiceSid), kind, req.form.get('FriendlyName')))),
    )
    .get(`/v1/Services/:ServiceSid/${collection}/:Sid`, (req) => json(200, fileResource(accountSid, fileOf(req).file)))
    .post(`/v1/Services/:ServiceSid/${collection}/:Sid`, (req) => {
      const { file } = fileOf(req);
      state.renameFile(file, req.form.get('FriendlyName'));
      return json(200, fileResource(accountSid, file));
    })
    .delete(`/v1/Services/:ServiceSid/${collection}/:Sid`, (req) => {
      const { service, file } = fileOf(req);
      state.deleteFile(service, file);
      return noContent;
    })
    .get(`/v1/Services/:ServiceSid/${collection}/:${parent}/Versions`, (req) => {
      const { file } = fileOf(req);
      const key = kind === 'function' ? 'function_versions' : 'asset_versions';
      return page(req, key, `${fileUrl(file)}/Versions`, [...file.versions.values()], (v) => versionResource(accountSid, v));
    })
    .get(`/v1/Services/:ServiceSid/${collection}/:${parent}/Versions/:Sid`, (req) =>
      json(200, versionResource(accountSid, state.version(fileOf(req).file, req.params.Sid))),
    );
  if (kind === 'function') {
    router.get('/v1/Services/:ServiceSid/Functions/:FunctionSid/Versions/:Sid/Content', (req) =>
      json(200, functionVersionContentResource(accountSid, state.version(fileOf(req).file, req.params.Sid))),
    );
  }
}

/**
 * serverless-upload.twilio.com: Function and Asset Versions arrive here as multipart/form-data
 * with Path, Visibility and Content (serverless-api's api/functions.js and api/assets.js).
 */
export function serverlessUploadHost(state: ServerlessState): TwilioHost {
  const { accountSid } = state;
  const router = new Router();
  for (const kind of ['function', 'asset'] as const) {
    const collection = kind === 'function' ? 'Functions' : 'Assets';
    router.post(`/v1/Services/:ServiceSid/${collection}/:Sid/Versions`, (req) => {
      const boundary = multipartBoundary(req.headers['content-type']);
      if (!boundary) throw badRequest(20001, 'A Version is uploaded as multipart/form-data');
      const fields = parseMultipart(req.bodyBytes, boundary);
      const service = state.service(req.params.ServiceSid);
      const version = state.createVersion(service, state.file(service, kind, req.params.Sid), {
        path: fields.get('Path')?.data.toString('utf8') ?? null,
        visibility: fields.get('Visibility')?.data.toString('utf8') ?? null,
        content: fields.get('Content')?.data,
      });
      return json(201, versionResource(accountSid, version));
    });
  }
  return { subdomain: 'serverless-upload', router, maxBodyBytes: MAX_UPLOAD_BODY_BYTES };
}
