import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio';
import { TEST_API_TOKEN, TEST_AUTH_TOKEN, TEST_ORIGIN } from './stack';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** A response read once: status, headers, text, and the JSON when it is JSON. */
export async function toResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls an API action with the bearer token (or the one given, or none with `token: null`). */
export async function callApi(
  url: string,
  { method = 'GET', body, token = TEST_API_TOKEN }: { method?: 'GET' | 'POST'; body?: unknown; token?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return toResult(await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** Calls a browser route (/verify/*) the way a sign-up page does: JSON, with its Origin. */
export async function callFromPage(
  url: string,
  body: unknown,
  { origin = TEST_ORIGIN, token }: { origin?: string | null; token?: string } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (origin !== null) headers.origin = origin;
  if (token) headers.authorization = `Bearer ${token}`;
  return toResult(await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) }));
}

/** Posts a form webhook the way Twilio does, with a real X-Twilio-Signature (or the one given). */
export async function postSignedForm(
  url: string,
  params: Record<string, string>,
  { signature, authToken = TEST_AUTH_TOKEN }: { signature?: string | null; authToken?: string } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const value = signature === undefined ? getExpectedTwilioSignature(authToken, url, params) : signature;
  if (value !== null) headers['x-twilio-signature'] = value;
  return toResult(await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() }));
}

/** Posts a JSON webhook the way Twilio does: `bodySHA256` in the URL, signature over the URL. */
export async function postSignedJson(url: string, body: unknown, authToken = TEST_AUTH_TOKEN): Promise<HttpResult> {
  const text = JSON.stringify(body);
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${getExpectedBodyHash(text)}`;
  const headers = {
    'content-type': 'application/json',
    'x-twilio-signature': getExpectedTwilioSignature(authToken, signedUrl, {}),
  };
  return toResult(await fetch(signedUrl, { method: 'POST', headers, body: text }));
}
