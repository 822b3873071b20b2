// `Idempotency-Key` for the API actions that send or create: a retried request with the same key
// (per API token, for 24 hours) gets the first answer, and Twilio is never asked twice.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { AppError, badRequest } from '../errors/app-error';
import { presentedBearerToken } from '../http/bearer-token';
import { requiredPhone, type Params } from '../http/params';
import { errorReply, json, type Reply } from '../http/reply';
import { log } from '../logging/log';
import type { Channel } from '../outbound/address';
import { priorSends } from '../outbound/prior-sends';
import { surelyNotSent } from '../outbound/send-outcome';
import { derivedKey } from '../tokens/derived-key';
import { normalizePhone } from '../phone/e164';
import type { IdempotencyRecord, StoredAnswer } from '../stores/idempotency';
import type { Route, RouteInput } from './route';

/**
 * How long a claim is believed alive. A Function is killed at 10 s; the rest covers a request to
 * Twilio still in flight when it was. Until then the same key waits; after it, it is reconciled.
 */
export const LEASE_MS = 30_000;
/** Printable ASCII (space to `~`), 1 to 255 characters: a UUID, or any key of the caller's own. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * What a route does that a retry must not do twice: send to the `to` parameter on a channel, or
 * only write our own state (`nothing` sent: a lost answer is simply re-run).
 */
export interface IdempotencyPolicy {
  sends: Channel | 'nothing';
  /**
   * For a route whose sends cannot be found by a `to` parameter (a Conversations reply): what an
   * attempt whose outcome was lost did since `since` (epoch ms), found by the `tag` it gave its
   * work (idempotencyTag): the answer to give, or undefined when it did nothing. Throws when
   * Twilio cannot be asked.
   */
  reconcile?: (input: RouteInput, tag: string, since: number) => Promise<StoredAnswer | undefined>;
}

/** The `Idempotency-Key` header, checked: undefined when absent, 400 `invalid_idempotency_key` when malformed. */
export function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) {
    throw badRequest('invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 255 printable ASCII characters');
  }
  return header;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Where a key lives: a short SHA-256 of the API token that called (so callers with different
 * tokens never share a key) and a SHA-256 of the key. Neither the token nor the key is stored.
 */
export function idempotencyItemKey(token: string, key: string): string {
  return `${sha256(token).slice(0, 16)}:${sha256(key).slice(0, 32)}`;
}

/** The HKDF label of the reply tags' key: a key of its own, used for nothing else. */
const TAG_KEY_LABEL = 'twilio-comms idempotency tag v1';

/**
 * The tag a route gives what it creates under an `Idempotency-Key`, so a retry whose first outcome
 * was lost can find it (IdempotencyPolicy.reconcile): an HMAC of the key's place in Sync under a
 * key derived from the account's secret, so whoever reads the tag (a chat participant, a Console
 * user) learns nothing to test a guessed API token or key against. Undefined without the header.
 */
export function idempotencyTag(input: {
  header: RouteInput['header'];
  settings: Pick<RouteInput['settings'], 'apiKey' | 'apiSecret' | 'authToken'>;
}): string | undefined {
  const key = readIdempotencyKey(input.header('idempotency-key'));
  if (key === undefined) return undefined;
  return tagOfItem(input.settings, idempotencyItemKey(presentedBearerToken(input.header('authorization')) ?? '', key));
}

/** The tag of a key's place in Sync (its item key). */
function tagOfItem(settings: Pick<RouteInput['settings'], 'apiKey' | 'apiSecret' | 'authToken'>, item: string): string {
  return createHmac('sha256', derivedKey(settings, TAG_KEY_LABEL)).update(item).digest('hex').slice(0, 32);
}

/**
 * JSON with object keys sorted at every level: the same parameters always read the same. Written
 * with a work list, not recursion, so no nesting depth can overflow the stack; the text is the
 * one the recursive version wrote, so fingerprints kept in Sync still match.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Last in, first out: a value still to write, or text to emit as it is.
  const work: Array<{ value: unknown } | string> = [{ value }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const current = item.value;
    if (Array.isArray(current)) {
      work.push(']');
      for (let index = current.length - 1; index >= 0; index -= 1)
        work.push({ value: current[index] as unknown }, ...(index > 0 ? [','] : []));
      work.push('[');
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      work.push('}');
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [name, entry] = entries[index];
        work.push({ value: entry }, `${index > 0 ? ',' : ''}${JSON.stringify(name)}:`);
      }
      work.push('{');
    } else {
      out.push(JSON.stringify(current) ?? 'null');
    }
  }
  return out.join('');
}

/** The request a key stands for: the route and its canonical parameters. */
export const requestFingerprint = (path: string, params: Params): string => sha256(`${path}\n${canonicalJson(params)}`);

const inProgress = (retryAfterSeconds: number) =>
  new AppError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly', {
    retryAfterSeconds,
  });

const replay = (answer: StoredAnswer): Reply => json(answer.body, answer.status, { [REPLAYED_HEADER]: 'true' });

/** The route's input, noting whether the route reached Twilio or Sync (before that, nothing can have been sent). */
function watched(input: RouteInput): { input: RouteInput; started: () => boolean } {
  let started = false;
  const watchedInput: RouteInput = {
    path: input.path,
    params: input.params,
    header: (name) => input.header(name),
    settings: input.settings,
    deadline: input.deadline,
    twilio: () => {
      started = true;
      return input.twilio();
    },
    get stores() {
      started = true;
      return input.stores;
    },
  };
  return { input: watchedInput, started: () => started };
}

/** One request's key: its place in Sync, its fingerprint, and the attempt's own claim. */
class Attempt {
  readonly id = randomBytes(8).toString('hex');
  readonly claimedAt = Date.now();
  readonly record: IdempotencyRecord;

  constructor(
    readonly input: RouteInput,
    readonly item: string,
    readonly policy: IdempotencyPolicy,
    fingerprint: string,
  ) {
    this.record = { fingerprint, state: 'in_flight', attempt: this.id, claimedAt: this.claimedAt, leaseUntil: this.claimedAt + LEASE_MS };
  }

  get store() {
    return this.input.stores.idempotency;
  }

  /** For the logs: the key's place, never the key. */
  get keyHash(): string {
    return this.item.slice(-12);
  }

  /** The answer to keep for 24 hours, written only while this attempt holds the claim. */
  async keep(answer: StoredAnswer, holder = this.id): Promise<boolean> {
    return this.store.replace(this.item, holder, { ...this.record, state: 'done', answer });
  }

  /**
   * What a send that nobody answered for left at Twilio since `since`: one message or call is
   * taken for it (answered as reconciled), several cannot be told apart (refused, kept final);
   * undefined when nothing was sent, the route sends nothing, or its `to` is not a number (then it
   * never reached Twilio). Throws when Twilio cannot be asked.
   */
  async reconcile(since: number): Promise<StoredAnswer | undefined> {
    if (this.policy.reconcile) {
      const found = await this.policy.reconcile(this.input, tagOfItem(this.input.settings, this.item), since);
      if (found) log('warn', 'idempotency_reconciled', { key: this.keyHash, candidates: 1 });
      return found;
    }
    const { sends } = this.policy;
    const to = sends === 'nothing' ? undefined : recipientOf(this.input.params, this.input);
    if (sends === 'nothing' || to === undefined) return undefined;
    const found = await priorSends(this.input, sends, to, since);
    if (found.length === 0) return undefined;
    log('warn', 'idempotency_reconciled', { key: this.keyHash, candidates: found.length });
    if (found.length === 1) {
      const [{ sid, status, to: address }] = found;
      return { status: 200, body: { sid, status, to: address, reconciled: true } };
    }
    const unknown = new AppError(
      409,
      'idempotency_outcome_unknown',
      'An earlier attempt with this Idempotency-Key stopped before it answered, and Twilio holds several sends to this recipient since then; check them (sids) before sending again with a new key',
      { details: { sids: found.map((send) => send.sid) } },
    );
    return { status: unknown.status, body: unknown.toBody() };
  }
}

/** The `to` parameter as the routes read it (WhatsApp's `whatsapp:` prefix aside); undefined when it is not a number. */
function recipientOf(params: Params, { settings }: RouteInput): string | undefined {
  try {
    return normalizePhone(requiredPhone(params, 'to').replace(/^whatsapp:/, ''), { defaultCountry: settings.defaultCountry }).e164;
  } catch {
    return undefined;
  }
}

/**
 * A refusal made once the route was at work (consent, geography, Twilio's own 4xx): final, kept
 * and replayed. Not a 429 nor `quiet_hours`: both say when to retry, so the key is given back.
 */
const isFinalRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.status < 500 && error.status !== 429 && error.code !== 'quiet_hours';

/**
 * Runs the route as the holder of the claim and settles the key by its outcome: an answer or a
 * final refusal is kept; a failure after which nothing can have been sent releases the key; any
 * other failure is reconciled at once (one send found: answered as reconciled), else the claim is
 * left to its lease.
 */
async function runAsHolder(route: Route, attempt: Attempt): Promise<Reply> {
  const { input, started } = watched(attempt.input);
  let reply: Reply;
  try {
    reply = await route(input);
  } catch (error) {
    if (isFinalRefusal(error) && started()) {
      const refusal = errorReply(error);
      await attempt.keep({ status: error.status, body: error.toBody() }).catch(() => undefined);
      return refusal;
    }
    // Nothing can have been sent (the route never reached Twilio or Sync, sends nothing, or the
    // send surely did not happen): the key is free again, with no need to ask Twilio.
    if (!started() || attempt.policy.sends === 'nothing' || surelyNotSent(error)) {
      await attempt.store.release(attempt.item).catch(() => undefined);
      throw error;
    }
    let answer: StoredAnswer | undefined;
    try {
      answer = await attempt.reconcile(attempt.claimedAt);
    } catch {
      // Twilio cannot say what was sent: the claim stays, and a retry after its lease reconciles.
      log('error', 'idempotency_reconcile_failed', { key: attempt.keyHash });
      throw error;
    }
    if (answer) {
      await attempt.keep(answer).catch(() => undefined);
      return json(answer.body, answer.status);
    }
    // Nothing at Twilio yet, but after a 5xx or a lost connection its list may not show the message
    // yet: the claim stays, and a retry after its lease reconciles again.
    throw error;
  }
  if (reply.kind === 'json') {
    const kept = await attempt.keep({ status: reply.status, body: reply.body }).catch(() => false);
    if (!kept) log('error', 'idempotency_answer_not_kept', { key: attempt.keyHash });
  }
  return reply;
}

/**
 * Makes a route idempotent under the `Idempotency-Key` header (optional). The key is claimed in
 * Sync before the route runs; the same key then gets the kept answer (`Idempotent-Replayed:
 * true`), 409 `request_in_progress` while the first attempt runs, or 422
 * `idempotency_key_reused` with other parameters. A claim whose lease ran out (its Function died)
 * is reconciled from Twilio's Messages or Calls before anything is sent again.
 */
export function idempotent(route: Route, policy: IdempotencyPolicy): Route {
  return async (input) => {
    const key = readIdempotencyKey(input.header('idempotency-key'));
    if (key === undefined) return route(input);
    // The guard has already accepted this token, so it is one of API_TOKEN's: the key is scoped to it.
    const item = idempotencyItemKey(presentedBearerToken(input.header('authorization')) ?? '', key);
    const attempt = new Attempt(input, item, policy, requestFingerprint(input.path, input.params));
    const store = attempt.store;
    if (await store.claim(item, attempt.record)) return runAsHolder(route, attempt);

    const held = await store.get(item);
    // Released or expired between the two reads: a retry claims it afresh.
    if (!held) throw inProgress(1);
    if (held.fingerprint !== attempt.record.fingerprint) {
      throw new AppError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was used with other parameters; use a new key for a new request',
      );
    }
    if (held.state === 'done' && held.answer) return replay(held.answer);
    const now = Date.now();
    if (held.leaseUntil > now) throw inProgress(now - held.claimedAt < 10_000 ? 1 : Math.ceil((held.leaseUntil - now) / 1000));

    // The holder died without an answer: what it may have sent decides, never a blind second send.
    const answer = await attempt.reconcile(held.claimedAt);
    if (answer) {
      if (!(await attempt.keep(answer, held.attempt))) throw inProgress(1);
      return replay(answer);
    }
    if (!(await store.replace(item, held.attempt, attempt.record))) throw inProgress(1);
    log('warn', 'idempotency_claim_taken_over', { key: attempt.keyHash });
    return runAsHolder(route, attempt);
  };
}
