/** Public configuration and handle of the local Twilio sandbox. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeAnswer } from './edge/answers';
import type { EdgeInvocation } from './edge/deployed-sites';
import type { SiteSource } from './edge/site';
import type { WebhookTimeouts } from './webhooks/connection-overrides';

export interface ApiKey {
  /** API key SID (`SK…`), used as the Basic-auth user name. */
  sid: string;
  /** The key's secret, used as the Basic-auth password. */
  secret: string;
  /**
   * `standard` (default, what the REST API creates) reaches everything but the Accounts and Keys
   * resources; `main` (made in the Console only) reaches them too.
   */
  type?: 'standard' | 'main';
}

export interface SyncWriteLimit {
  /** Sustained writes per second allowed per Sync object. */
  perSecond: number;
  /** Burst window: the bucket holds `perSecond * burstSeconds` writes. */
  burstSeconds: number;
}

/**
 * Messages per second (message segments per second for SMS) a sender of each type sends at.
 * Defaults (`DEFAULT_SENDER_MPS`) are Twilio's: US/Canada long code 1, toll-free 3, short code 100,
 * WhatsApp sender 10 (text); see messaging/throughput.ts for the sources.
 */
export interface SenderMps {
  longCode: number;
  tollFree: number;
  shortCode: number;
  whatsapp: number;
}

/**
 * `off`: a message is handed over as soon as it is queued (the sandbox's fast default for tests).
 * `enforced`: each sender sends at its MPS, messages wait `queued` for their turn on the sandbox clock,
 * and a queue past Twilio's limit fails them with 30001 (REST 21611 for a direct `From`).
 */
export type MessagingThroughputMode = 'off' | 'enforced';

export interface MessagingServiceOption {
  /** `MG` + 32 hex digits; default a random SID. */
  sid?: string;
  friendlyName?: string;
  /**
   * The service's sender pool, in pick order: numbers of `phoneNumbers` and codes of `shortCodes`.
   * Default all of them. A number in no service has opt-outs of its own; an opt-out to a pool
   * number covers the service.
   */
  senders?: string[];
  /** This service's MPS by sender type where it differs from `senderMps` (e.g. a 10DLC campaign's). */
  senderMps?: Partial<SenderMps>;
}

export interface VerifyServiceOption {
  /** `VA` + 32 hex digits; default a random SID. */
  sid?: string;
  friendlyName?: string;
  /** Digits per code, 4–10; default 6. */
  codeLength?: number;
  /** Lookup with each start (the verification's `lookup` shows the carrier); default false. */
  lookupEnabled?: boolean;
  /** With `lookupEnabled`: SMS starts to landlines answer 403 / 60205; default false. */
  skipSmsToLandlines?: boolean;
  /** Sandbox-only: channels switched off in the service settings (starts answer 400 / 60223). */
  disabledChannels?: Array<'sms' | 'call' | 'whatsapp' | 'email'>;
}

export interface ContentTemplateOption {
  /** `HX` + 32 hex digits; default a random SID. */
  sid?: string;
  friendlyName: string;
  /** The `twilio/text` body, with `{{1}}`-style placeholders. */
  body: string;
  /** Default placeholder values. */
  variables?: Record<string, string>;
  /** Default `en`. */
  language?: string;
}

export interface SandboxOptions {
  /** TCP port; default 0 (ephemeral). */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The one account this sandbox serves. */
  accountSid: string;
  authToken: string;
  /** `SK…` keys whose secret also authenticates. */
  apiKeys?: ApiKey[];
  /**
   * The parent account (`AC…`) when the sandbox account is a sub-account; default none: a main
   * account, whose `owner_account_sid` is its own SID. `POST /_sandbox/account` changes it.
   */
  ownerAccountSid?: string;
  /**
   * ISO codes of the countries whose low-risk numbers the account may call (Voice Dialing
   * Permissions); high-risk ranges are off everywhere. Default: the country of the first phone
   * number (the account's home country). `POST /_sandbox/voice/dialing-permissions` changes them.
   */
  voiceDialingCountries?: string[];
  /** E.164 numbers owned by the account; IncomingPhoneNumbers are seeded from these. */
  phoneNumbers?: string[];
  /** The account's short codes (3–8 digits, e.g. `'894546'`): SMS senders, in every Messaging Service's pool by default. */
  shortCodes?: string[];
  /** Whether senders send at their MPS (`enforced`) or at once (`off`, the default). */
  messagingThroughput?: MessagingThroughputMode;
  /**
   * Whether US traffic from unregistered senders fails as at Twilio (`enforced`, the default: 30034
   * from a 10DLC number outside a VERIFIED A2P campaign, 30032 from an unapproved toll-free number)
   * or is delivered (`off`, for tests about something else that send from a number in no service).
   */
  senderRegistration?: 'enforced' | 'off';
  /** The account's MPS by sender type; default `DEFAULT_SENDER_MPS`. Services may override it. */
  senderMps?: Partial<SenderMps>;
  /**
   * Messaging Services to seed, each with all of `phoneNumbers` in its sender pool unless
   * `senders` says otherwise; the first is the default (`Sandbox.messagingServiceSid`). Default:
   * one service with a random SID.
   */
  messagingServices?: MessagingServiceOption[];
  /**
   * Verify Services to seed; the first is the default (`Sandbox.verifyServiceSid`). Default: one
   * service "Sandbox Verify Service" with a random SID and 6-digit codes.
   */
  verifyServices?: VerifyServiceOption[];
  /** Content templates (`twilio/text`) to seed; their SIDs are in `Sandbox.contentSids`. */
  contentTemplates?: ContentTemplateOption[];
  /** Per-map Sync write limit; `false` disables it. Default `{ perSecond: 20, burstSeconds: 10 }`. */
  syncWriteLimit?: SyncWriteLimit | false;
  /** Delay between message lifecycle steps and their callbacks; default 5 ms. */
  callbackDelayMs?: number;
  /**
   * Timers of every webhook and callback whose URL sets no connection override, in milliseconds:
   * `connectMs` (default 5000), `readMs` (15000), `totalMs` (15000), Twilio's defaults. Sandbox-only,
   * so that tests of a slow or hanging webhook need not wait 15 s. A shorter `totalMs` also shortens
   * the fixed 5 s limit of Conversations webhooks.
   */
  webhookTimeouts?: Partial<WebhookTimeouts>;
  /** Receives one line per request and delivery; default silent. */
  log?: (line: string) => void;
  /**
   * What the edge serves (`Sandbox.edge`; webhooks to its domains are delivered in-process):
   * default what the sandbox's own Serverless API deployed (`Sandbox.sites`). Tests may give another.
   */
  sites?: SiteSource;
  /** Where deployments are written for their containers; default a fresh folder under the OS temp dir, removed at close. */
  dataDir?: string;
  /**
   * Makes the sandbox's port an HTTPS proxy for Twilio's hosts (CONNECT to `*.twilio.com` and
   * deployed `*.twil.io`, port 443; all else refused, nothing forwarded), with TLS from a local CA
   * kept in `caDir` (`ca.pem`, made on first start). Off when absent.
   */
  proxy?: { caDir: string };
}

export interface SandboxClock {
  /** Epoch milliseconds as the sandbox sees them. */
  now(): number;
  /** Moves sandbox time forward (TTL expiry, rate-limit refill, dates) and releases scheduled messages that fell due and queued ones whose sender's slot came. */
  advance(ms: number): void;
  /**
   * Stops (`true`) or restarts (`false`) the clock following wall time: while frozen only `advance`
   * moves it, so a test can count actions inside one rate window without racing real time.
   */
  freeze(frozen: boolean): void;
}

export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** SID of the default Messaging Service (the first of `messagingServices`), for MESSAGING_SERVICE_SID. */
  messagingServiceSid: string;
  /** SID of the default Verify Service (the first of `verifyServices`), for VERIFY_SERVICE_SID. */
  verifyServiceSid: string;
  /** SIDs (`HX…`) of the seeded `contentTemplates`, by friendly name. */
  contentSids: Record<string, string>;
  clock: SandboxClock;
  /** The console's address (`<url>/`): a phone, the calls and an inspector in the browser. */
  consoleUrl: string;
  /**
   * What the Serverless API has deployed, for the edge (sandbox/edge): the site a `*.twil.io`
   * domain serves now (undefined when none), and where its Function logs go.
   */
  sites: SiteSource;
  /** Shows a notice on open consoles (e.g. `npm run dev`: "Functions reloaded"). */
  notify(notice: { text: string; ok: boolean }): void;
  /**
   * Resolves when no webhook or status-callback delivery (or pending lifecycle step) is in flight.
   * Scheduled messages and messages waiting for their sender's slot (enforced throughput) are not
   * waited for: advance the clock first.
   */
  settled(timeoutMs?: number): Promise<void>;
  /** Serves the sites deployed here at their `*.twil.io` domains. */
  edge: SandboxEdge;
  /**
   * With `proxy`: the CA certificate to trust (`NODE_EXTRA_CA_CERTS`, Python's `REQUESTS_CA_BUNDLE`)
   * and the proxy URL (`HTTP_PROXY` / `HTTPS_PROXY`, the same as `url`).
   */
  caPath?: string;
  proxyUrl?: string;
  /** Stops the server, pending lifecycles, open tunnels and keep-alive sockets. */
  close(): Promise<void>;
}

/** The edge of the sites deployed to the sandbox. */
export interface SandboxEdge {
  /** Answers a decrypted request for `https://<domain>/…` (the CONNECT proxy hands `*.twil.io` requests here). */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Answers a request to a deployed domain without a socket. */
  invoke(request: EdgeInvocation): Promise<EdgeAnswer>;
}

export const DEFAULT_SYNC_WRITE_LIMIT: SyncWriteLimit = { perSecond: 20, burstSeconds: 10 };
export const DEFAULT_CALLBACK_DELAY_MS = 5;
/** Twilio's default throughput by sender type (messaging/throughput.ts cites the sources). */
export const DEFAULT_SENDER_MPS: Readonly<SenderMps> = { longCode: 1, tollFree: 3, shortCode: 100, whatsapp: 10 };
