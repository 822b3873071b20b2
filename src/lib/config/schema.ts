import * as v from 'valibot';
import { readAllowedCountries } from '../outbound/geography';
import { readMarketingHours } from '../outbound/marketing-hours';
import { normaliseKeyword } from '../messaging/keywords';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { weakSecret } from './credentials';
import { isLoopbackName, unreachableUrl } from './reachable-url';
import {
  decimal,
  flag,
  httpUrl,
  integer,
  listOf,
  oneOf,
  commaSeparated,
  phone,
  secret,
  secretList,
  setting,
  sid,
  text,
  type Env,
  type Reader,
} from './define';

/**
 * Every environment variable the product reads, declared once and grouped by domain. From this
 * table come the `Settings` type, the parser (`readSettings`), the checks `npm run build`,
 * `npm start` and `npm run deploy` make, `.env.example` and docs/configuration.md's tables
 * (`npm run settings:docs` writes both; a test fails when they drift).
 */

const VERIFY_CHANNELS = ['sms', 'call', 'whatsapp', 'email'] as const;
export type VerifyChannel = (typeof VERIFY_CHANNELS)[number];

/** Who answers STOP/START: Twilio's (Advanced) Opt-Out handling, or this service's TwiML. */
export type OptOutReplies = 'twilio' | 'ours';

const DEFAULT_HELP_MESSAGE = 'Reply STOP to unsubscribe, START to resubscribe. Msg&data rates may apply.';
const DEFAULT_OPT_OUT_MESSAGE = 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.';
const DEFAULT_OPT_OUT_MARKETING_MESSAGE = 'You will get no more marketing messages. Reply STOP to stop all messages.';
const DEFAULT_CALL_OPT_OUT_MESSAGE = 'You will receive no more calls from us.';
const DEFAULT_CALL_OPT_OUT_MARKETING_MESSAGE = 'You will receive no more marketing calls from us.';
const DEFAULT_OPT_OUT_CLARIFY_MESSAGE = 'Reply STOP to stop all messages.';
const DEFAULT_OPT_IN_MESSAGE = 'You are subscribed again. Reply STOP to unsubscribe, HELP for help.';
const DEFAULT_WHATSAPP_HELP = 'Hi! Reply "support" to reach our team. Reply STOP to stop messages.';

/** The sandbox's built-in test account (what `.env.example` ships): never real, refused by a deployed service. */
export const SANDBOX_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const SANDBOX_AUTH_TOKEN = 'sandboxauthtokennotasecret000000';

const SEND_ROUTES = ['/sms/send', '/whatsapp/send', '/voice/call'];

/** What the Twilio client needs: while one of these is broken, no request goes to Twilio (or to a sandbox). */
export const CLIENT_SETTINGS = ['TWILIO_SANDBOX_URL', 'ACCOUNT_SID', 'AUTH_TOKEN', 'API_KEY', 'API_SECRET'] as const;
const NO_TWILIO = 'no Twilio request is made: every route that needs Twilio or Sync answers 503';
const VERIFY_ROUTES = ['/verify/start', '/verify/check'];
const CONVERSATION_ROUTES = ['/conversations/inbox', '/conversations/reply', '/conversations/start', '/conversations/close'];

/** Where Twilio reaches this service when PUBLIC_BASE_URL is empty: the Service's own domain (http on localhost). */
function domainBaseUrl(domainName: string | undefined): string {
  const domain = domainName?.trim() || 'localhost:3000';
  const local = isLoopbackName(domain.replace(/:\d+$/, ''));
  return `${local ? 'http' : 'https'}://${domain}`;
}

const baseUrl = (env: Env): Reader<string> =>
  v.pipe(
    httpUrl(),
    v.transform((url) => url ?? domainBaseUrl(env.DOMAIN_NAME)),
  );

const country = (): Reader<string | undefined> =>
  v.optional(
    v.pipe(
      v.string(),
      v.toUpperCase(),
      v.check(
        (code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code as never),
        'must be a two-letter ISO 3166 country code such as US or GB',
      ),
    ),
  );

const allowedCountries = (env: Env) =>
  v.pipe(
    v.optional(v.string()),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return readAllowedCountries(dataset.value, env.TWILIO_PHONE_NUMBER);
      } catch (error) {
        addIssue({ message: error instanceof Error ? error.message.replace(/^ALLOWED_COUNTRIES /, '') : 'is not valid' });
        return NEVER;
      }
    }),
  );

/** MARKETING_HOURS: the law's windows, with the places the value names replaced (marketing-hours.ts). */
const marketingHours = () =>
  v.pipe(
    v.optional(v.string()),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return readMarketingHours(dataset.value);
      } catch (error) {
        addIssue({ message: error instanceof Error ? error.message : 'is not valid' });
        return NEVER;
      }
    }),
  );

/** WHATSAPP_KEYWORDS: a JSON object of keyword → reply, keywords normalised as the router compares them. */
const keywordTable = (): Reader<Record<string, string>> =>
  v.optional(
    v.pipe(
      v.string(),
      v.parseJson(undefined, 'must be a JSON object of keyword → reply (it is not valid JSON)'),
      v.check((parsed) => !Array.isArray(parsed), 'must be a JSON object of keyword → reply, not a list'),
      v.record(
        v.string(),
        v.pipe(
          v.string(),
          v.check((reply) => reply.trim() !== ''),
        ),
        'must be a JSON object of keyword → non-empty reply text',
      ),
      v.transform((table) => Object.fromEntries(Object.entries(table).map(([keyword, reply]) => [normaliseKeyword(keyword), reply]))),
    ),
    '{}',
  );

/** ALLOWED_ORIGINS: browser origins (scheme, host and port; a trailing slash is dropped). */
const origins = (): Reader<string[]> =>
  v.optional(
    v.pipe(
      v.string(),
      commaSeparated((origin) => origin.trim().replace(/\/+$/, '')),
      v.check(
        (list) =>
          list.every((origin) => {
            try {
              return new URL(origin).origin === origin;
            } catch {
              return false;
            }
          }),
        'must list origins such as https://app.example.com (scheme, host and port only, no path)',
      ),
    ),
    '',
  );

/** RETENTION_DAYS_<KIND>: days a kind of data is kept before POST /retention/run deletes it; 0 or empty keeps it. */
const retentionDays = (kind: string, what: string) =>
  setting({
    name: `RETENTION_DAYS_${kind}`,
    ifBroken: 'nothing of this kind is deleted',
    summary: `Days to keep ${what}; older ones go at the next POST /retention/run. 0 or empty: kept (the default).`,
    example: '0',
    read: integer(0, 3650, 0),
    whenBroken: 0,
    fix: 'write a whole number of days from 0 to 3650 (0 keeps everything)',
  });

export const GROUP_TITLES = {
  core: 'Which Twilio, and this service',
  sms: 'SMS',
  outbound: 'The outbound gate: where and how often we may send',
  verify: 'Verify (2FA)',
  whatsapp: 'WhatsApp',
  voice: 'Voice',
  tokens: 'Access Tokens for client SDKs (POST /token)',
  privacy: 'Privacy: how long data is kept (POST /retention/run)',
  conversations: 'Conversations: one thread per customer across SMS, WhatsApp and chat',
} as const;

export type Group = keyof typeof GROUP_TITLES;

export const SCHEMA = {
  core: {
    sandboxUrl: setting({
      name: 'TWILIO_SANDBOX_URL',
      ifBroken: NO_TWILIO,
      summary: "The local sandbox's URL. While it is set, all Twilio traffic goes to the sandbox. Remove it to use real Twilio.",
      details:
        'No real message or call leaves this machine while it is set. Local only: never uploaded by a deploy, and a deployed service refuses it.',
      example: 'http://localhost:3001',
      read: httpUrl(),
      localOnly: true,
      fix: 'write the sandbox URL, e.g. http://localhost:3001, or remove the line to use real Twilio',
    }),
    accountSid: setting({
      name: 'ACCOUNT_SID',
      ifBroken: NO_TWILIO,
      summary: "The Twilio account (AC…). The default is the sandbox's test account, not a real one.",
      details: 'Replace it with your own (Console > Account info) for real Twilio.',
      example: SANDBOX_ACCOUNT_SID,
      read: sid('AC'),
      sandboxValue: true,
      fix: 'copy the Account SID from the Twilio Console (Account info)',
    }),
    authToken: setting({
      name: 'AUTH_TOKEN',
      ifBroken: NO_TWILIO,
      summary: "The account's Auth Token. The default is the sandbox's. It also checks webhook signatures locally.",
      details: 'Deployed, the runtime provides it itself; deploys never upload it.',
      example: SANDBOX_AUTH_TOKEN,
      read: secret(32),
      secret: true,
      sandboxValue: true,
      fix: 'copy the Auth Token from the Twilio Console (Account info)',
    }),
    apiKey: setting({
      name: 'API_KEY',
      ifBroken: NO_TWILIO,
      summary: 'An API key SID (SK…) for REST calls instead of the Auth Token: what Twilio recommends in production.',
      details: 'Create one in Console > Account > API keys & tokens; set API_SECRET with it.',
      read: sid('SK'),
      fix: "copy the key's SID (SK…) from Console > API keys & tokens",
    }),
    apiSecret: setting({
      name: 'API_SECRET',
      ifBroken: NO_TWILIO,
      summary: "The API key's secret, shown once when the key is created.",
      read: (env: Env) =>
        v.pipe(
          secret(32),
          v.check((value) => value !== undefined || !env.API_KEY?.trim(), 'must be set when API_KEY is set'),
        ),
      secret: true,
      fix: 'paste the secret shown when the key was created, or create a new key',
    }),
    authTokenSecondary: setting({
      name: 'AUTH_TOKEN_SECONDARY',
      ifBroken: 'only AUTH_TOKEN is accepted',
      summary:
        'During an Auth Token rotation: the secondary (new) token. The local edge accepts webhook signatures made with either token.',
      details:
        "Remove it once the secondary token is promoted and AUTH_TOKEN holds it (see docs/security.md, Rotating credentials). Deployed, Twilio's edge checks signatures itself.",
      read: secret(32),
      secret: true,
      localOnly: true,
      fix: 'copy the secondary Auth Token from the Twilio Console (API keys & tokens)',
    }),
    apiTokens: setting({
      name: 'API_TOKEN',
      ifBroken: 'every API action answers 503',
      summary:
        'The bearer token for API actions: at least 32 random characters (`npm start` generates one). During a rotation, the old and the new token, comma-separated.',
      details:
        'Callers send `Authorization: Bearer <API_TOKEN>`. API actions refuse every call while it is empty or broken. A deploy, and a deployed service, refuse a guessable token (under 128 bits for its alphabet, too little entropy, a run, a repeated pattern, a placeholder); `npm run build`, `npm start` and `npm run doctor` warn of one.',
      read: secretList(32),
      secret: true,
      deployedCheck: (tokens) => {
        const weak = tokens.map((token) => weakSecret(token)).find(Boolean);
        return weak ? `${tokens.length > 1 ? 'a token ' : ''}${weak}` : undefined;
      },
      fix: "generate one: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
    }),
    phoneNumber: setting({
      name: 'TWILIO_PHONE_NUMBER',
      summary: 'Your number, in E.164. In the sandbox it is `+15005550006`, Twilio\'s test "valid sender".',
      details: 'Messages are sent from it and its webhooks are bound by `npm run bind`.',
      example: '+15005550006',
      read: phone(),
      disables: SEND_ROUTES,
      fix: 'write it as + and the country code, e.g. +14155550100',
    }),
    syncServiceSid: setting({
      name: 'SYNC_SERVICE_SID',
      ifBroken: 'every route that keeps state answers 503',
      summary: 'The Sync service that holds the state (opt-outs, statuses, sessions, limits): an `IS…` SID, or `default`.',
      example: 'default',
      read: v.pipe(
        sid('IS', ['default']),
        v.transform((value) => value ?? 'default'),
      ),
      fix: 'copy the IS… SID from Console > Sync > Services, or write default',
    }),
    publicBaseUrl: setting({
      name: 'PUBLIC_BASE_URL',
      ifBroken: 'callback URLs use the Service domain',
      summary:
        'The URL Twilio uses to reach the Functions, for callback URLs. Empty when deployed or in the sandbox; your tunnel URL when running locally against real Twilio.',
      details: 'Empty: the Service domain when deployed, http://localhost:<port> locally.',
      read: baseUrl,
      deployedCheck: (url) => unreachableUrl(url),
      fix: 'write an absolute https:// URL such as https://abc.ngrok.app, or leave it empty',
    }),
    defaultCountry: setting({
      name: 'DEFAULT_COUNTRY',
      ifBroken: 'only +E.164 numbers are read',
      summary: 'The ISO country used to read national numbers ("(415) 555-0142" with US). Empty: only +E.164.',
      read: country(),
      fix: 'write a two-letter ISO code such as US, or leave it empty',
    }),
    phiMode: setting({
      name: 'PHI_MODE',
      ifBroken: 'PHI mode is on: a value that is neither true nor false fails closed',
      summary:
        'Health data mode (`true` or `false`, default false): no message body, transcript or caller detail leaves the service on an unprotected channel.',
      details:
        'Staff texts (FORWARD_TO, VOICEMAIL_NOTIFY_TO) carry only a link to a bearer route, logs drop content fields, and Sync keeps inbound bodies and voicemails 3 days instead of 30. `npm run doctor` lists the settings that break it. See docs/phi-mode.md.',
      example: 'false',
      read: flag(false),
      whenBroken: true,
    }),
    functionBudgetMs: setting({
      name: 'FUNCTION_BUDGET_MS',
      ifBroken: 'the default budget (9000 ms)',
      summary:
        'How long a request may work (retrying Sync or Twilio) before it answers, in ms (1000-9000, default 9000: Twilio ends a Function at 10 s).',
      details:
        'Lower it when whatever calls the service gives up sooner than Twilio does. An inbound message whose work runs out of budget is handed back to Twilio to try again (docs/failure-model.md), so a lower budget means shorter attempts, not lost messages.',
      example: '9000',
      read: integer(1000, 9000, 9000),
    }),
  },
  sms: {
    messagingServiceSid: setting({
      name: 'MESSAGING_SERVICE_SID',
      summary: 'The Messaging Service (MG…) to send through instead of TWILIO_PHONE_NUMBER. It is needed for scheduled re-sends.',
      read: sid('MG'),
      disables: ['/sms/send', '/whatsapp/send'],
      fix: 'copy the MG… SID from Console > Messaging > Services, or leave it empty',
    }),
    maxSegments: setting({
      name: 'MAX_SEGMENTS',
      summary: "The longest body `/sms/send` accepts, in segments (1-30, default 10; Twilio's limit is 1600 characters).",
      example: '10',
      read: integer(1, 30, 10),
      disables: ['/sms/send'],
    }),
    helpMessage: setting({
      name: 'HELP_MESSAGE',
      ifBroken: 'the default text answers',
      summary: 'The answer to HELP and INFO.',
      example: DEFAULT_HELP_MESSAGE,
      read: text({ fallback: DEFAULT_HELP_MESSAGE }),
    }),
    optOutReplies: setting({
      name: 'OPT_OUT_REPLIES',
      ifBroken: '`twilio`: we stay silent, the keyword still takes effect',
      summary:
        "Who answers STOP and START: `twilio` (default: Twilio's Opt-Out handling replies, we stay silent) or `ours` (we reply OPT_OUT_MESSAGE / OPT_IN_MESSAGE; turn Twilio's replies off).",
      example: 'twilio',
      read: oneOf<OptOutReplies>(['twilio', 'ours'], 'twilio'),
    }),
    optOutMessage: setting({
      name: 'OPT_OUT_MESSAGE',
      ifBroken: 'the default text answers',
      summary:
        'Our reply to STOP when OPT_OUT_REPLIES=ours, and always to an opt-out in plain words ("please stop texting me"), which Twilio does not see as one.',
      example: DEFAULT_OPT_OUT_MESSAGE,
      read: text({ fallback: DEFAULT_OPT_OUT_MESSAGE }),
    }),
    optOutMarketingMessage: setting({
      name: 'OPT_OUT_MARKETING_MESSAGE',
      ifBroken: 'the default text answers',
      summary: 'Our reply to an opt-out from marketing only ("stop the promotions", "keine Werbung mehr").',
      example: DEFAULT_OPT_OUT_MARKETING_MESSAGE,
      read: text({ fallback: DEFAULT_OPT_OUT_MARKETING_MESSAGE }),
    }),
    callOptOutMessage: setting({
      name: 'CALL_OPT_OUT_MESSAGE',
      ifBroken: 'the default text answers',
      summary:
        'The one text confirming an opt-out of calls (9 on a reminder call, or POST /consent for voice), sent by SMS unless the number opted out of SMS.',
      example: DEFAULT_CALL_OPT_OUT_MESSAGE,
      read: text({ fallback: DEFAULT_CALL_OPT_OUT_MESSAGE }),
    }),
    callOptOutMarketingMessage: setting({
      name: 'CALL_OPT_OUT_MARKETING_MESSAGE',
      ifBroken: 'the default text answers',
      summary:
        'The one text confirming an opt-out of marketing calls only (POST /consent for voice with purpose marketing): other calls go on, so the text must not say all calls stop.',
      example: DEFAULT_CALL_OPT_OUT_MARKETING_MESSAGE,
      read: text({ fallback: DEFAULT_CALL_OPT_OUT_MARKETING_MESSAGE }),
    }),
    optOutClarifyMessage: setting({
      name: 'OPT_OUT_CLARIFY_MESSAGE',
      ifBroken: 'the default text answers',
      summary:
        'Our one reply to a message that may mean stop ("no more", "how do I stop this?"), at most once a week per number and channel.',
      example: DEFAULT_OPT_OUT_CLARIFY_MESSAGE,
      read: text({ fallback: DEFAULT_OPT_OUT_CLARIFY_MESSAGE }),
    }),
    optInMessage: setting({
      name: 'OPT_IN_MESSAGE',
      ifBroken: 'the default text answers',
      summary: 'Our reply to START when OPT_OUT_REPLIES=ours.',
      example: DEFAULT_OPT_IN_MESSAGE,
      read: text({ fallback: DEFAULT_OPT_IN_MESSAGE }),
    }),
    forwardTo: setting({
      name: 'FORWARD_TO',
      ifBroken: 'nothing is forwarded',
      summary: 'A staff number (E.164) that receives every inbound message that is not a keyword. Empty: none.',
      read: phone(),
      fix: 'write it as + and the country code, e.g. +14155550100, or leave it empty',
    }),
    autoReply: setting({
      name: 'AUTO_REPLY',
      ifBroken: 'no auto-reply',
      summary: 'The reply to every inbound message that is not a keyword. Empty: no reply.',
      read: text(),
    }),
    deliveryAlertRate: setting({
      name: 'DELIVERY_ALERT_RATE',
      ifBroken: 'no delivery alert',
      summary: "Alert when fewer than this share (0-1, default 0.95) of the last hour's messages were delivered.",
      example: '0.95',
      read: decimal(0, 1, 0.95),
      whenBroken: 0,
    }),
    deliveryAlertMin: setting({
      name: 'DELIVERY_ALERT_MIN',
      ifBroken: 'no delivery alert',
      summary: '... over at least this many messages (default 20).',
      example: '20',
      read: integer(1, 1_000_000, 20),
      whenBroken: Number.MAX_SAFE_INTEGER,
    }),
    silentFilteringMinutes: setting({
      name: 'SILENT_FILTERING_MINUTES',
      ifBroken: 'silent filtering counted after 60 minutes',
      summary: 'A message still at `sent` this many minutes later (5-1440, default 60) counts as silently filtered.',
      details:
        "Twilio: the status may remain 'sent' when no status update comes from the network (https://www.twilio.com/help/faq/sms/why-are-my-messages-undelivered); receipts usually come within minutes, and a phone that is off can delay one for up to the carrier's retry period. Counted per clock hour in GET /sms/stats, GET /sms/hours, the dashboard and the delivery alert (docs/sms.md).",
      example: '60',
      read: integer(5, 1440, 60),
      whenBroken: 60,
    }),
    alertSmsTo: setting({
      name: 'ALERT_SMS_TO',
      ifBroken: 'no delivery alert',
      summary:
        'Who is texted the delivery alert (E.164), at most once an hour, and once an hour when the spend ceiling is spent (forwards and voicemail notices skipped). Empty: no alert.',
      read: phone(),
      fix: 'write it as + and the country code, e.g. +14155550100, or leave it empty',
    }),
    smsRetryMax: setting({
      name: 'SMS_RETRY_MAX',
      ifBroken: 'no re-sends',
      summary: 'Re-sends after a transient delivery failure (0-5, default 2; 0 turns them off).',
      details:
        "Failures 30003, 30008, 30500 and WhatsApp's 63018 are re-sent 16, 32, 64... minutes later through MESSAGING_SERVICE_SID. A STOP cancels the re-sends still pending for that person.",
      example: '2',
      read: integer(0, 5, 2),
      whenBroken: 0,
    }),
  },
  outbound: {
    allowedCountries: setting({
      name: 'ALLOWED_COUNTRIES',
      ifBroken: 'no country is allowed: nothing is sent or called',
      summary:
        "Countries every SMS, call and Verify code may go to: ISO codes (US,CA), or `*` for any. Empty: only TWILIO_PHONE_NUMBER's country.",
      details: 'Write * out on purpose: it opens SMS pumping and toll fraud. A broken list allows no country.',
      read: allowedCountries,
      whenBroken: [],
      fix: 'write two-letter ISO codes such as US,CA, or * for any country, or leave it empty',
    }),
    marketingHours: setting({
      name: 'MARKETING_HOURS',
      ifBroken: 'no marketing is sent (every marketing send answers 409 quiet_hours)',
      summary:
        "Local hours marketing may reach a recipient, narrowing the law's windows per place (never widening them): `PLACE=HH:MM-HH:MM,...`, PLACE `*` (everywhere), `default` or a US state (FL); prefixed `replace:`, the entries replace the law's windows (your counsel's reading, your risk). Empty: the law's windows.",
      details:
        "Defaults: 08:00-21:00 (47 CFR 64.1200(c)(1)); FL, OK, MD 08:00-20:00; CT 09:00-20:00; TX 09:00-21:00, Sunday 12:00-21:00; MS 08:00-20:00, none on Sunday; RI 09:00-18:00, Saturday 10:00-17:00, none on Sunday. An entry is cut to the place's legal window day by day (day rules kept), so it can only close hours. Start before end (24:00 allowed as an end); an empty or inverted window is refused. See docs/outbound-gate.md#quiet-hours.",
      example: '',
      read: marketingHours,
      whenBroken: { default: { start: 0, end: 0 }, states: {} },
      fix: 'write PLACE=HH:MM-HH:MM entries such as default=09:00-20:00,FL=09:00-20:00, start before end, or leave it empty',
    }),
    triggeredLimits: {
      perNumber: setting({
        name: 'TRIGGERED_SENDS_PER_HOUR',
        ifBroken: 'no message to an outsider-chosen number (keywords still take effect)',
        summary:
          'Sends per hour to one number someone outside chose (IVR caller ID, auto-replies, our STOP/HELP answers) (default 3; 0 stops them).',
        details: 'Keywords still take effect when their answer is not sent. Such messages are never re-sent.',
        example: '3',
        read: integer(0, 1000, 3),
        whenBroken: 0,
      }),
      perRange: setting({
        name: 'TRIGGERED_RANGE_PER_HOUR',
        ifBroken: 'no message to an outsider-chosen number (keywords still take effect)',
        summary: '... and per number range (the number without its last 4 digits) per hour (default 30).',
        example: '30',
        read: integer(0, 100_000, 30),
        whenBroken: 0,
      }),
    },
    paidActionsPerHour: setting({
      name: 'PAID_ACTIONS_PER_HOUR',
      ifBroken: 'no paid action an outsider can trigger (STOP is still recorded and confirmed)',
      summary:
        'One hourly ceiling over every paid action an outsider can trigger: Verify codes and their Lookups, IVR texts, auto-replies, HELP/START answers, WhatsApp router replies, forwards to FORWARD_TO and voicemail notices (default 200; 0 stops them).',
      details:
        'The per-number and per-range limits stop a run through one range; this one caps what a run through many ranges can cost in an hour. 200 is above what a small team meets in a normal hour and bounds an attack to 200 paid actions an hour; raise it with your traffic. Over it /verify/start answers 429 budget_exhausted with Retry-After, and webhooks still record what came in but send no paid reply, forward or voicemail notice (skips are counted in /sms/stats; ALERT_SMS_TO is told once an hour). The one confirmation of a STOP is exempt (the law requires it; one per number).',
      example: '200',
      read: integer(0, 1_000_000, 200),
      whenBroken: 0,
    }),
  },
  verify: {
    serviceSid: setting({
      name: 'VERIFY_SERVICE_SID',
      summary:
        "The Verify service (VA…) that sends and checks the codes. In the sandbox, `npm start` uses the sandbox's own when this is empty.",
      read: sid('VA'),
      disables: VERIFY_ROUTES,
      fix: 'copy the VA… SID from Console > Verify > Services',
    }),
    channels: setting({
      name: 'VERIFY_CHANNELS',
      summary: 'The channels /verify/start offers, from sms, call, whatsapp, email (default sms,call).',
      example: 'sms,call',
      read: listOf(VERIFY_CHANNELS, ['sms', 'call']),
      whenBroken: [],
      disables: VERIFY_ROUTES,
      fix: 'list channels from sms, call, whatsapp, email, e.g. sms,call',
    }),
    allowedOrigins: setting({
      name: 'ALLOWED_ORIGINS',
      summary:
        'The browser origins allowed to call /verify/* (e.g. https://app.example.com). Requests without an Origin (your servers) pass.',
      read: origins(),
      whenBroken: [],
      disables: VERIFY_ROUTES,
    }),
    appToken: setting({
      name: 'VERIFY_APP_TOKEN',
      summary: 'Optional: when set, /verify/* also require `Authorization: Bearer <VERIFY_APP_TOKEN>`.',
      read: secret(16),
      secret: true,
      disables: VERIFY_ROUTES,
    }),
    maxSends: setting({
      name: 'VERIFY_MAX_SENDS',
      summary: "Our own limit per destination, stricter than Verify's 5: codes per VERIFY_WINDOW_MIN (1-5, default 3).",
      example: '3',
      read: integer(1, 5, 3),
      disables: VERIFY_ROUTES,
    }),
    windowMinutes: setting({
      name: 'VERIFY_WINDOW_MIN',
      summary: 'The window of VERIFY_MAX_SENDS, in minutes (default 10).',
      example: '10',
      read: integer(1, 1440, 10),
      disables: VERIFY_ROUTES,
    }),
    prefixBudget: setting({
      name: 'VERIFY_PREFIX_BUDGET',
      summary:
        'Codes per hour to one number range (the number without its last 4 digits): stops an SMS-pumping run through a premium range (default 30).',
      example: '30',
      read: integer(1, 1_000_000, 30),
      disables: VERIFY_ROUTES,
    }),
    emailDomainBudget: setting({
      name: 'VERIFY_EMAIL_DOMAIN_BUDGET',
      summary:
        "Email codes per hour to one domain (after the @): email's range budget, so a run of made-up addresses cannot flood one domain (default 50).",
      details:
        "Every user of a big provider (gmail.com) shares that domain's budget: raise it if most of your sign-ups come from one provider.",
      example: '50',
      read: integer(1, 1_000_000, 50),
      disables: VERIFY_ROUTES,
    }),
    lookupPumpingRisk: setting({
      name: 'LOOKUP_SMS_PUMPING_RISK',
      summary: 'Ask Lookup for sms_pumping_risk (a paid Lookup package) and refuse scores at or over PUMPING_RISK_MAX (true or false).',
      example: 'false',
      read: flag(false),
      disables: VERIFY_ROUTES,
    }),
    pumpingRiskMax: setting({
      name: 'PUMPING_RISK_MAX',
      summary: 'The refused pumping-risk score, 0-100 (default 80).',
      example: '80',
      read: integer(0, 100, 80),
      disables: VERIFY_ROUTES,
    }),
    voiceAfter: setting({
      name: 'VERIFY_VOICE_AFTER',
      summary: 'After this many SMS codes without an approval (1-10, default 2), escalate to a call.',
      example: '2',
      read: integer(1, 10, 2),
      disables: VERIFY_ROUTES,
    }),
    escalation: setting({
      name: 'VERIFY_ESCALATION',
      summary: 'How to escalate: `offer` a call in the answer (suggestedChannel) or `switch` to a call (default offer).',
      example: 'offer',
      read: oneOf(['offer', 'switch'], 'offer'),
      disables: VERIFY_ROUTES,
    }),
  },
  whatsapp: {
    whatsappFrom: setting({
      name: 'WHATSAPP_FROM',
      summary:
        "The WhatsApp sender (E.164), if it is not TWILIO_PHONE_NUMBER (/whatsapp/send ignores it when MESSAGING_SERVICE_SID is set); Conversations' WhatsApp threads need it.",
      details:
        "Conversations' WhatsApp channel is this sender, MESSAGING_SERVICE_SID or not: `POST /conversations/start` binds a WhatsApp customer to `whatsapp:<WHATSAPP_FROM>` and `npm run provision` makes that address autocreate, so a reply lands in the thread that wrote. Empty: Conversations has no WhatsApp channel (a WhatsApp start answers 503 `not_configured`).",
      read: v.pipe(
        v.optional(
          v.pipe(
            v.string(),
            v.transform((value) => value.replace(/^whatsapp:/i, '')),
          ),
        ),
        phone(),
      ),
      disables: ['/whatsapp/send'],
      fix: 'write it as + and the country code, e.g. +14155550100, or leave it empty',
    }),
    keywords: setting({
      name: 'WHATSAPP_KEYWORDS',
      ifBroken: 'no keyword is routed; WHATSAPP_HELP_TEXT answers',
      summary:
        'The inbound keyword router: a JSON object of keyword → reply, matched on the whole message or its start, case and punctuation ignored.',
      details:
        'For example {"order status":"Send us your order number.","support":"A person will answer soon."}. A broken table routes no keyword (WHATSAPP_HELP_TEXT answers); STOP/START/HELP still work.',
      read: keywordTable(),
      whenBroken: {},
      fix: 'write one JSON object on one line, e.g. {"support":"A person will answer soon."}',
    }),
    helpText: setting({
      name: 'WHATSAPP_HELP_TEXT',
      ifBroken: 'the default text answers',
      summary: 'The reply to inbound WhatsApp messages no keyword matches, and to HELP/INFO.',
      example: DEFAULT_WHATSAPP_HELP,
      read: text({ fallback: DEFAULT_WHATSAPP_HELP }),
    }),
  },
  voice: {
    maxRetries: setting({
      name: 'IVR_MAX_RETRIES',
      ifBroken: 'the default (2)',
      summary: 'Invalid or missing choices repeat the menu this many times (0-5, default 2), then voicemail or goodbye.',
      details: 'The menu itself is data in src/assets/ivr-menu.private.json (checked by `npm run build`).',
      example: '2',
      read: integer(0, 5, 2),
    }),
    voiceName: setting({
      name: 'IVR_VOICE',
      ifBroken: 'the default voice',
      summary: 'The text-to-speech voice for the IVR (a Twilio <Say> voice, e.g. Polly.Joanna, alice).',
      example: 'Polly.Joanna',
      read: v.pipe(
        text({ max: 100, fallback: 'Polly.Joanna' }),
        v.regex(/^[A-Za-z0-9._-]+$/, 'must be a voice name such as Polly.Joanna (letters, digits, dots, dashes)'),
      ),
    }),
    language: setting({
      name: 'IVR_LANGUAGE',
      ifBroken: 'the default language',
      summary: "The IVR's language (a BCP 47 tag such as en-US).",
      example: 'en-US',
      read: v.pipe(
        text({ max: 35, fallback: 'en-US' }),
        v.regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en-US'),
      ),
    }),
    voicemailNotifyTo: setting({
      name: 'VOICEMAIL_NOTIFY_TO',
      ifBroken: 'nobody is texted; voicemails are still kept',
      summary: 'Who is texted about each new voicemail (E.164). Empty: nobody.',
      read: phone(),
      fix: 'write it as + and the country code, e.g. +14155550100, or leave it empty',
    }),
    payConnector: setting({
      name: 'PAY_CONNECTOR',
      ifBroken: 'payments are off',
      summary: "The Pay Connector (Console > Voice > Pay Connectors) for the menu's `pay` option. Empty: payments off.",
      read: v.optional(
        v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a Pay Connector's unique name (letters, digits, - and _)")),
      ),
    }),
  },
  tokens: {
    twimlAppSid: setting({
      name: 'TWIML_APP_SID',
      summary:
        "The TwiML App (AP…) a browser softphone's outgoing calls use. When set, POST /token adds a Voice grant (incoming calls to `client:<identity>` allowed).",
      read: sid('AP'),
      disables: ['/token'],
      fix: 'copy the AP… SID from Console > Voice > TwiML Apps, or leave it empty',
    }),
    syncServiceSid: setting({
      name: 'CLIENT_SYNC_SERVICE_SID',
      summary: 'A Sync service (IS…) for client SDKs. When set, POST /token adds a Sync grant for it, and only for it.',
      details:
        'Never SYNC_SERVICE_SID, which holds opt-outs, limits and message states. Enable ACL on this service (acl_enabled) so a token reads only what your backend grants with map permissions (read, not write).',
      read: (env: Env) =>
        v.pipe(
          sid('IS'),
          v.check(
            (value) => value === undefined || value !== env.SYNC_SERVICE_SID?.trim(),
            "must not be SYNC_SERVICE_SID: client SDKs must never reach the service's own state",
          ),
        ),
      disables: ['/token'],
      fix: 'create a separate Sync service for clients (Console > Sync > Services) with ACL enabled, and copy its IS… SID',
    }),
  },
  privacy: {
    retentionDays: {
      recordings: retentionDays('RECORDINGS', 'call recordings (voicemails included), deleted from Twilio'),
      transcriptions: retentionDays('TRANSCRIPTIONS', 'transcriptions of recordings (voicemail text), deleted from Twilio'),
      messages: retentionDays('MESSAGES', 'messages (SMS and WhatsApp, with their media), deleted from Twilio by date sent'),
      media: retentionDays('MEDIA', "messages' media (MMS pictures), deleted from Twilio while the messages stay"),
      records: retentionDays(
        'RECORDS',
        'our own Sync records of people: inbox bodies, message and call states, voicemails (each also expires 30 days after it is written)',
      ),
    },
  },
  conversations: {
    serviceSid: setting({
      name: 'CONVERSATIONS_SERVICE_SID',
      summary:
        "The Conversations service (IS…) that holds the threads. In the sandbox, `npm start` uses the sandbox's own when this is empty. Empty on Twilio: Conversations is off.",
      details:
        'When set, POST /token adds a Conversations (Chat) grant for it, and `npm run provision` / `npm run bind` point its pre- and post-action webhooks at /conversations/events.',
      read: sid('IS'),
      disables: [...CONVERSATION_ROUTES, '/token'],
      fix: 'copy the IS… SID from Console > Conversations > Manage > Services, or leave it empty',
    }),
    number: setting({
      name: 'CONVERSATIONS_NUMBER',
      summary:
        'The number Conversations owns (E.164), not TWILIO_PHONE_NUMBER: texts to it open or join a conversation; the main number keeps its plain SMS webhooks.',
      details:
        "SMS threads are bound to it; WhatsApp threads to WHATSAPP_FROM, the account's WhatsApp sender. `npm run provision` gives each an Address Configuration with autocreation into CONVERSATIONS_SERVICE_SID (WHATSAPP_FROM's when set). In the sandbox it is `+15005550010`, a second sandbox number `npm start` creates.",
      example: '+15005550010',
      read: phone(),
      sandboxValue: true,
      disables: CONVERSATION_ROUTES,
      fix: 'write it as + and the country code, e.g. +14155550100, or leave it empty',
    }),
  },
} as const;
