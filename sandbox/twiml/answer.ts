import type { DeliveryResult } from '../webhooks/dispatcher';
import type { WebhookFailure } from '../webhooks/failure-codes';
import { TwimlError } from './response';

/** A TwiML document read from a webhook's answer, or why Twilio could not read it. */
export type TwimlRead<T> = { document: T } | { failure: WebhookFailure };

/**
 * Reads the TwiML of a delivery's answer the way Twilio judges it: a failed request (its error
 * code: 11200 for a 4xx / 5xx answer, 11205, …), then a non-empty answer whose Content-Type is
 * not XML or HTML (12300), then `parse`'s TwimlError (12100). An empty answer goes to `parse`
 * whatever its type (Messaging reads it as "no reply").
 */
export function readTwimlAnswer<T>(delivery: DeliveryResult, parse: (source: string) => T): TwimlRead<T> {
  if (delivery.errorCode !== undefined) {
    return {
      failure: { code: delivery.errorCode, message: delivery.error ?? `HTTP retrieval failure: status ${String(delivery.status)}` },
    };
  }
  if (delivery.body.trim() !== '' && delivery.contentType && !/xml|html/i.test(delivery.contentType)) {
    return { failure: { code: 12300, message: `Invalid Content-Type: ${delivery.contentType}` } };
  }
  try {
    return { document: parse(delivery.body) };
  } catch (error) {
    if (!(error instanceof TwimlError)) throw error;
    return { failure: { code: error.code, message: error.message } };
  }
}

/** The parameters of a fallback request: those of the failed one plus ErrorCode and ErrorUrl. */
export function fallbackParams(params: Record<string, string>, failure: WebhookFailure, failedUrl: string): Record<string, string> {
  return { ...params, ErrorCode: String(failure.code), ErrorUrl: failedUrl };
}
