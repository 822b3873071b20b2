import * as v from 'valibot';
import { AppError } from '../errors/app-error';
import { log, withholdContentInLogs } from '../logging/log';
import { isSetting, settingsIn, type Env, type Setting, type SettingTree, type Values } from './define';
import { SCHEMA } from './schema';

export type { Env } from './define';
export type { VerifyChannel } from './schema';

/** The runtime context of one invocation, typed to what the product reads. */
export interface RuntimeContext extends Env {
  readonly DOMAIN_NAME?: string;
  readonly PATH?: string;
}

/** Phone verification (Twilio Verify) and its SMS-pumping defences. */
export type VerifySettings = Values<typeof SCHEMA.verify>;
/** The IVR and calls. */
type VoiceSettings = Values<typeof SCHEMA.voice>;
/** What POST /token may grant: Voice (with its TwiML App) and Sync (a service of the clients' own). */
type AccessTokenSettings = Values<typeof SCHEMA.tokens>;
/** How long each kind of data is kept (RETENTION_DAYS_*; 0 keeps it). */
type PrivacySettings = Values<typeof SCHEMA.privacy>;
type ConversationSettings = Values<typeof SCHEMA.conversations>;
/** WhatsApp's inbound keyword router (WHATSAPP_FROM sits at the top, as `whatsappFrom`). */
export type WhatsAppSettings = Omit<Values<typeof SCHEMA.whatsapp>, 'whatsappFrom'>;

type TopLevel = Values<typeof SCHEMA.core> &
  Values<typeof SCHEMA.sms> &
  Values<typeof SCHEMA.outbound> &
  Pick<Values<typeof SCHEMA.whatsapp>, 'whatsappFrom'>;

/** Every setting, read from the schema in `schema.ts`; the type comes from it too. */
export interface Settings extends TopLevel {
  /** The first of `apiTokens` (API_TOKEN may list an old and a new token during a rotation). */
  apiToken?: string;
  /**
   * Settings that are broken but only disable what depends on them: their names, never their
   * values. STOP/START/HELP and status callbacks depend on none of them; /health reports them.
   */
  problems: string[];
  verify: VerifySettings;
  whatsapp: WhatsAppSettings;
  voice: VoiceSettings;
  accessTokens: AccessTokenSettings;
  privacy: PrivacySettings;
  conversations: ConversationSettings;
}

/** A broken value, as the command line reports it: the variable, what is wrong, the fix. */
export interface SettingProblem {
  name: string;
  problem: string;
  fix: string;
}

/** Every setting in schema order (core, sms, outbound, verify, whatsapp, voice). */
export const ALL_SETTINGS: ReadonlyArray<Setting<unknown>> = settingsIn(SCHEMA);
const BY_NAME = new Map(ALL_SETTINGS.map((spec) => [spec.name, spec]));

const readerOf = <T>(spec: Setting<T>, env: Env) => (typeof spec.read === 'function' ? spec.read(env) : spec.read);
const rawValue = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** Why a setting is refused: a value that does not read, or one a deployed service must not use. */
type RefusalKind = 'broken' | 'local only' | 'sandbox value' | 'not for production';

export interface ReadOptions {
  /** Read as a service running on Twilio: local-only settings are refused. */
  deployed?: boolean;
  /**
   * Read as a file a deploy uploads: the sandbox's public test credentials are refused too. At run
   * time they are not: ACCOUNT_SID and AUTH_TOKEN then come from the platform itself, and only the
   * sandbox's edge hands out its own test account.
   */
  forUpload?: boolean;
}

/** One setting's value, or what is wrong with it. */
function readSetting<T>(
  spec: Setting<T>,
  env: Env,
  { deployed = false, forUpload = false }: ReadOptions = {},
): { ok: true; value: T } | { ok: false; kind: RefusalKind; problem: string } {
  const raw = rawValue(env, spec.name);
  if (deployed && raw !== undefined && spec.localOnly)
    return { ok: false, kind: 'local only', problem: 'is local only: a service running on Twilio refuses it' };
  if (forUpload && raw !== undefined && spec.sandboxValue && raw === spec.example) {
    return { ok: false, kind: 'sandbox value', problem: "is the local sandbox's test value: a deploy to Twilio refuses it" };
  }
  const result = v.safeParse(readerOf(spec, env), raw);
  if (!result.success) return { ok: false, kind: 'broken', problem: result.issues[0].message };
  const unfit = deployed && raw !== undefined ? spec.deployedCheck?.(result.output) : undefined;
  return unfit ? { ok: false, kind: 'not for production', problem: unfit } : { ok: true, value: result.output };
}

/**
 * Whether this invocation runs on Twilio rather than on this machine: the Service domain is a
 * `*.twil.io` one (twilio-run and the local server use localhost or a tunnel's host), or the
 * runtime gave a Service SID (ZS…), which it leaves undefined locally. The SID is read from the
 * property's value, not through a getter: locally the runtime defines one that warns when read.
 */
export function runsOnTwilio(context: RuntimeContext): boolean {
  if (/\.twil\.io$/i.test(context.DOMAIN_NAME?.trim() ?? '')) return true;
  const serviceSid: unknown = Object.getOwnPropertyDescriptor(context, 'SERVICE_SID')?.value;
  return typeof serviceSid === 'string' && /^ZS[0-9a-f]{32}$/i.test(serviceSid);
}

/** The value a broken setting takes: its declared fail-closed value, else what an empty variable reads to. */
function whenBroken<T>(spec: Setting<T>, env: Env): T {
  if ('whenBroken' in spec) return spec.whenBroken as T;
  const empty = v.safeParse(readerOf(spec, env), undefined);
  return (empty.success ? empty.output : undefined) as T;
}

const defaultFix = (spec: Setting<unknown>) =>
  `correct it as .env.example describes${spec.example === undefined ? ', or leave it empty' : `, or leave it empty for the default (${spec.example})`}`;

/**
 * Every broken value in `env`, one line each: what `npm run build` and `npm start` refuse, and,
 * read as deployed, what a deploy refuses.
 */
export function checkSettings(env: Env, options: ReadOptions = {}): SettingProblem[] {
  return ALL_SETTINGS.flatMap((spec) => {
    const read = readSetting(spec, env, options);
    if (read.ok) return [];
    const fix =
      read.kind === 'local only' ? 'remove it from the env file you deploy (it is for this machine only)' : (spec.fix ?? defaultFix(spec));
    return [{ name: spec.name, problem: read.problem, fix }];
  });
}

/**
 * Secrets a deploy (and a service running on Twilio) refuses as guessable: API_TOKEN too low in
 * entropy. On this machine they still work; `npm run build`, `npm start` and `npm run doctor` warn.
 */
export function weakSecrets(env: Env): SettingProblem[] {
  return ALL_SETTINGS.filter((spec) => spec.secret && spec.deployedCheck !== undefined).flatMap((spec) => {
    const read = readSetting(spec, env, { deployed: true });
    return !read.ok && read.kind === 'not for production'
      ? [{ name: spec.name, problem: read.problem, fix: spec.fix ?? defaultFix(spec) }]
      : [];
  });
}

/** Why each refused setting of a `Settings` was refused (kept beside it, not in it: `problems` stays a list of names). */
const refusals = new WeakMap<Settings, Map<string, RefusalKind>>();

function readTree(tree: SettingTree, env: Env, options: ReadOptions, problems: Map<string, RefusalKind>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, node] of Object.entries(tree)) {
    if (!isSetting(node)) {
      values[field] = readTree(node, env, options, problems);
      continue;
    }
    const read = readSetting(node, env, options);
    if (read.ok) {
      values[field] = read.value;
    } else {
      problems.set(node.name, read.kind);
      log('error', 'setting_invalid', { name: node.name, problem: read.problem });
      values[field] = whenBroken(node, env);
    }
  }
  return values;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** Reads every setting, never throwing: a broken one is named in `problems` and takes its fail-closed value. */
function parseSettings(context: RuntimeContext, deployed: boolean): Settings {
  const problems = new Map<string, RefusalKind>();
  const values = readTree(SCHEMA, context, { deployed }, problems) as { [G in keyof typeof SCHEMA]: Values<(typeof SCHEMA)[G]> };
  const { whatsappFrom, ...whatsapp } = values.whatsapp;
  const settings: Settings = deepFreeze({
    problems: [...problems.keys()],
    ...values.core,
    apiToken: values.core.apiTokens[0],
    ...values.sms,
    ...values.outbound,
    whatsappFrom,
    verify: values.verify,
    whatsapp,
    voice: values.voice,
    accessTokens: values.tokens,
    privacy: values.privacy,
    conversations: values.conversations,
  });
  refusals.set(settings, problems);
  return settings;
}

/** Warm containers keep their settings: parsed once per distinct set of values (a few, in tests). */
const CACHE_SIZE = 8;
const cache = new Map<string, Settings>();
const cacheKey = (context: RuntimeContext, deployed: boolean): string =>
  [String(deployed), context.DOMAIN_NAME, ...ALL_SETTINGS.map((spec) => context[spec.name])]
    .map((value) => (typeof value === 'string' ? value : '\u0001'))
    .join('\u0000');

/**
 * Reads every setting in one place; routes never read `context.X` themselves. Parsed once per
 * warm container (keyed by the values, since the runtime builds a new context per request);
 * the result is frozen and shared.
 */
export function readSettings(context: RuntimeContext): Settings {
  const deployed = runsOnTwilio(context);
  const key = cacheKey(context, deployed);
  const settings = cache.get(key) ?? parseSettings(context, deployed);
  if (!cache.has(key)) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, settings);
  }
  // PHI_MODE decides what this invocation's log lines may hold (see logging/log.ts).
  withholdContentInLogs(settings.phiMode);
  return settings;
}

/** Where Twilio reaches this service: PUBLIC_BASE_URL, else the Service's own domain. */
export function publicBaseUrl(context: RuntimeContext): string {
  const read = readSetting(SCHEMA.core.publicBaseUrl, context);
  return read.ok ? read.value : whenBroken(SCHEMA.core.publicBaseUrl, context);
}

const REASONS: Record<RefusalKind, string> = {
  broken: 'is not valid',
  'local only': 'is a local-only setting that a service running on Twilio refuses',
  'sandbox value': "is the local sandbox's test value, which a deploy to Twilio refuses",
  'not for production': 'is not fit for a service running on Twilio',
};

/**
 * 503 `not_configured` when any of `names` is refused (a broken value, or a sandbox setting in a
 * deployed service): what depends on them is off until they are fixed. Names, never values.
 */
export function refuseBroken(settings: Settings, names: readonly string[], what: string): void {
  const broken = names.filter((name) => settings.problems.includes(name));
  if (broken.length === 0) return;
  const kinds = refusals.get(settings);
  const reasons = broken.map((name) => `${name} ${REASONS[kinds?.get(name) ?? 'broken']}`).join('; ');
  throw new AppError(
    503,
    'not_configured',
    `${reasons}, so ${what} is off until ${broken.length === 1 ? 'it is' : 'they are'} fixed (see /health)`,
    {
      details: { settings: broken },
    },
  );
}

/** The broken settings that turn this route off (declared by each setting's `disables`). */
export const settingsDisabling = (settings: Settings, path: string | undefined): string[] =>
  path === undefined ? [] : settings.problems.filter((name) => BY_NAME.get(name)?.disables?.includes(path));
