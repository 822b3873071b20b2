// A deployment's container: a child process (container-main.ts, through container-entry.js and
// ts-node's transpile-only register) that holds the Functions' globals apart from this process and from other
// deployments. It starts on the first request. A Function past the limit retires it: the next
// request starts a new one (a cold start), and the old one is killed once the other invocations
// it still runs have answered (each within its own limit), as Twilio's invocations are independent.
// A crash fails only what that container was running.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EdgeAnswer } from './answers';
import { readContainerReply, type ContainerReply, type ContainerRequest, type InvocationLog } from './container-protocol';
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
  child: ChildProcess;
  requestSid: string;
  resolve(answer: EdgeAnswer): void;
  reject(error: Error): void;
}

/** The last bytes a container wrote to stderr, to say why it died. */
const STDERR_TAIL_CHARS = 2000;

export class ContainerRunner implements FunctionRunner {
  private child: ChildProcess | undefined;
  /** Containers a timed-out Function retired, still answering their other invocations. */
  private readonly retired = new Set<ChildProcess>();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private files: SiteFiles | undefined;

  constructor(private readonly options: ContainerOptions) {}

  run(request: RunRequest): Promise<EdgeAnswer> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { child, requestSid: request.requestSid, resolve, reject });
      child.send({ type: 'run', id, request } satisfies ContainerRequest);
    });
  }

  abandon(requestSid: string): void {
    const entry = [...this.pending].find(([, pending]) => pending.requestSid === requestSid);
    if (!entry) return;
    const [id, { child }] = entry;
    this.pending.delete(id);
    // The stuck Function cannot be stopped alone: its container takes no new request and goes once the rest answered.
    if (this.child === child) this.child = undefined;
    this.retired.add(child);
    this.killIfIdle(child);
  }

  close(): Promise<void> {
    const children = [...this.retired, ...(this.child ? [this.child] : [])];
    this.child = undefined;
    this.retired.clear();
    for (const child of children) child.kill('SIGKILL');
    this.failAll(new Error('the deployment was replaced'));
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
    child.on('message', (message: unknown) => this.receivedRaw(child, message));
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.retired.delete(child);
      this.failAll(
        new Error(
          `the container exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
        ),
        child,
      );
    });
    child.send({ type: 'start', files: this.files, context: this.options.context, url: this.options.url } satisfies ContainerRequest);
    this.child = child;
    return child;
  }

  /** Every message from a container, checked; a bad one (the deployed code can `process.send`) or a failing handler crashes that container, never this process. */
  private receivedRaw(child: ChildProcess, raw: unknown): void {
    try {
      const message = readContainerReply(raw);
      if (message) return this.received(child, message);
      this.crashed(child, 'the container sent a malformed message');
    } catch (error) {
      this.crashed(child, `a message from the container could not be handled: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private received(child: ChildProcess, message: ContainerReply): void {
    if (message.type === 'log') return this.options.onLog(message.line);
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'answer') pending.resolve({ ...message.answer, body: Buffer.from(message.answer.body) });
    else pending.reject(new Error(message.message));
    this.killIfIdle(child);
  }

  /** Stops a container as if it had crashed: its pending invocations fail, the next request starts a new one. */
  private crashed(child: ChildProcess, reason: string): void {
    if (this.child === child) this.child = undefined;
    this.retired.delete(child);
    child.kill('SIGKILL');
    this.failAll(new Error(reason), child);
    try {
      this.options.onLog({ requestSid: '', path: '', level: 'error', message: `${reason}; it was stopped` });
    } catch {
      // The Logs could not take it: the failed invocations still say why.
    }
  }

  /** Kills a retired container once none of its invocations is pending. */
  private killIfIdle(child: ChildProcess): void {
    if (!this.retired.has(child) || [...this.pending.values()].some((pending) => pending.child === child)) return;
    this.retired.delete(child);
    child.kill('SIGKILL');
  }

  /** Fails the pending invocations (of one container, or all). */
  private failAll(reason: Error, child?: ChildProcess): void {
    for (const [id, pending] of this.pending) {
      if (child && pending.child !== child) continue;
      this.pending.delete(id);
      pending.reject(reason);
    }
  }
}
