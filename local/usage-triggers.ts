import type { TriggerInstance } from 'twilio/lib/rest/api/v2010/account/usage/trigger';
import type { TwilioClient } from '../src/lib/twilio/sdk';

/** The route a Usage Trigger calls to pause non-essential sends (src/functions/usage/trigger.protected.ts). */
export const USAGE_TRIGGER_ROUTE = '/usage/trigger';

/** The CallbackUrl of this service's kill switch. */
export const usageTriggerUrl = (baseUrl: string): string => `${baseUrl.replace(/\/+$/, '')}${USAGE_TRIGGER_ROUTE}`;

/** Whether a trigger calls this service's kill switch (any service's, when the base URL is unknown). */
export const pointsAtService = (trigger: Pick<TriggerInstance, 'callbackUrl'>, baseUrl: string | undefined): boolean =>
  baseUrl ? trigger.callbackUrl === usageTriggerUrl(baseUrl) : new URL(trigger.callbackUrl, 'http://x').pathname === USAGE_TRIGGER_ROUTE;

/** A dollar amount from the command line: a positive number (Twilio: "Must be a positive, numeric value"). */
export function readUsd(raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw) || !(value > 0))
    throw new Error(`--daily needs a positive amount in USD, got ${raw ?? 'nothing'}`);
  return value;
}

/** One line per trigger, as doctor and usage-trigger print them. */
export const describeTrigger = (t: TriggerInstance): string =>
  `${t.sid} ${t.usageCategory} ${t.recurring || 'alltime'} ${t.triggerBy} >= ${t.triggerValue} (now ${t.currentValue}) -> ${t.callbackUrl}`;

/**
 * A daily spend trigger pointed at the service's kill switch (UsageCategory `totalprice`, TriggerBy
 * `price`, Recurring `daily`: https://www.twilio.com/docs/usage/api/usage-trigger), created only
 * when no identical one exists, so running the command twice makes one trigger.
 */
export async function ensureDailySpendTrigger(
  client: TwilioClient,
  { baseUrl, dailyUsd }: { baseUrl: string; dailyUsd: number },
): Promise<{ created: boolean; trigger: TriggerInstance }> {
  const callbackUrl = usageTriggerUrl(baseUrl);
  const existing = await client.usage.triggers.list({ usageCategory: 'totalprice', recurring: 'daily', triggerBy: 'price', limit: 1000 });
  const same = existing.find((t) => t.callbackUrl === callbackUrl && Number(t.triggerValue) === dailyUsd && t.callbackMethod === 'POST');
  if (same) return { created: false, trigger: same };
  const trigger = await client.usage.triggers.create({
    callbackUrl,
    callbackMethod: 'POST',
    triggerValue: String(dailyUsd),
    usageCategory: 'totalprice',
    triggerBy: 'price',
    recurring: 'daily',
    friendlyName: `twilio-comms kill switch: ${dailyUsd} USD a day`,
  });
  return { created: true, trigger };
}
