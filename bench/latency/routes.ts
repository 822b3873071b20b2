// The operations whose Twilio round trips `npm run bench` reports and the round-trip test pins,
// each as a caller makes it (API action with the bearer token, page with its Origin, Twilio's
// signed webhook), in an order where each finds what it needs (a sent message, an open window).
import { getExpectedTwilioSignature } from 'twilio';
import { measureRoundTrips, type RoundTrips } from './measure';
import { API_TOKEN, AUTH_TOKEN, OUR_NUMBER } from '../stack';
import { PAGE_ORIGIN, type LatencyStack } from './stack';

export interface RouteFigures extends RoundTrips {
  route: string;
  /** The ceiling on the critical path. */
  target: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${response.url} answered ${response.status}: ${text}`);
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: isJson ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

const apiPost = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(answer);

const pagePost = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { origin: PAGE_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    answer,
  );

/** A webhook as Twilio posts it: form-encoded, with X-Twilio-Signature over the URL and parameters. */
const webhook = (url: string, params: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  }).then(answer);

let inboundSids = 0;
const inboundSid = () => `SM${String(++inboundSids).padStart(32, '0')}`;
const inbound = (from: string, body: string) => ({ MessageSid: inboundSid(), From: from, To: OUR_NUMBER, Body: body, NumMedia: '0' });

/** Fictional numbers the sandbox's Lookup types as mobile (555-0100 … 555-0149 in a real area code). */
const VERIFY_NUMBER = '+12025550101';
const SMS_NUMBER = '+12025550102';
const STOP_NUMBER = '+12025550103';
const WHATSAPP_USER = '+12025550104';

/** Each route once, in order, measured alone. */
export async function measureRoutes(stack: LatencyStack): Promise<RouteFigures[]> {
  const base = stack.functions.url;
  const figures: RouteFigures[] = [];
  const measure = async (route: string, target: number, operation: () => Promise<unknown>) => {
    const counted = await measureRoundTrips(stack.sandbox.url, operation);
    figures.push({ route, target, ...counted });
  };

  await measure('POST /verify/start (first time today)', 6, () => pagePost(`${base}/verify/start`, { to: VERIFY_NUMBER }));
  await measure('POST /verify/start (a number seen before)', 4, () => pagePost(`${base}/verify/start`, { to: VERIFY_NUMBER }));

  let sid = '';
  await measure('POST /sms/send', 3, async () => {
    sid = String((await apiPost(`${base}/sms/send`, { to: SMS_NUMBER, body: 'Your parcel is on its way' })).body.sid);
  });
  // 3, not 2 since the delivery funnel (silent filtering): the record's If-Match write decides which
  // callback reached a step first, then the counters are written, so a step is never counted twice
  // without a Sync write more per callback (claims per step: tried, and Sync's write limit then
  // refused a burst of 1,000 callbacks). A status callback's latency reaches no person.
  await measure('POST /sms/status (delivered)', 3, () =>
    webhook(`${base}/sms/status`, { MessageSid: sid, MessageStatus: 'delivered', To: SMS_NUMBER }),
  );

  await measure('inbound STOP (POST /sms/incoming)', 2, () => webhook(`${base}/sms/incoming`, inbound(STOP_NUMBER, 'STOP')));
  await measure('inbound START (POST /sms/incoming)', 2, () => webhook(`${base}/sms/incoming`, inbound(STOP_NUMBER, 'START')));

  await measure('inbound WhatsApp (POST /whatsapp/incoming)', 2, () =>
    webhook(`${base}/whatsapp/incoming`, {
      ...inbound(`whatsapp:${WHATSAPP_USER}`, 'Hello'),
      To: `whatsapp:${OUR_NUMBER}`,
      ProfileName: 'Ada',
    }),
  );
  await measure('inbound WhatsApp (inside an open window)', 2, () =>
    webhook(`${base}/whatsapp/incoming`, {
      ...inbound(`whatsapp:${WHATSAPP_USER}`, 'One more thing'),
      To: `whatsapp:${OUR_NUMBER}`,
      ProfileName: 'Ada',
    }),
  );
  await measure('POST /whatsapp/send (in the window)', 3, () =>
    apiPost(`${base}/whatsapp/send`, { to: WHATSAPP_USER, body: 'Thanks, we are on it' }),
  );
  return figures;
}
