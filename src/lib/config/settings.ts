import * as v from 'valibot';
import { AppError } from '../errors/app-error';
import { log } from '../logging/log';
import { isSetting, settingsIn, type Env, type Setting, type SettingTree, type Values } from './define';
import { SCHEMA } from './schema';

export type { Env } from './define';
export { VERIFY_CHANNELS, DEFAULT_HELP_MESSAGE, DEFAULT_OPT_IN_MESSAGE, DEFAULT_OPT_OUT_MESSAGE, DEFAULT_WHATSAPP_HELP } from './schema';
export type { OptOutReplies, VerifyChannel } from './schema';

/** The runtime context of one invocation, typed to what the product reads. */
export interface RuntimeContext extends Env {
  readonly DOMAIN_NAME?: string;
  readonly PATH?: string;
}

/** Phone verification (Twilio Verify) and its SMS-pumping defences. */
export type VerifySettings = Values<typeof SCHEMA.verify>;
/** The IVR and calls. */
export type VoiceSettings = Values<typeof SCHEMA.voice>;
/** WhatsApp's inbound keyword router (WHATSAPP_FROM sits at the top, as `whatsappFrom`). */
export type WhatsAppSettings = Omit<Values<typeof SCHEMA.whatsapp>, 'whatsappFrom'>;

type TopLevel = Values<typeof SCHEMA.core> & Values<typeof SCHEMA.sms> & Values<typeof SCHEMA.outbound> & Pick<Values<typeof SCHEMA.whatsapp>, 'whatsappFrom'>;

/** Every setting, read from the schema in `schema.ts`; the type comes from it too. */
export interface Settings extends TopLevel {
  /**
   * Settings that are broken but only disable what depends on them: their names, never their
   * values. STOP/START/HELP and status callbacks depend on none of them; /health reports them.
   */
  problems: string[];
  verify: VerifySettings;
  whatsapp: WhatsAppSettings;
  voice: VoiceSettings;
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

/** One setting's value, or what is wrong with it. */
export function readSetting<T>(spec: Setting<T>, env: Env): { ok: true; value: T } | { ok: false; problem: string } {
  const result = v.safeParse(readerOf(spec, env), rawValue(env, spec.name));
  return result.success ? { ok: true, value: result.output } : { ok: false, problem: result.issues[0].message };
}

/** The value a broken setting takes: its declared fail-closed value, else what an empty variable reads to. */
function whenBroken<T>(spec: Setting<T>, env: Env): T {
  if ('whenBroken' in spec) return spec.whenBroken as T;
  const empty = v.safeParse(readerOf(spec, env), undefined);
  return (empty.success ? empty.output : undefined) as T;
}

const defaultFix = (spec: Setting<unknown>) => `correct it as .env.example describes${spec.example === undefined ? ', or leave it empty' : `, or leave it empty for the default (${spec.example})`}`;

/** Every broken value in `env`, one line each: what `npm run build`, `npm start` and `npm run deploy` refuse. */
export function checkSettings(env: Env): SettingProblem[] {
  return ALL_SETTINGS.flatMap((spec) => {
    const read = readSetting(spec, env);
    return read.ok ? [] : [{ name: spec.name, problem: read.problem, fix: spec.fix ?? defaultFix(spec) }];
  });
}

function readTree(tree: SettingTree, env: Env, problems: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, node] of Object.entries(tree)) {
    if (!isSetting(node)) {
      values[field] = readTree(node, env, problems);
      continue;
    }
    const read = readSetting(node, env);
    if (read.ok) {
      values[field] = read.value;
    } else {
      problems.push(node.name);
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
function parseSettings(context: RuntimeContext): Settings {
  const problems: string[] = [];
  const values = readTree(SCHEMA, context, problems) as { [G in keyof typeof SCHEMA]: Values<(typeof SCHEMA)[G]> };
  const { whatsappFrom, ...whatsapp } = values.whatsapp;
  return deepFreeze({
    problems,
    ...values.core,
    ...values.sms,
    ...values.outbound,
    whatsappFrom,
    verify: values.verify,
    whatsapp,
    voice: values.voice,
  });
}

/** Warm containers keep their settings: parsed once per distinct set of values (a few, in tests). */
const CACHE_SIZE = 8;
const cache = new Map<string, Settings>();
const cacheKey = (context: RuntimeContext): string =>
  [context.DOMAIN_NAME, ...ALL_SETTINGS.map((spec) => context[spec.name])].map((value) => (typeof value === 'string' ? value : '\u0001')).join('\u0000');

/**
 * Reads every setting in one place; routes never read `context.X` themselves. Parsed once per
 * warm container (keyed by the values, since the runtime builds a new context per request);
 * the result is frozen and shared.
 */
export function readSettings(context: RuntimeContext): Settings {
  const key = cacheKey(context);
  const cached = cache.get(key);
  if (cached) return cached;
  const settings = parseSettings(context);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, settings);
  return settings;
}

/** Where Twilio reaches this service: PUBLIC_BASE_URL, else the Service's own domain. */
export function publicBaseUrl(context: RuntimeContext): string {
  const read = readSetting(SCHEMA.core.publicBaseUrl, context);
  return read.ok ? read.value : whenBroken(SCHEMA.core.publicBaseUrl, context);
}

/** 503 `not_configured` when any of `names` is broken: what depends on them is off until they are fixed. */
export function refuseBroken(settings: Settings, names: readonly string[], what: string): void {
  const broken = names.filter((name) => settings.problems.includes(name));
  if (broken.length === 0) return;
  throw new AppError(503, 'not_configured', `${broken.join(', ')} ${broken.length === 1 ? 'is' : 'are'} not valid, so ${what} is off until ${broken.length === 1 ? 'it is' : 'they are'} fixed (see /health)`, {
    details: { settings: broken },
  });
}

/** The broken settings that turn this route off (declared by each setting's `disables`). */
export const settingsDisabling = (settings: Settings, path: string | undefined): string[] =>
  path === undefined ? [] : settings.problems.filter((name) => BY_NAME.get(name)?.disables?.includes(path));
