// The container: a child process that runs one deployment with the in-process runner and
// answers the edge over IPC. Console output becomes log lines for the environment's Logs, each
// tied to the invocation that wrote it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { startInProcessRunner } from './in-process-runner';
import type { ContainerReply, ContainerRequest } from './container-protocol';
import type { FunctionRunner } from './runner';
import type { LogLevel } from './site';

const invocation = new AsyncLocalStorage<{ requestSid: string; path: string }>();

function reply(message: ContainerReply): void {
  process.send?.(message);
}

const levels: Array<['log' | 'info' | 'debug' | 'warn' | 'error', LogLevel]> = [
  ['log', 'info'],
  ['info', 'info'],
  ['debug', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
];
for (const [method, level] of levels) {
  console[method] = (...args: unknown[]) => {
    const { requestSid, path } = invocation.getStore() ?? { requestSid: '', path: '' };
    reply({ type: 'log', line: { requestSid, path, level, message: format(...args) } });
  };
}

let runner: FunctionRunner | undefined;

process.on('message', (message: ContainerRequest) => {
  if (message.type === 'start') {
    runner = startInProcessRunner({ files: message.files, context: message.context, url: message.url });
    reply({ type: 'ready' });
    return;
  }
  const { id, request } = message;
  if (!runner) return reply({ type: 'failed', id, message: 'the container has not started' });
  void invocation.run({ requestSid: request.requestSid, path: request.target.split('?')[0] }, () =>
    runner!.run(request).then(
      (answer) => reply({ type: 'answer', id, answer }),
      (error: unknown) => reply({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
    ),
  );
});
process.on('disconnect', () => process.exit(0));
