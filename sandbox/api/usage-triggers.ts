import type { Clock } from '../clock';
import { rfc2822 } from '../dates';
import { badRequest, requiredParam } from '../http/errors';
import { methodParam } from '../http/form';
import { newSid } from '../sids';
import { TOTAL_PRICE, utcDay, type UsageCounters } from '../usage';
import type { Delivery } from '../webhooks/dispatcher';

/** How often a trigger may fire: once per GMT period (twilio_api_v2010.json, usage_trigger_enum_recurring). */
type Recurring = 'daily' | 'monthly' | 'yearly' | 'alltime';
/** The UsageRecord field a trigger watches (usage_trigger_enum_trigger_field). */
type TriggerBy = 'count' | 'usage' | 'price';

const RECURRING: readonly Recurring[] = ['daily', 'monthly', 'yearly', 'alltime'];
const TRIGGER_BY: readonly TriggerBy[] = ['count', 'usage', 'price'];

export interface UsageTriggerRecord {
  readonly sid: string;
  readonly dateCreated: number;
  dateUpdated: number;
  friendlyName: string;
  callbackUrl: string;
  callbackMethod: 'GET' | 'POST';
  readonly usageCategory: string;
  readonly triggerBy: TriggerBy;
  readonly recurring: Recurring;
  readonly triggerValue: number;
  dateFired: number | null;
  /** The period (its first day) the trigger last fired in; a trigger fires once per period. */
  firedPeriod: string | null;
}

/** The first day (`YYYY-MM-DD`, GMT) of the period a recurring trigger is in at `epochMs`. */
function periodStart(recurring: Recurring, epochMs: number): string {
  const day = utcDay(epochMs);
  if (recurring === 'daily') return day;
  if (recurring === 'monthly') return `${day.slice(0, 8)}01`;
  if (recurring === 'yearly') return `${day.slice(0, 5)}01-01`;
  return '0000-01-01';
}

/** `+N` / `-N` / `N`, positive numbers only (spec: "Must be a positive, numeric value"; `+30` is an offset). */
const TRIGGER_VALUE = /^[+]?\d+(\.\d+)?$/;

const callbackMethod = (form: URLSearchParams): 'GET' | 'POST' => methodParam(form, 'CallbackMethod', 20001) ?? 'POST';

/** A number as Twilio writes usage values: a decimal string without float noise. */
const decimal = (value: number): string => String(Number(value.toFixed(6)));

export interface UsageTriggerDeps {
  accountSid: string;
  clock: Clock;
  usage: UsageCounters;
  /** Sends a signed callback (the sandbox's webhook dispatcher). */
  deliver: (delivery: Delivery) => unknown;
}

/**
 * The account's UsageTriggers (https://www.twilio.com/docs/usage/api/usage-trigger): created,
 * listed, fetched, updated (CallbackUrl, CallbackMethod, FriendlyName only) and deleted, and fired
 * as the sandbox's usage grows: a callback when the watched value reaches TriggerValue, once per
 * period for recurring triggers (GMT days, months, years by the sandbox clock), once ever otherwise.
 */
export class UsageTriggerStore {
  private readonly triggers = new Map<string, UsageTriggerRecord>();

  constructor(private readonly deps: UsageTriggerDeps) {
    deps.usage.onBilled((category) => this.evaluate(category));
  }

  create(form: URLSearchParams): UsageTriggerRecord {
    const callbackUrl = requiredParam(form, 'CallbackUrl');
    const rawValue = requiredParam(form, 'TriggerValue');
    const usageCategory = requiredParam(form, 'UsageCategory');
    if (!/^[a-z0-9-]+$/.test(usageCategory)) throw badRequest(20001, `Invalid UsageCategory: ${usageCategory}`);
    const recurring = (form.get('Recurring') || 'alltime') as Recurring;
    if (!RECURRING.includes(recurring)) throw badRequest(20001, `Invalid Recurring: ${recurring}`);
    // "The default is usage" (CreateUsageTrigger's TriggerBy).
    const triggerBy = (form.get('TriggerBy') || 'usage') as TriggerBy;
    if (!TRIGGER_BY.includes(triggerBy)) throw badRequest(20001, `Invalid TriggerBy: ${triggerBy}`);
    if (!TRIGGER_VALUE.test(rawValue)) throw badRequest(20001, `TriggerValue must be a positive, numeric value, got ${rawValue}`);
    const now = this.deps.clock.now();
    const offset = rawValue.startsWith('+');
    const triggerValue = Number(rawValue) + (offset ? this.valueOf({ usageCategory, triggerBy, recurring }, now) : 0);
    const record: UsageTriggerRecord = {
      sid: newSid('UT'),
      dateCreated: now,
      dateUpdated: now,
      friendlyName: (form.get('FriendlyName') ?? '').slice(0, 64),
      callbackUrl,
      callbackMethod: callbackMethod(form),
      usageCategory,
      triggerBy,
      recurring,
      triggerValue,
      dateFired: null,
      firedPeriod: null,
    };
    this.triggers.set(record.sid, record);
    return record;
  }

  get(sid: string): UsageTriggerRecord | undefined {
    return this.triggers.get(sid);
  }

  /** In creation order, filtered as the list's Recurring, TriggerBy and UsageCategory parameters ask. */
  list(filter: { recurring?: string; triggerBy?: string; usageCategory?: string }): UsageTriggerRecord[] {
    return [...this.triggers.values()].filter(
      (t) =>
        (!filter.recurring || t.recurring === filter.recurring) &&
        (!filter.triggerBy || t.triggerBy === filter.triggerBy) &&
        (!filter.usageCategory || t.usageCategory === filter.usageCategory),
    );
  }

  update(record: UsageTriggerRecord, form: URLSearchParams): void {
    record.callbackUrl = form.get('CallbackUrl') || record.callbackUrl;
    if (form.has('CallbackMethod')) record.callbackMethod = callbackMethod(form);
    if (form.has('FriendlyName')) record.friendlyName = (form.get('FriendlyName') ?? '').slice(0, 64);
    record.dateUpdated = this.deps.clock.now();
  }

  remove(sid: string): boolean {
    return this.triggers.delete(sid);
  }

  /** The value the trigger watches, for its current period. */
  valueOf(trigger: Pick<UsageTriggerRecord, 'usageCategory' | 'triggerBy' | 'recurring'>, now = this.deps.clock.now()): number {
    const totals = this.deps.usage.totals(trigger.usageCategory, periodStart(trigger.recurring, now), utcDay(now));
    if (trigger.triggerBy === 'count') return totals.count;
    if (trigger.triggerBy === 'price') return totals.price;
    // `usage` is money for totalprice, units for everything the sandbox bills per item.
    return trigger.usageCategory === TOTAL_PRICE ? totals.price : totals.count;
  }

  /** The resource as twilio_api_v2010.json's api.v2010.account.usage.usage_trigger lists it. */
  resource(t: UsageTriggerRecord): Record<string, unknown> {
    const { accountSid } = this.deps;
    return {
      account_sid: accountSid,
      api_version: '2010-04-01',
      callback_method: t.callbackMethod,
      callback_url: t.callbackUrl,
      current_value: decimal(this.valueOf(t)),
      date_created: rfc2822(t.dateCreated),
      date_fired: t.dateFired === null ? null : rfc2822(t.dateFired),
      date_updated: rfc2822(t.dateUpdated),
      friendly_name: t.friendlyName,
      recurring: t.recurring,
      sid: t.sid,
      trigger_by: t.triggerBy,
      trigger_value: decimal(t.triggerValue),
      uri: `${usageTriggersPath(accountSid)}/${t.sid}.json`,
      usage_category: t.usageCategory,
      usage_record_uri: usageRecordUri(accountSid, t.usageCategory),
    };
  }

  /**
   * Fires every trigger whose value reached TriggerValue and that has not fired in this period,
   * among those an item billed in `category` can move: that category's and `totalprice`'s.
   */
  private evaluate(category: string): void {
    const now = this.deps.clock.now();
    for (const trigger of this.triggers.values()) {
      if (trigger.usageCategory !== category && trigger.usageCategory !== TOTAL_PRICE) continue;
      const period = periodStart(trigger.recurring, now);
      if (trigger.firedPeriod === period) continue;
      const value = this.valueOf(trigger, now);
      if (value < trigger.triggerValue) continue;
      trigger.firedPeriod = period;
      trigger.dateFired = now;
      this.deps.deliver({ url: trigger.callbackUrl, method: trigger.callbackMethod, params: this.callbackParams(trigger, value, period) });
    }
  }

  /**
   * What Twilio sends to the CallbackUrl (https://www.twilio.com/docs/usage/api/usage-trigger,
   * "UsageTrigger callbacks"). The IdempotencyToken is the same for the same trigger and period,
   * so a receiver can act once per firing.
   */
  private callbackParams(trigger: UsageTriggerRecord, value: number, period: string): Record<string, string> {
    const { accountSid } = this.deps;
    return {
      AccountSid: accountSid,
      UsageTriggerSid: trigger.sid,
      DateFired: rfc2822(trigger.dateFired ?? this.deps.clock.now()),
      Recurring: trigger.recurring,
      UsageCategory: trigger.usageCategory,
      TriggerBy: trigger.triggerBy,
      TriggerValue: decimal(trigger.triggerValue),
      CurrentValue: decimal(value),
      UsageRecordUri: usageRecordUri(accountSid, trigger.usageCategory),
      IdempotencyToken: `${accountSid}-FIRES-${trigger.sid}-${period}`,
    };
  }
}

export const usageTriggersPath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Usage/Triggers`;

const usageRecordUri = (accountSid: string, category: string): string =>
  `/2010-04-01/Accounts/${accountSid}/Usage/Records.json?Category=${encodeURIComponent(category)}`;
