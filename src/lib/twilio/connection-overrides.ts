/**
 * Twilio's connection overrides for our callback URLs (a URL fragment, never sent over HTTP nor
 * part of the signed URL): a status callback that met a failure of any kind (5xx, 4xx, a refused
 * or timed-out connection) is tried again up to 3 more times, within Twilio's 15 s total.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides
 */
const CALLBACK_RETRIES = '#rc=3&rp=all';

/** `url` with the callback retries appended (a URL with a fragment of its own is left as it is). */
export const withCallbackRetries = (url: string): string => (url.includes('#') ? url : `${url}${CALLBACK_RETRIES}`);
