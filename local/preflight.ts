// Run by .twilioserverlessrc.js before `twilio-run deploy|start` and `twilio serverless:deploy|start`
// (the Twilio CLI plugin wraps twilio-run, and both load that file): the checks `npm run deploy`
// and `npm start` make, for the tools' own commands. Usage: preflight.ts <command> [its arguments].
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { staleBuild } from './build-stamp';
import { flag } from './cli-args';
import { readDeployEnvFile } from './deploy-env-file';
import { ALLOW_AUTH_TOKEN_VARIABLE, DEPLOY_ENV_FILE, deployRefusals } from './deploy-guard';
import { envFileReports, misspeltReport, shown } from './env-check';
import { ENV_FILE, readEnvFile } from './env-file';
import { ROOT_DIR } from './layout';
import { deploysToSandbox } from './sandbox-deploy';

export interface PreflightResult {
  /** Refused: the tool must stop before it uploads or serves anything. */
  refused: boolean;
  lines: string[];
}

/** Which tool the user typed, for the messages. */
const toolName = (command: string) => (command.startsWith('serverless:') ? `twilio ${command}` : `twilio-run ${command}`);

/** Before an upload: dist/ built from the current sources, and an env file with nothing local or broken in it. */
export async function deployPreflight(
  command: string,
  args: readonly string[],
  { cwd = process.cwd(), root = ROOT_DIR } = {},
): Promise<PreflightResult> {
  const envFile = path.resolve(cwd, flag(args, 'env') ?? DEPLOY_ENV_FILE);
  const toSandbox = await deploysToSandbox(process.env);
  const problems: string[] = [];
  const stale = staleBuild(root);
  if (stale) problems.push(stale);
  // Read as twilio-run reads it (its own dotenv), so the guard checks what is uploaded.
  const deployEnv = existsSync(envFile) ? readDeployEnvFile(envFile) : undefined;
  if (!deployEnv) {
    problems.push(
      `${shown(envFile)} is missing: deploys upload it instead of .env. Fix: npm run deploy creates it from .env without the local-only variables, or copy .env to it and remove TWILIO_SANDBOX_URL.`,
    );
  } else {
    problems.push(
      ...deployEnv.refusals,
      ...deployRefusals(deployEnv.env, { allowAuthToken: process.env[ALLOW_AUTH_TOKEN_VARIABLE] === '1', toSandbox }),
    );
  }
  if (problems.length > 0 || !deployEnv) {
    return {
      refused: true,
      lines: [
        `${toolName(command)} refused (checked by .twilioserverlessrc.js before any upload):`,
        ...problems.map((problem) => `  ${problem}`),
      ],
    };
  }
  const warning = misspeltReport(deployEnv.env, envFile);
  return {
    refused: false,
    lines: [
      ...(warning ? [warning] : []),
      toSandbox
        ? `preflight: dist/ matches the sources; deploying to the local sandbox (HTTP_PROXY and its CA), so ${shown(envFile)} may hold its test account.`
        : `preflight: dist/ matches the sources; ${shown(envFile)} holds no local-only, sandbox or broken setting.`,
    ],
  };
}

/** Whether something listens at the URL's host and port. */
function answers(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname, port: Number(url.port || 80) });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Before a local server without our gateway: the caveat, the env file checked, and how to run the sandbox beside it. */
async function startPreflight(
  command: string,
  args: readonly string[],
  { cwd = process.cwd(), root = ROOT_DIR } = {},
): Promise<PreflightResult> {
  const envFile = path.resolve(cwd, flag(args, 'env') ?? ENV_FILE);
  const env = readEnvFile(envFile);
  const lines = [
    `${toolName(command)}: the Functions run WITHOUT this project's local gateway. No signature checks locally in this mode:`,
    '  X-Twilio-Signature is not verified (protected webhooks answer anyone), private Functions are served, and nothing stops',
    "  a Function at 10 s. Twilio's edge checks signatures once deployed; `npm start` runs the same Functions behind a gateway",
    '  that does all of this locally, with the sandbox beside them.',
  ];
  const stale = staleBuild(root);
  if (stale) lines.push(`warning: ${stale}`);
  const { warnings, refusal } = envFileReports(env, envFile);
  lines.push(...warnings);
  if (refusal) return { refused: true, lines: [...lines, `${toolName(command)} refused: ${refusal}`] };

  if (env.TWILIO_SANDBOX_URL) {
    const sandbox = new URL(env.TWILIO_SANDBOX_URL);
    if (!(await answers(sandbox))) {
      lines.push(
        `  Nothing answers at TWILIO_SANDBOX_URL (${sandbox.origin}). Run the sandbox beside it, in another terminal, with this file's values:`,
        `    (set -a; . ${path.isAbsolute(shown(envFile)) ? shown(envFile) : `./${shown(envFile)}`}; set +a; npm run sandbox)`,
        `  then point the number's webhooks at this server: npm run bind -- http://localhost:${flag(args, 'port') ?? '3000'}`,
      );
    } else {
      lines.push(
        `  Sandbox: ${sandbox.origin} answers. Point the number's webhooks here with: npm run bind -- http://localhost:${flag(args, 'port') ?? '3000'}`,
      );
    }
  }
  if (env.TWILIO_SANDBOX_URL && !env.VERIFY_SERVICE_SID) {
    lines.push(
      `warning: VERIFY_SERVICE_SID is empty in ${shown(envFile)}: /verify/* will answer 503 not_configured. Fix: npm run setup writes one that npm run sandbox seeds.`,
    );
  }
  return { refused: false, lines };
}

async function main(): Promise<void> {
  const [command = '', ...args] = process.argv.slice(2);
  const result = /deploy$/.test(command) ? await deployPreflight(command, args) : await startPreflight(command, args);
  (result.refused ? console.error : console.log)(result.lines.join('\n'));
  process.exit(result.refused ? 1 : 0);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`preflight failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
