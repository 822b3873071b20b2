// npm run retention [-- --url <service>] [--erase <number>] [--limit <n>] [--timeout <s>]: calls
// POST /retention/run (or POST /privacy/erase for one number) until it answers `done`, with a
// progress line of what was deleted. Each call is one bounded batch on the service; the cursor lives
// in Sync, so a stopped run resumes where it was. The token: RETENTION_TOKEN, else API_TOKEN in .env
// (the campaign CLI's lookup); each call has the campaign CLI's bearer request and its time limit.
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { bearerRequest, networkReason, REQUEST_TIMEOUT_MS } from './campaign/api';
import { tokenFromEnvironment } from './campaign/args';

interface Report {
  deleted: Record<string, number>;
  total: Record<string, number>;
  done: boolean;
  cursor?: string;
}

const USAGE = `npm run retention [-- --url http://localhost:3000] [--erase +14155550142] [--limit 200] [--timeout 60]`;
/** A stuck service must not loop forever: far more calls than any sweep needs at the largest batch. */
const MAX_CALLS = 100_000;

const describe = (total: Record<string, number>): string =>
  Object.entries(total)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ') || 'nothing yet';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      erase: { type: 'string' },
      limit: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const token = tokenFromEnvironment('RETENTION_TOKEN', { env: process.env, dotenv: () => readEnvFile(ENV_FILE) })?.token;
  if (!token) throw new Error('no API token: set RETENTION_TOKEN, or API_TOKEN in .env (npm start creates one)');
  const timeoutSeconds = Number(values.timeout ?? REQUEST_TIMEOUT_MS / 1000);
  // Whole seconds, and no more than a timer can wait (2^31 - 1 ms: a longer one fires at once).
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 2_147_483)
    throw new Error(`--timeout takes whole seconds from 1 to 2147483, not "${values.timeout ?? ''}"`);
  const base = (values.url ?? 'http://localhost:3000').replace(/\/+$/, '');
  const route = values.erase ? '/privacy/erase' : '/retention/run';
  const body = { ...(values.erase ? { number: values.erase } : {}), ...(values.limit ? { limit: values.limit } : {}) };
  const bar = process.stdout.isTTY
    ? new SingleBar({ format: '{bar} calls {value} | {step} | deleted: {deleted}', clearOnComplete: false }, Presets.shades_classic)
    : undefined;
  bar?.start(1, 0, { step: 'starting', deleted: 'nothing yet' });
  for (let call = 1; call <= MAX_CALLS; call += 1) {
    const { response, text } = await bearerRequest(`${base}${route}`, {
      method: 'POST',
      token,
      body,
      timeoutMs: timeoutSeconds * 1000,
    }).catch((error: unknown) => {
      throw new Error(`${route} did not answer: ${networkReason(error)}`, { cause: error });
    });
    if (!response.ok) throw new Error(`${route} answered ${response.status}: ${text}`);
    const report = JSON.parse(text) as Report;
    const deleted = describe(report.total);
    if (bar) {
      bar.setTotal(report.done ? call : call + 1);
      bar.update(call, { step: report.done ? 'done' : (report.cursor ?? ''), deleted });
    } else process.stdout.write(`call ${call}: ${report.done ? 'done' : `at ${report.cursor ?? ''}`}; deleted ${deleted}\n`);
    if (report.done) {
      bar?.stop();
      process.stdout.write(`${values.erase ? `Erased ${values.erase}` : 'Retention done'}: ${deleted}.\n`);
      return 0;
    }
  }
  bar?.stop();
  throw new Error(`not done after ${MAX_CALLS} calls`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
