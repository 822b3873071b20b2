// `npm run deploy -- --sandbox`: the real deploy, plain `twilio-run deploy`, sent to the running
// sandbox instead of Twilio. Nothing in twilio-run changes: it tunnels https://serverless.twilio.com
// through HTTP_PROXY (@twilio-labs/serverless-api's client, hpagent) and trusts the sandbox's CA
// through NODE_EXTRA_CA_CERTS, which Node reads only at start, hence a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLoopbackName } from '../src/lib/config/reachable-url';
import type { TwilioClient } from '../src/lib/twilio/sdk';
import { deployEnvFrom } from './deploy-guard';
import type { EnvVars } from './env-file';
import { ROOT_DIR, SANDBOX_CA_FILE } from './layout';

/** twilio-run's default: the service is package.json's name, the environment `dev`. */
const SERVICE_NAME = 'twilio-comms';

export interface SandboxDeployOptions {
  /** The local env file (`.env`), whose variables the deployed service gets, without the local-only ones. */
  envFile: string;
  env: EnvVars;
  /** More arguments for twilio-run (`--environment prod`, `--service-name …`). */
  args?: readonly string[];
  /** The sandbox's CA; default `.sandbox/ca.pem`. */
  caFile?: string;
  /** Where twilio-run's output goes; default this process's. */
  output?: (text: string) => void;
}

/** The environment of a child process that reaches the sandbox as Twilio: the proxy, its CA, no Twilio credentials of this shell. */
export function sandboxProxyEnv(sandboxUrl: string, caFile = SANDBOX_CA_FILE): NodeJS.ProcessEnv {
  const { TWILIO_ACCOUNT_SID: _sid, TWILIO_AUTH_TOKEN: _token, TWILIO_API_KEY: _key, TWILIO_API_SECRET: _secret, ...rest } = process.env;
  return { ...rest, HTTP_PROXY: sandboxUrl, NODE_EXTRA_CA_CERTS: caFile, NO_UPDATE_NOTIFIER: '1' };
}

/**
 * Whether the sandbox whose CA is `caFile` answers at `url`: a loopback URL whose
 * `GET /_sandbox/proxy` tells the fingerprint of that very CA. A proxy that is not this sandbox (a
 * corporate one on localhost, on the way to the real Twilio) does not.
 */
export async function isSandboxAt(url: string, caFile = SANDBOX_CA_FILE): Promise<boolean> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return false;
  }
  if (base.protocol !== 'http:' || !isLoopbackName(base.hostname) || !existsSync(caFile)) return false;
  try {
    const answer = await fetch(new URL('/_sandbox/proxy', base), { signal: AbortSignal.timeout(2000), redirect: 'error' });
    const body = (await answer.json()) as { caFingerprint256?: unknown };
    return answer.ok && body.caFingerprint256 === new X509Certificate(readFileSync(caFile)).fingerprint256;
  } catch {
    return false;
  }
}

/**
 * Whether a deploy run with this environment goes to the sandbox: through `HTTP_PROXY` (the one
 * variable @twilio-labs/serverless-api reads), trusting the sandbox's own CA, where this sandbox
 * answers. The deploy checks then accept the sandbox's test account, which real Twilio would refuse.
 */
export async function deploysToSandbox(environment: NodeJS.ProcessEnv, caFile = SANDBOX_CA_FILE): Promise<boolean> {
  const { HTTP_PROXY: proxy, NODE_EXTRA_CA_CERTS: ca } = environment;
  if (!proxy || !ca || !existsSync(ca) || !existsSync(caFile) || realpathSync(ca) !== realpathSync(caFile)) return false;
  return isSandboxAt(proxy, caFile);
}

/** Why the sandbox cannot take a deploy now, or undefined. */
export async function sandboxDeployRefusal(env: EnvVars, caFile = SANDBOX_CA_FILE): Promise<string | undefined> {
  if (!env.TWILIO_SANDBOX_URL) return '--sandbox deploys to the local sandbox, and the env file has no TWILIO_SANDBOX_URL.';
  if (!existsSync(caFile))
    return `${path.relative(ROOT_DIR, caFile)} does not exist: start the sandbox first (npm start), it creates its CA there.`;
  if (!(await isSandboxAt(env.TWILIO_SANDBOX_URL, caFile)))
    return `the sandbox whose CA is ${path.relative(ROOT_DIR, caFile)} does not answer at TWILIO_SANDBOX_URL (${env.TWILIO_SANDBOX_URL}): start it with npm start (TWILIO_SANDBOX_URL must be this machine's).`;
  return undefined;
}

/**
 * Runs `twilio-run deploy` against the sandbox. The credentials travel in a temporary env file
 * (mode 0600, removed afterwards): twilio-run reads ACCOUNT_SID and AUTH_TOKEN from it and never
 * uploads them. Resolves with twilio-run's exit code.
 */
export async function deployToSandbox(options: SandboxDeployOptions): Promise<number> {
  const write = options.output ?? ((text: string) => process.stdout.write(text));
  // Ctrl-C or a kill stops twilio-run, then this process removes the temporary env file (which holds
  // .env's secrets): the handlers are in place before the file exists.
  let child: ChildProcess | undefined;
  let stoppedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    child?.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-deploy-'));
  try {
    const envFile = path.join(dir, '.env.sandbox');
    writeFileSync(envFile, deployEnvFrom(readFileSync(options.envFile, 'utf8')), { mode: 0o600 });
    if (stoppedBy) return 130;
    const running = spawn(
      process.execPath,
      [path.join(ROOT_DIR, 'node_modules', 'twilio-run', 'bin', 'twilio-run.js'), 'deploy', '--env', envFile, ...(options.args ?? [])],
      // The checks are made already (this is the sandbox): the config file's preflight need not refuse its test account.
      {
        cwd: ROOT_DIR,
        env: { ...sandboxProxyEnv(options.env.TWILIO_SANDBOX_URL ?? '', options.caFile), TWILIO_COMMS_PREFLIGHT: 'done', CI: 'true' },
      },
    );
    child = running;
    running.stdout.on('data', (chunk: Buffer) => write(chunk.toString('utf8')));
    running.stderr.on('data', (chunk: Buffer) => write(chunk.toString('utf8')));
    return await new Promise<number>((resolve) => running.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The domain of the service's environment (`dev` by default; `''` for the production one, without a suffix), as the Serverless API names it. */
export async function deployedDomain(client: TwilioClient, environment = 'dev', serviceName = SERVICE_NAME): Promise<string | undefined> {
  const services = await client.serverless.v1.services.list({ limit: 100 });
  const service = services.find((candidate) => candidate.uniqueName === serviceName);
  if (!service) return undefined;
  const environments = await client.serverless.v1.services(service.sid).environments.list({ limit: 50 });
  // `--production` deploys to the environment without a domain suffix.
  const found = environments.find((candidate) =>
    environment === '' ? !candidate.domainSuffix : candidate.uniqueName === environment || candidate.domainSuffix === environment,
  );
  return found?.domainName;
}
