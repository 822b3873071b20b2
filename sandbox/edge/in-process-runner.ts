// Runs Functions with Twilio's own runtime (@twilio/runtime-handler's LocalDevelopmentServer,
// no fork per request) in this process, without listening anywhere: each request the edge
// accepted is injected into the runtime's express app (light-my-request) and its answer copied
// back. The runtime keeps its routes in a module-level cache and sets the `Runtime` and `Twilio`
// globals, so one process holds one in-process site: `npm start`'s local run, or one container.
import { LocalDevelopmentServer } from '@twilio/runtime-handler/dev';
import inject from 'light-my-request';
import type { IncomingHttpHeaders } from 'node:http';
import type { EdgeAnswer } from './answers';
import type { FunctionRunner, RunRequest, SiteFiles } from './runner';

export interface InProcessSiteOptions {
  files: SiteFiles;
  /** What `context` holds besides DOMAIN_NAME and PATH (which the runtime adds). */
  context: Record<string, string>;
  /** The site's base URL: the runtime makes `context.DOMAIN_NAME` from it. */
  url: string;
  /** The runtime's own request lines (they carry query values); default off. */
  logs?: boolean;
}

let running = false;

/** Headers of an injected request: those the caller sent, minus what framing the edge has already undone. */
function injectedHeaders(headers: IncomingHttpHeaders, body: Buffer): IncomingHttpHeaders {
  const { 'transfer-encoding': _chunked, connection: _connection, ...rest } = headers;
  return body.length > 0 || rest['content-length'] !== undefined ? { ...rest, 'content-length': String(body.length) } : rest;
}

/** Starts the one in-process site of this process; throws while another is open. */
export function startInProcessRunner(options: InProcessSiteOptions): FunctionRunner {
  if (running) throw new Error('An in-process site is already running in this process; deployed sites run in containers');
  const runtime = new LocalDevelopmentServer(0, {
    baseDir: options.files.baseDir,
    env: options.context,
    port: 0,
    url: options.url,
    detailedLogs: false,
    live: false,
    logs: options.logs ?? false,
    legacyMode: false,
    appName: 'twilio-comms',
    forkProcess: false,
    routes: {
      functions: options.files.functions.map((file) => ({ ...file, name: file.path, content: '' })),
      assets: options.files.assets.map((file) => ({ ...file, name: file.path, content: '' })),
    },
    enableDebugLogs: false,
  });
  running = true;
  const app = runtime.getApp();
  return {
    async run(request: RunRequest): Promise<EdgeAnswer> {
      const answer = await inject(app, {
        method: request.method,
        url: request.target,
        headers: injectedHeaders(request.headers, request.body),
        payload: request.body,
      });
      return { status: answer.statusCode, headers: answer.headers, body: answer.rawPayload };
    },
    // A Function running in this process cannot be stopped: its answer, if it ever comes, is dropped.
    abandon: () => undefined,
    close: () => {
      running = false;
      return Promise.resolve();
    },
  };
}
