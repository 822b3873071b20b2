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

const LOG_LEVELS: ReadonlySet<unknown> = new Set<LogLevel>(['info', 'warn', 'error']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isHeaderValue = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'number' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

function isLog(line: unknown): line is InvocationLog {
  return (
    isRecord(line) &&
    typeof line.requestSid === 'string' &&
    typeof line.path === 'string' &&
    LOG_LEVELS.has(line.level) &&
    typeof line.message === 'string'
  );
}

function isAnswer(answer: unknown): answer is EdgeAnswer {
  return (
    isRecord(answer) &&
    Number.isInteger(answer.status) &&
    (answer.status as number) >= 100 &&
    (answer.status as number) <= 599 &&
    isRecord(answer.headers) &&
    Object.values(answer.headers).every(isHeaderValue) &&
    answer.body instanceof Uint8Array
  );
}

/** A message from a container, checked: the deployed code runs there and can `process.send` anything. */
export function readContainerReply(message: unknown): ContainerReply | undefined {
  if (!isRecord(message)) return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'log':
      return isLog(message.line) ? { type: 'log', line: message.line } : undefined;
    case 'answer':
      return isId(message.id) && isAnswer(message.answer) ? { type: 'answer', id: message.id, answer: message.answer } : undefined;
    case 'failed':
      return isId(message.id) && typeof message.message === 'string'
        ? { type: 'failed', id: message.id, message: message.message }
        : undefined;
    default:
      return undefined;
  }
}
