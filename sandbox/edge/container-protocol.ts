// The messages between the edge (container-runner.ts) and a container (container-main.ts), sent
// with Node's `advanced` IPC serialization (Buffers pass as they are).
import type { EdgeAnswer } from './answers';
import type { RunRequest, SiteFiles } from './runner';
import type { LogLevel } from './site';

export type ContainerRequest =
  { type: 'start'; files: SiteFiles; context: Record<string, string>; url: string } | { type: 'run'; id: number; request: RunRequest };

export type ContainerReply =
  | { type: 'ready' }
  | { type: 'answer'; id: number; answer: EdgeAnswer }
  | { type: 'failed'; id: number; message: string }
  | { type: 'log'; line: InvocationLog };

/** A line a Function wrote, with the invocation (and the Function's path) it belongs to. */
export interface InvocationLog {
  requestSid: string;
  path: string;
  level: LogLevel;
  message: string;
}
