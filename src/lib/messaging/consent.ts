import { AppError } from '../errors/app-error';
import { isTwilioRestError } from '../errors/twilio-errors';
import type { Stores } from '../stores';

/** 409 `opted_out` before any paid call when the recipient has opted out. */
export async function refuseOptedOut(stores: Stores, to: string): Promise<void> {
  if (await stores.optOuts.isOptedOut(to)) {
    throw new AppError(409, 'opted_out', 'The recipient has opted out (replied STOP) and cannot be messaged');
  }
}

/** Twilio's 21610 means the recipient opted out with the carrier: remember it, then fail as before. */
export async function recordCarrierOptOut(stores: Stores, to: string, error: unknown): Promise<never> {
  if (isTwilioRestError(error) && error.code === 21610) await stores.optOuts.optOut(to, 'twilio-21610');
  throw error;
}
