import path from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackName } from '../../src/lib/config/reachable-url';
import type { CampaignRequest, Channel, Kind } from './api';
import { badInput, errorMessage } from './errors';

export const DEFAULT_URL = 'http://localhost:3000';

/** Where the service is and how to authenticate; the token is never printed. */
export interface Connection {
  /** Undefined when not given: a resumed campaign keeps the URL it was created with. */
  url?: string;
  token: string;
  /** Where the token came from, for the warning about `ps` and for error hints (never the value). */
  tokenSource: '--token' | 'CAMPAIGN_TOKEN' | '.env API_TOKEN';
}

export type Command =
  | { mode: 'help' }
  | { mode: 'create'; csvPath: string; request: CampaignRequest; dryRun: boolean; connection: Connection }
  | { mode: 'resume'; id: string; csvPath?: string; connection: Connection };

/** What `parseCommand` reads besides argv: the environment and, lazily, `.env`. */
export interface ArgsEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  dotenv: () => Readonly<Record<string, string | undefined>>;
  /** The machine's IANA zone, the default for `--quiet-hours` without `--time-zone`. */
  localTimeZone?: string;
  now?: () => Date;
}

export const USAGE = `Usage:
  npm run campaign -- <recipients.csv> --body "Hi {{name}}, ..." [options]
  npm run campaign -- <recipients.csv> --template HX... [--var 1=name ...] [options]
  npm run campaign -- --resume <campaign id> [<recipients.csv>]

The CSV has a header row; the recipient column is "phone" or "to", every other column is a
{{variable}} for the body or the template.

Options:
  --body <text>             message text with {{column}} placeholders
  --template <HX...>        an approved Content template instead of --body
  --var <n>=<column>        a template variable from a column (repeat; or text with {{column}})
  --name <name>             campaign name (default: the CSV's name and the time)
  --channel sms|whatsapp    default sms; WhatsApp needs --template
  --kind transactional|marketing
                            default transactional; marketing adds opt-out language and quiet hours
  --send-at <ISO time>      send no earlier than this
  --quiet-hours HH:MM-HH:MM local hours to hold messages in, e.g. 21:00-08:00
  --time-zone <IANA zone>   zone for recipients whose zone the number does not tell
                            (default: this machine's)
  --dry-run                 print the plan (sender, throughput, ETA, Twilio queue, unregistered
                            US senders) and stop
  --force                   create the campaign even from a US sender that is not registered
                            (A2P 10DLC campaign, toll-free verification): carriers block its
                            US messages with 30034 / 30032
  --resume <id>             continue a campaign after Ctrl-C or a crash; nothing is sent twice
  --url <url>               the service (default ${DEFAULT_URL})
  --token <token>           API token; prefer CAMPAIGN_TOKEN=... in the environment (default:
                            API_TOKEN from .env). On the command line it is visible in ps.
  -h, --help                this help

Exit codes: 0 done, 1 the service failed or refused, 2 bad input, 130 stopped by Ctrl-C.`;

const OPTIONS = {
  body: { type: 'string' },
  template: { type: 'string' },
  var: { type: 'string', multiple: true },
  name: { type: 'string' },
  channel: { type: 'string' },
  kind: { type: 'string' },
  'send-at': { type: 'string' },
  'quiet-hours': { type: 'string' },
  'time-zone': { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  resume: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Campaign ids name local files: only what an id can be (the service's are `CP` + 32 hex digits). */
export const CAMPAIGN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CONTENT_SID = /^HX[0-9a-f]{32}$/;
const QUIET_HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const VARIABLE = /^([A-Za-z0-9_]{1,20})=(.+)$/s;
const COLUMN = /^[A-Za-z0-9_.-]{1,40}$/;

/** Reads argv (after `npm run campaign --`) into a command; every mistake is a `badInput` (exit 2). */
export function parseCommand(argv: readonly string[], environment: ArgsEnvironment): Command {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw badInput(`${errorMessage(error)}\nRun npm run campaign -- --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { mode: 'help' };
  if (positionals.length > 1) throw badInput(`give one CSV file, not ${positionals.length}: ${positionals.join(' ')}`);
  const csvPath = positionals[0];

  if (values.resume !== undefined) {
    if (!CAMPAIGN_ID.test(values.resume)) throw badInput(`--resume takes a campaign id such as CP0123…, not "${values.resume}"`);
    const fixed = (
      ['body', 'template', 'var', 'name', 'channel', 'kind', 'send-at', 'quiet-hours', 'time-zone', 'dry-run', 'force'] as const
    ).filter((option) => values[option] !== undefined);
    if (fixed.length > 0)
      throw badInput(`--resume continues a campaign as it was created; drop ${fixed.map((option) => `--${option}`).join(', ')}`);
    return { mode: 'resume', id: values.resume, ...(csvPath ? { csvPath } : {}), connection: readConnection(values, environment) };
  }

  if (!csvPath) throw badInput('give the recipients CSV: npm run campaign -- recipients.csv --body "Hi {{name}}"');
  return {
    mode: 'create',
    csvPath,
    request: readRequest(values, csvPath, environment),
    dryRun: values['dry-run'] ?? false,
    connection: readConnection(values, environment),
  };
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value);
  if (!match) throw badInput(`--${option} is ${allowed.join(' or ')}, not "${value}"`);
  return match;
}

function readRequest(values: Values, csvPath: string, environment: ArgsEnvironment): CampaignRequest {
  const channel = oneOf<Channel>('channel', values.channel, ['sms', 'whatsapp'], 'sms');
  const kind = oneOf<Kind>('kind', values.kind, ['transactional', 'marketing'], 'transactional');
  const body = values.body;
  const contentSid = values.template;
  if (body !== undefined && contentSid !== undefined) throw badInput('give --body or --template, not both');
  if (body === undefined && contentSid === undefined) throw badInput('give the message: --body "Hi {{name}}" or --template HX…');
  if (body !== undefined && body.trim() === '') throw badInput('--body is empty');
  if (contentSid !== undefined && !CONTENT_SID.test(contentSid))
    throw badInput(`--template takes a Content template SID (HX and 32 hex digits), not "${contentSid}"`);
  if (values.var && contentSid === undefined)
    throw badInput('--var sets template variables: use it with --template (a --body names its {{columns}} itself)');
  if (channel === 'whatsapp' && contentSid === undefined) {
    throw badInput('a WhatsApp campaign reaches people outside their 24-hour window, so it needs an approved template: --template HX…');
  }

  const name = (
    values.name ?? `${path.basename(csvPath)} ${(environment.now?.() ?? new Date()).toISOString().slice(0, 16).replace('T', ' ')}`
  ).trim();
  if (name === '') throw badInput('--name is empty');
  if (name.length > 100) throw badInput('--name is longer than 100 characters');

  return {
    name,
    channel,
    kind,
    ...(body !== undefined ? { body } : {}),
    ...(contentSid !== undefined ? { contentSid } : {}),
    ...(values.var ? { contentVariables: readVariables(values.var) } : {}),
    ...readSendAt(values['send-at']),
    ...readQuietHours(values['quiet-hours'], values['time-zone'], environment.localTimeZone),
    ...(values.force ? { force: true } : {}),
  };
}

/** `--var 1=name` → `{ "1": "{{name}}" }`; a value with `{{…}}` in it is taken as written. */
function readVariables(specs: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const spec of specs) {
    const match = VARIABLE.exec(spec);
    if (!match) throw badInput(`--var is <n>=<column>, e.g. --var 1=name, not "${spec}"`);
    const [, key, value] = match;
    if (key in variables) throw badInput(`--var ${key} is given twice`);
    if (!value.includes('{{') && !COLUMN.test(value))
      throw badInput(`--var ${key}=${value}: give a column name (letters, digits, _ . -) or text with {{column}}`);
    variables[key] = value.includes('{{') ? value : `{{${value}}}`;
  }
  return variables;
}

function readSendAt(value: string | undefined): Pick<CampaignRequest, 'sendAt'> {
  if (value === undefined) return {};
  const time = Date.parse(value);
  if (!Number.isFinite(time)) throw badInput(`--send-at takes an ISO time such as 2025-06-01T09:00:00-04:00, not "${value}"`);
  return { sendAt: new Date(time).toISOString() };
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function readQuietHours(
  hours: string | undefined,
  zone: string | undefined,
  localZone: string | undefined,
): Pick<CampaignRequest, 'quietHours'> {
  if (hours === undefined) {
    if (zone !== undefined)
      throw badInput('--time-zone goes with --quiet-hours, e.g. --quiet-hours 21:00-08:00 --time-zone America/New_York');
    return {};
  }
  const match = QUIET_HOURS.exec(hours);
  if (!match) throw badInput(`--quiet-hours is HH:MM-HH:MM in 24-hour time, e.g. 21:00-08:00, not "${hours}"`);
  const [start, end] = hours.split('-');
  if (start === end) throw badInput('--quiet-hours starts and ends at the same time');
  const timeZone = zone ?? localZone ?? 'UTC';
  if (!validTimeZone(timeZone)) throw badInput(`--time-zone takes an IANA zone such as America/New_York, not "${timeZone}"`);
  return { quietHours: { start, end, timeZone } };
}

/**
 * A CLI's API token: `variable` from the environment, else API_TOKEN in `.env` (its first token:
 * during a rotation it lists two, comma-separated, and the service accepts each), else undefined.
 * The campaign CLI's lookup (CAMPAIGN_TOKEN) and `npm run retention`'s (RETENTION_TOKEN).
 */
export function tokenFromEnvironment<V extends string>(
  variable: V,
  environment: Pick<ArgsEnvironment, 'env' | 'dotenv'>,
): { token: string; tokenSource: V | '.env API_TOKEN' } | undefined {
  const fromEnv = environment.env[variable]?.trim();
  if (fromEnv) return { token: fromEnv, tokenSource: variable };
  const fromDotenv = environment.dotenv().API_TOKEN?.split(',')[0]?.trim();
  return fromDotenv ? { token: fromDotenv, tokenSource: '.env API_TOKEN' } : undefined;
}

/** URL and token. The token comes from --token, else CAMPAIGN_TOKEN, else API_TOKEN in `.env`. */
function readConnection(values: Values, environment: ArgsEnvironment): Connection {
  const url = values.url === undefined ? undefined : readUrl(values.url);
  if (values.token !== undefined) {
    if (values.token.trim() === '') throw badInput('--token is empty');
    return { ...(url ? { url } : {}), token: values.token.trim(), tokenSource: '--token' };
  }
  const found = tokenFromEnvironment('CAMPAIGN_TOKEN', environment);
  if (found) return { ...(url ? { url } : {}), ...found };
  throw badInput('no API token: set CAMPAIGN_TOKEN in the environment, or API_TOKEN in .env (npm start creates one)');
}

/** An http(s) base URL without a trailing slash; credentials in it are refused (they would be printed). */
function readUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput(`--url takes a URL such as ${DEFAULT_URL}, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`--url must be http or https, not ${url.protocol}`);
  if (url.username || url.password) throw badInput('--url must not carry credentials: use CAMPAIGN_TOKEN for the token');
  if (url.search || url.hash) throw badInput('--url is the service base URL, without a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/** Warnings about how the token travels; never the token itself. */
export function connectionWarnings(connection: Connection, url: string): string[] {
  const warnings: string[] = [];
  if (connection.tokenSource === '--token') {
    warnings.push(
      'warning: a token given with --token is visible to other users of this machine (ps, shell history); prefer CAMPAIGN_TOKEN=… in the environment',
    );
  }
  const { protocol, hostname } = new URL(url);
  if (protocol === 'http:' && !isLoopbackName(hostname))
    warnings.push(`warning: the API token goes to ${hostname} over plain HTTP; use https`);
  return warnings;
}
