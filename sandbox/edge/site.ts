// The seam between the Serverless API (sandbox/serverless: what was deployed) and the edge
// (sandbox/edge: serving it at its domain). The API keeps the resources; the edge asks it, per
// request, which deployment a domain serves, and hands it the Function logs it writes.

/** Twilio's three visibilities for a Function or an Asset. */
export type Visibility = 'public' | 'protected' | 'private';

/** One Function or Asset of a build, as its Version was uploaded. */
export interface DeployedFile {
  /** URL path, e.g. `/sms/incoming` or `/shared.js`. */
  path: string;
  visibility: Visibility;
  /** The uploaded content. */
  content: Buffer;
  /** The Function's or Asset's SID (ZH… / ZH…), for the logs. */
  sid: string;
}

/** What an environment serves: its current deployment's build, and the environment's Variables. */
export interface DeployedSite {
  /** e.g. `twilio-comms-1234-dev.twil.io` (lower case). */
  domain: string;
  accountSid: string;
  serviceSid: string;
  environmentSid: string;
  buildSid: string;
  /** Changes with every deployment: the edge starts a new container when it does. */
  deploymentSid: string;
  /** `node22`, … as the build declared it. */
  runtime: string;
  /** The build's Dependencies, name → exact version, as declared. */
  dependencies: Record<string, string>;
  functions: DeployedFile[];
  assets: DeployedFile[];
  /** The environment's Variables, read when the request arrives (Twilio applies them without a new build). */
  variables: Record<string, string>;
  /** The Service's `include_credentials`: ACCOUNT_SID and AUTH_TOKEN in the context. */
  includeCredentials: boolean;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** One line a Function wrote (console.log/warn/error), for the environment's Logs resource. */
export interface FunctionLogLine {
  functionSid: string;
  /** The invocation's request SID (RQ…), one per request. */
  requestSid: string;
  level: LogLevel;
  message: string;
}

/** What the edge needs from the Serverless API. */
export interface SiteSource {
  /** The site a domain serves now, or undefined when no deployment is active there. */
  siteFor(domain: string): DeployedSite | undefined;
  /** Keeps a log line in the environment's Logs (GET …/Environments/ZE…/Logs). */
  appendLog(site: DeployedSite, line: FunctionLogLine): void;
}
