// How the edge runs a Function: in this process (the one local site of `npm start`) or in a
// container (a child process per deployment). The edge decides everything else (visibility,
// signatures, the 10 s limit) and hands a runner only requests it accepted.
import type { IncomingHttpHeaders } from 'node:http';
import type { EdgeAnswer } from './answers';
import type { Visibility } from './site';

/** The methods Functions answer: https://www.twilio.com/docs/serverless/functions-assets/functions/request-flow ("Supported requests"). */
export type FunctionMethod = 'GET' | 'POST' | 'OPTIONS';

/** One request the edge accepted for a Function or a public Asset. */
export interface RunRequest {
  method: FunctionMethod;
  /** The origin-form request-target, `/path?query`, as the caller sent it. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The invocation's SID (RQ…), for the logs. */
  requestSid: string;
}

export interface FunctionRunner {
  run(request: RunRequest): Promise<EdgeAnswer>;
  /** The invocation `requestSid` ran past Twilio's limit: the runner drops it and stops it if it can, without failing the others. */
  abandon(requestSid: string): void;
  close(): Promise<void>;
}

/** A Function or Asset on disk, as @twilio/runtime-handler's routes describe it. */
interface RouteFile {
  /** URL path, e.g. `/sms/incoming` or `/comms.js`. */
  path: string;
  access: Visibility;
  /** Absolute path of the file. */
  filePath: string;
}

/** What a runner serves: a folder the Functions resolve their packages from, and its routes. */
export interface SiteFiles {
  baseDir: string;
  functions: RouteFile[];
  assets: RouteFile[];
}
