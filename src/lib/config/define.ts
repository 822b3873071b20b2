import * as v from 'valibot';
import { normalizePhone } from '../phone/e164';

/** The environment variables a Function sees (from `.env` locally, Service variables when deployed). */
export type Env = Readonly<Record<string, string | undefined>>;

/** How a variable's text becomes its value: a valibot schema over the trimmed text (`undefined` when unset or empty). */
export type Reader<T> = v.GenericSchema<string | undefined, T>;

/**
 * One environment variable, declared once: how it is read, what it means (the source of
 * `.env.example` and docs/configuration.md's table), and what a broken value turns off.
 */
export interface Setting<T> {
  /** The environment variable. */
  readonly name: string;
  /** One line: docs/configuration.md's table and the first line of `.env.example`'s comment. */
  readonly summary: string;
  /** More for `.env.example` (wrapped as comment lines). */
  readonly details?: string;
  /** The value `.env.example` writes (empty when absent). */
  readonly example?: string;
  /** The reader; a function when the value depends on another variable (ALLOWED_COUNTRIES on TWILIO_PHONE_NUMBER). */
  readonly read: Reader<T> | ((env: Env) => Reader<T>);
  /**
   * The value used while the variable is broken; it must fail closed (send nothing, allow no
   * country, offer no channel). Absent: the reader's value for an empty variable (its default).
   */
  readonly whenBroken?: T;
  /** Routes (API and browser actions only, never a webhook) that answer 503 while the variable is broken. */
  readonly disables?: readonly string[];
  /** What a broken value turns off, in words (docs/configuration.md's table); derived from `disables` when absent. */
  readonly ifBroken?: string;
  /** How to fix a bad value (one line for `npm run build`/`start`/`deploy`); a generic hint when absent. */
  readonly fix?: string;
  /** Never printed, logged or echoed, even in part. */
  readonly secret?: boolean;
  /** Means something only on this machine: never uploaded by a deploy, refused by a deployed service. */
  readonly localOnly?: boolean;
  /** `example` is the sandbox's built-in test value: a deploy to Twilio refuses to upload it. */
  readonly sandboxValue?: boolean;
  /** What a service running on Twilio (and every deploy) also refuses: a weak token, a tunnel URL. Says what is wrong, never the value. */
  deployedCheck?(value: T): string | undefined;
}

/** Declares a setting; `T` comes from its reader. */
export const setting = <T>(spec: Setting<T>): Setting<T> => spec;

/** A tree of settings: the shape of `Settings` (leaves are settings, branches nested objects). */
export interface SettingTree {
  readonly [field: string]: Setting<unknown> | SettingTree;
}

export const isSetting = (node: Setting<unknown> | SettingTree): node is Setting<unknown> =>
  typeof (node as Setting<unknown>).name === 'string' && 'read' in node;

/** The settings of a tree, in declaration order. */
export const settingsIn = (tree: SettingTree): Array<Setting<unknown>> =>
  Object.values(tree).flatMap((node) => (isSetting(node) ? [node] : settingsIn(node)));

/** The values a tree of settings reads to: `Setting<T>` → `T`, optional where `T` may be undefined. */
export type Values<Tree> = Optional<{ -readonly [K in keyof Tree]: Tree[K] extends Setting<infer T> ? T : Values<Tree[K]> }>;
type Optional<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
};

// --- Readers: each refuses with a message that says what is wrong, never echoing a secret. ---

/** Free text (replies, names), at most `max` characters. */
export function text(options?: { max?: number }): Reader<string | undefined>;
export function text(options: { max?: number; fallback: string }): Reader<string>;
export function text({ max = 1600, fallback }: { max?: number; fallback?: string } = {}): Reader<string | undefined> {
  return v.optional(v.pipe(v.string(), v.maxLength(max, `must be at most ${max} characters`)), fallback);
}

/** A whole number from `min` to `max`. */
export const integer = (min: number, max: number, fallback: number): Reader<number> =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[+-]?\d+$/, `must be a whole number from ${min} to ${max}`),
      v.transform(Number),
      v.minValue(min, `must be a whole number from ${min} to ${max}`),
      v.maxValue(max, `must be a whole number from ${min} to ${max}`),
    ),
    String(fallback),
  );

/** A decimal number from `min` to `max`. */
export const decimal = (min: number, max: number, fallback: number): Reader<number> =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[+-]?(\d+\.?\d*|\.\d+)$/, `must be a number from ${min} to ${max}`),
      v.transform(Number),
      v.minValue(min, `must be a number from ${min} to ${max}`),
      v.maxValue(max, `must be a number from ${min} to ${max}`),
    ),
    String(fallback),
  );

/** One of a few words, in any case. */
export const oneOf = <const T extends string>(options: readonly T[], fallback: T): Reader<T> =>
  v.optional(v.pipe(v.string(), v.toLowerCase(), v.picklist(options, `must be one of ${options.join(', ')}`)), fallback);

/** `true` or `false`, in any case. */
export const flag = (fallback: boolean): Reader<boolean> =>
  v.pipe(
    oneOf(['true', 'false'], fallback ? 'true' : 'false'),
    v.transform((word) => word === 'true'),
  );

/** Splits a comma-separated value into its non-empty items, each read by `item` (trimmed by default). */
export const commaSeparated = (item: (text: string) => string = (text) => text.trim()) =>
  v.transform((value: string) =>
    value
      .split(',')
      .map(item)
      .filter((entry) => entry !== ''),
  );

/** A comma-separated list of words from `options`, in any case. */
export const listOf = <const T extends string>(options: readonly T[], fallback: readonly T[]): Reader<T[]> =>
  v.optional(
    v.pipe(
      v.string(),
      commaSeparated((item) => item.trim().toLowerCase()),
      v.check(
        (items) => items.every((item) => (options as readonly string[]).includes(item)),
        (issue) =>
          `may only list ${options.join(', ')} (not ${issue.input.filter((item) => !(options as readonly string[]).includes(item)).join(', ')})`,
      ),
      v.transform((items) => items as T[]),
    ),
    fallback.join(','),
  );

/** A Twilio SID with this two-letter prefix (or one of `also`, such as Sync's `default`). */
export const sid = (prefix: string, also: readonly string[] = []): Reader<string | undefined> =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (value) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value) || also.includes(value),
        `must be a ${prefix}… SID (${prefix} and 32 hexadecimal characters)${also.length ? ` or ${also.map((word) => `"${word}"`).join(', ')}` : ''}`,
      ),
    ),
  );

/** A phone number in E.164 (a leading + and the country code; spaces and dashes are read through). */
export const phone = (): Reader<string | undefined> =>
  v.optional(
    v.pipe(
      v.string(),
      v.check((value) => value.trim().startsWith('+'), 'must be in E.164 form: + and the country code'),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return normalizePhone(dataset.value).e164;
        } catch {
          addIssue({ message: 'is not a valid phone number in E.164 form' });
          return NEVER;
        }
      }),
    ),
  );

/** An absolute http(s) URL without a query or fragment, trailing slashes dropped. */
export const httpUrl = (): Reader<string | undefined> =>
  v.optional(
    v.pipe(
      v.string(),
      v.check((value) => {
        try {
          const url = new URL(value);
          return (
            (url.protocol === 'https:' || url.protocol === 'http:') &&
            url.search === '' &&
            url.hash === '' &&
            url.username === '' &&
            url.password === ''
          );
        } catch {
          return false;
        }
      }, 'must be an absolute http:// or https:// URL, without a query, fragment or credentials'),
      v.transform((value) => value.replace(/\/+$/, '')),
    ),
  );

/** A secret: one word (no spaces), at least `min` characters. The message never shows the value. */
export const secret = (min: number): Reader<string | undefined> =>
  v.optional(
    v.pipe(v.string(), v.regex(/^\S+$/, 'must be one word, without spaces'), v.minLength(min, `must be at least ${min} characters`)),
  );

/** A comma-separated list of secrets (old and new during a rotation), each one word of at least `min` characters. */
export const secretList = (min: number): Reader<string[]> =>
  v.optional(
    v.pipe(
      v.string(),
      commaSeparated(),
      v.check((items) => items.every((item) => /^\S+$/.test(item)), 'each token must be one word, without spaces'),
      v.check((items) => items.every((item) => item.length >= min), `each token must be at least ${min} characters`),
    ),
    '',
  );
