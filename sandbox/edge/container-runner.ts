// A deployment's container: a child process (container-main.ts, through container-entry.js and
// ts-node's transpile-only register) that holds the Functions' globals apart from this process and from other
// deployments. It starts on the first request; a Function past the limit, or a crash, kills it,
// and the next request starts a new one (a cold start).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EdgeAnswer } from './answers';
import type { ContainerReply, ContainerRequest, InvocationLog } from './container-protocol';
import type { FunctionRunner, RunRequest, SiteFiles } from './runner';

export interface ContainerOptions {
  /** Written on first use (deployment-files.ts). */
  files: () => SiteFiles;
  context: Record<string, string>;
  /** `https://<domain>`: the runtime makes DOMAIN_NAME from it. */
  url: string;
  /** The container's whole environment besides PATH (HTTP_PROXY, NODE_EXTRA_CA_CERTS). */
  env: Record<string, string>;
  onLog(line: InvocationLog): void;
}

interface Pending {
  resolve(answer: EdgeAnswer): void;
  reject(error: Error): void;
}

/** The last bytes a container wrote to stderr, to say why it died. */
const STDERR_TAIL_CHARS = 2000;

export class ContainerRunner implements FunctionRunner {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private files: SiteFiles | undefined;

  constructor(private readonly options: ContainerOptions) {}

  run(request: RunRequest): Promise<EdgeAnswer> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ type: 'run', id, request } satisfies ContainerRequest);
    });
  }

  abandon(): void {
    this.stop(new Error('the Function ran past the time limit; its container was stopped'));
  }

  close(): Promise<void> {
    this.stop(new Error('the deployment was replaced'));
    return Promise.resolve();
  }

  private start(): ChildProcess {
    this.files ??= this.options.files();
    const child = fork(path.join(__dirname, 'container-entry.js'), [], {
      cwd: this.files.baseDir,
      env: { PATH: process.env.PATH ?? '', ...this.options.env },
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message: ContainerReply) => this.received(message));
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.failAll(
        new Error(
          `the container exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
        ),
      );
    });
    child.send({ type: 'start', files: this.files, context: this.options.context, url: this.options.url } satisfies ContainerRequest);
    this.child = child;
    return child;
  }

  private received(message: ContainerReply): void {
    if (message.type === 'log') return this.options.onLog(message.line);
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'answer') pending.resolve({ ...message.answer, body: Buffer.from(message.answer.body) });
    else pending.reject(new Error(message.message));
  }

  private stop(reason: Error): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    this.failAll(reason);
  }

  private failAll(reason: Error): void {
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}
