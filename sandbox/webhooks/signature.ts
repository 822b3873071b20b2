import { createHash, createHmac } from 'node:crypto';

/**
 * Twilio's request signature (X-Twilio-Signature), written from Twilio's documented algorithm:
 * take the full URL, append each POST parameter's name and value with names sorted (values of
 * a repeated name sorted too), HMAC-SHA1 that with the auth token, base64-encode the digest.
 */
export type WebhookParams = Readonly<Record<string, string | readonly string[]>>;

export function computeSignature(authToken: string, url: string, params: WebhookParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Hex SHA-256 of a body, the `bodySHA256` query parameter of JSON webhooks. */
export function bodySha256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Signs a webhook whose body is JSON: Twilio adds `bodySHA256=<hex sha256 of the body>` to the
 * URL's query and signs the resulting URL alone (no parameters).
 */
export function signJsonWebhook(authToken: string, url: string, body: string): { url: string; signature: string } {
  const target = new URL(url);
  target.searchParams.set('bodySHA256', bodySha256(body));
  const signedUrl = target.toString();
  return { url: signedUrl, signature: computeSignature(authToken, signedUrl) };
}
