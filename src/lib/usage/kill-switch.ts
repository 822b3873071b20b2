// The kill switch: a Twilio Usage Trigger's callback pauses non-essential sends (the outbound gate
// refuses them with 503 sending_paused) until the owner resumes them. State lives in Sync; each
// callback acts once, by its IdempotencyToken.
import { AppError, badRequest } from '../errors/app-error';
import { optionalString, requiredString, type Params } from '../http/params';
import { describeError, log } from '../logging/log';
import type { Settings } from '../config/settings';
import type { Stores } from '../stores';
import type { PausingTrigger, SendingPause } from '../stores/sending-pause';

/**
 * What Twilio posts to a UsageTrigger's CallbackUrl when it fires: AccountSid, UsageTriggerSid,
 * DateFired, Recurring, UsageCategory, TriggerBy, TriggerValue, CurrentValue, UsageRecordUri and
 * IdempotencyToken (https://www.twilio.com/docs/usage/api/usage-trigger, "UsageTrigger callbacks").
 */
interface UsageTriggerCallback {
  accountSid: string;
  idempotencyToken: string;
  trigger: PausingTrigger;
}

/** UsageTrigger SIDs: `UT` and 32 hex digits (twilio_api_v2010.json, api.v2010.account.usage.usage_trigger). */
const TRIGGER_SID = /^UT[0-9a-fA-F]{32}$/;

export function readUsageTriggerCallback(params: Params): UsageTriggerCallback {
  const sid = requiredString(params, 'UsageTriggerSid', { maxLength: 34 });
  if (!TRIGGER_SID.test(sid)) throw badRequest('invalid_parameter', '"UsageTriggerSid" is not a UsageTrigger SID');
  const text = (name: string) => optionalString(params, name, { maxLength: 200 }) ?? '';
  return {
    accountSid: requiredString(params, 'AccountSid', { maxLength: 34 }),
    idempotencyToken: requiredString(params, 'IdempotencyToken', { maxLength: 200 }),
    trigger: {
      sid,
      usageCategory: text('UsageCategory'),
      triggerBy: text('TriggerBy'),
      recurring: text('Recurring'),
      triggerValue: text('TriggerValue'),
      currentValue: text('CurrentValue'),
      dateFired: text('DateFired'),
    },
  };
}

/** What a callback did: `paused` (now, or still by an earlier trigger), or `duplicate` (its token was seen). */
type TriggerOutcome = { outcome: 'paused'; pause: SendingPause } | { outcome: 'duplicate' };

/**
 * Pauses non-essential sends for a fired trigger, once per IdempotencyToken: the token is claimed
 * first (a redelivery after a resume must not pause again) and given back when the pause could not
 * be written, so Twilio's next attempt can do it.
 */
export async function pauseForTrigger(
  { stores, settings }: { stores: Stores; settings: PauseScope },
  callback: UsageTriggerCallback,
  now = new Date(),
): Promise<TriggerOutcome> {
  if (settings.accountSid && callback.accountSid !== settings.accountSid)
    throw new AppError(403, 'wrong_account', 'This Usage Trigger belongs to another account');
  const claim = `usage-trigger:${callback.idempotencyToken}`;
  if (!(await stores.claims.claim(claim, now))) return { outcome: 'duplicate' };
  try {
    const pause = await stores.sendingPause.pause({ since: now.toISOString(), trigger: callback.trigger });
    forgetHealthAnswer(settings);
    log('warn', 'sending_paused', { trigger: callback.trigger.sid, category: callback.trigger.usageCategory, since: pause.since });
    return { outcome: 'paused', pause };
  } catch (error) {
    await stores.claims
      .release(claim)
      .catch((releaseError: unknown) => log('error', 'claim_not_released', { error: describeError(releaseError) }));
    throw error;
  }
}

/** Lifts the pause; says which one was lifted (none: sends were not paused). */
export async function resumeSending({
  stores,
  settings,
}: {
  stores: Stores;
  settings: PauseScope;
}): Promise<{ resumed: boolean; pause?: SendingPause }> {
  const lifted = await stores.sendingPause.resume();
  forgetHealthAnswer(settings);
  if (lifted) log('warn', 'sending_resumed', { trigger: lifted.trigger.sid, since: lifted.since });
  return lifted ? { resumed: true, pause: lifted } : { resumed: false };
}

/** How long /health waits for the pause: a liveness answer must not wait out Sync's retries. */
const HEALTH_PAUSE_WAIT_MS = 500;

/**
 * How long /health reuses this instance's answer about the pause: /health is public, so a flood of
 * it costs the owner one Sync read per instance every 5 s, not one per call. A pause or resume made
 * through another instance shows here up to 5 s late; one made through this instance shows at once.
 */
const HEALTH_PAUSE_REUSE_MS = 5_000;

/** The pause as /health shows it: since when and by which trigger, never the amounts. */
type PauseView = false | 'unknown' | { since: string; trigger: string; usageCategory: string };

/** Which Sync service an answer belongs to (tests run several sandboxes in one process). */
type PauseScope = Pick<Settings, 'sandboxUrl' | 'accountSid' | 'syncServiceSid'>;
const scopeKey = (scope: PauseScope): string => `${scope.sandboxUrl ?? ''}|${scope.accountSid ?? ''}|${scope.syncServiceSid}`;

/** This warm instance's last answer per Sync service, with when it stops being reused (a read in flight is shared). */
const healthAnswers = new Map<string, { until: number; answer: Promise<PauseView> }>();

/** Forgets this instance's answer: its own pause or resume shows on /health at once. */
function forgetHealthAnswer(scope: PauseScope): void {
  healthAnswers.delete(scopeKey(scope));
}

/**
 * The pause as /health shows it to anyone: since when and by which trigger, never the amounts;
 * `unknown` when it cannot be read within half a second (no Twilio credentials, Sync down or slow):
 * health answers anyway, and says so in its body rather than in the error log. Costs one Sync read
 * per instance every HEALTH_PAUSE_REUSE_MS at most.
 */
export function describePause(scope: PauseScope, stores: () => Stores, now = Date.now()): Promise<PauseView> {
  const key = scopeKey(scope);
  const kept = healthAnswers.get(key);
  if (kept && kept.until > now) return kept.answer;
  const answer = readPauseView(stores);
  healthAnswers.set(key, { until: now + HEALTH_PAUSE_REUSE_MS, answer });
  return answer;
}

async function readPauseView(stores: () => Stores): Promise<PauseView> {
  let timer: NodeJS.Timeout | undefined;
  const unknown = new Promise<'unknown'>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), HEALTH_PAUSE_WAIT_MS);
  });
  const read = (async () => {
    const pause = await stores().sendingPause.inForce();
    return pause ? { since: pause.since, trigger: pause.trigger.sid, usageCategory: pause.trigger.usageCategory } : false;
  })().catch(() => 'unknown' as const);
  try {
    return await Promise.race([read, unknown]);
  } finally {
    clearTimeout(timer);
  }
}
