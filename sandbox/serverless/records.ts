// The Serverless API's resources as the sandbox keeps them (one Service owns everything below it).
import type { LogLevel, Visibility } from '../edge/site';
import type { Dependency } from './dependencies';

/** Where the v1 resources live; every `url` and `links` entry starts here. */
export const SERVERLESS_BASE_URL = 'https://serverless.twilio.com/v1';

/** The Build statuses the spec lists (build_enum_status). */
type BuildStatus = 'building' | 'completed' | 'failed';

export type FileKind = 'function' | 'asset';

interface Dated {
  /** Creation order within its parent, the paging cursor. */
  seq: number;
  dateCreated: number;
  dateUpdated: number;
}

export interface VersionRecord extends Dated {
  kind: FileKind;
  sid: string;
  serviceSid: string;
  /** The Function's or Asset's SID (ZH…). */
  parentSid: string;
  path: string;
  visibility: Visibility;
  content: Buffer;
}

/** A Function or an Asset: a name, and the Versions uploaded for it. */
export interface FileRecord extends Dated {
  kind: FileKind;
  sid: string;
  serviceSid: string;
  friendlyName: string;
  versions: Map<string, VersionRecord>;
}

export interface BuildRecord extends Dated {
  sid: string;
  serviceSid: string;
  functionVersions: VersionRecord[];
  assetVersions: VersionRecord[];
  dependencies: Dependency[];
  runtime: string;
  status: BuildStatus;
  /** What the build settles to when it is next read, and why it failed if it does. */
  outcome: { status: 'completed' } | { status: 'failed'; reason: string };
}

export interface DeploymentRecord extends Dated {
  sid: string;
  serviceSid: string;
  environmentSid: string;
  buildSid: string;
}

export interface VariableRecord extends Dated {
  sid: string;
  serviceSid: string;
  environmentSid: string;
  key: string;
  value: string;
}

export interface LogRecord {
  seq: number;
  sid: string;
  serviceSid: string;
  environmentSid: string;
  buildSid: string;
  deploymentSid: string;
  functionSid: string;
  requestSid: string;
  level: LogLevel;
  message: string;
  dateCreated: number;
}

export interface EnvironmentRecord extends Dated {
  sid: string;
  serviceSid: string;
  uniqueName: string;
  domainSuffix: string | null;
  /** `<service unique name>-<4 digits>[-<suffix>].twil.io`, lower case. */
  domainName: string;
  /** The active deployment, if any. */
  deployment: DeploymentRecord | null;
  deployments: DeploymentRecord[];
  variables: Map<string, VariableRecord>;
  /** Oldest first, bounded (limits.ts MAX_LOGS_PER_ENVIRONMENT). */
  logs: LogRecord[];
}

export interface ServiceRecord extends Dated {
  sid: string;
  uniqueName: string;
  friendlyName: string;
  includeCredentials: boolean;
  uiEditable: boolean;
  /** `<unique name>-<4 digits>`: every environment's domain starts with it. */
  domainBase: string;
  environments: Map<string, EnvironmentRecord>;
  functions: Map<string, FileRecord>;
  assets: Map<string, FileRecord>;
  builds: Map<string, BuildRecord>;
  /** A counter for the `seq` of everything the service owns. */
  nextSeq: number;
}

export function serviceUrl(serviceSid: string): string {
  return `${SERVERLESS_BASE_URL}/Services/${serviceSid}`;
}

export function environmentUrl(env: { serviceSid: string; sid: string }): string {
  return `${serviceUrl(env.serviceSid)}/Environments/${env.sid}`;
}

export function fileUrl(file: { kind: FileKind; serviceSid: string; sid: string }): string {
  return `${serviceUrl(file.serviceSid)}/${file.kind === 'function' ? 'Functions' : 'Assets'}/${file.sid}`;
}

export function versionUrl(version: VersionRecord): string {
  return `${fileUrl({ kind: version.kind, serviceSid: version.serviceSid, sid: version.parentSid })}/Versions/${version.sid}`;
}

export function buildUrl(build: { serviceSid: string; sid: string }): string {
  return `${serviceUrl(build.serviceSid)}/Builds/${build.sid}`;
}
