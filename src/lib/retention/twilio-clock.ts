import type { Deadline } from '../runtime/deadline';
import { repeatable } from '../twilio/request-policy';
import type { TwilioClient } from '../twilio/sdk';

/**
 * Twilio's time, from the HTTP `Date` header of a cheap request (the Account fetch): what Twilio
 * dates its resources by, so "older than N days" is measured on the same clock as date_created
 * and date_sent (and on the sandbox's clock when a test moves it). Our own clock when the header is
 * missing or unreadable.
 */
export async function twilioNow(client: TwilioClient, deadline: Deadline): Promise<Date> {
  await repeatable(deadline, () => client.api.v2010.account.fetch());
  const headers = (client.httpClient as { lastResponse?: { headers?: Record<string, unknown> } } | undefined)?.lastResponse?.headers;
  const date = typeof headers?.date === 'string' ? new Date(headers.date) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : new Date();
}
