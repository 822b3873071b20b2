import { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock';
import { json, Router } from '../http/router';
import { receiveInboundSms } from '../phone/inbound-sms';
import { receiveInboundWhatsApp, type InboundWhatsAppDeps } from '../phone/inbound-whatsapp';
import type { SyncWriteStats } from '../sync/write-stats';
import type { TaskTracker } from '../tasks';
import type { UsageCounters } from '../usage';
import type { CodeLogEntry } from '../verify/codes';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { placeInboundCall } from '../voice/call-lifecycle';
import type { VoiceRouteDeps } from '../voice/routes';
import { readCallScript } from '../voice/script';
import { replayCallbacks, type CallbackReplayDeps } from './callback-replay';
import { addAccountControlRoutes, type AccountControlDeps } from './account-routes';
import { addConsoleRoutes, callView, type ConsoleReadDeps } from './console-routes';
import { addConversationControlRoutes, type ConversationControlDeps } from './conversation-routes';
import { ControlError, optionalNumber, parseJsonObject, requireString } from './errors';
import type { FaultInjector } from './faults';
import type { RequestLog } from './request-log';
import { addLiveCallRoutes } from './live-call-routes';
import { addThroughputRoutes } from './throughput-routes';
import { addComplianceRoutes, type ComplianceControlDeps } from './compliance-routes';
import { addSyncSeedRoutes, type SyncSeedDeps } from './sync-seed-routes';
import type { MessagingThroughput } from '../messaging/throughput';

export interface ControlDeps {
  clock: Clock;
  tasks: TaskTracker;
  dispatcher: WebhookDispatcher;
  faults: FaultInjector;
  requestLog: RequestLog;
  inbound: InboundWhatsAppDeps;
  replay: CallbackReplayDeps;
  syncStats: SyncWriteStats;
  usage: UsageCounters;
  /** The verification codes sent to `to` (all when undefined), newest last. */
  verifyCodes: (to: string | undefined) => CodeLogEntry[];
  voice: VoiceRouteDeps;
  console: ConsoleReadDeps;
  throughput: MessagingThroughput;
  compliance: ComplianceControlDeps;
  account: AccountControlDeps;
  conversations: ConversationControlDeps;
  /** Sync's services, maps and items, for seeding items in bulk (`POST /_sandbox/sync/items`). */
  sync: SyncSeedDeps;
  /** The proxy's CA certificate (PEM), when the proxy is on: `GET /_sandbox/proxy` tells its fingerprint. */
  proxyCa?: string;
}

/** Default and ceiling for `GET /_sandbox/settled?timeoutMs=`. */
const SETTLE_DEFAULT_MS = 10_000;
const SETTLE_MAX_MS = 60_000;

function stringArray(body: Record<string, unknown>, name: string): string[] {
  const value = body[name] ?? [];
  if (!Array.isArray(value) || !value.every((u): u is string => typeof u === 'string')) {
    throw new ControlError(400, 'invalid_request', `"${name}" must be an array of strings`);
  }
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ControlError(400, 'invalid_request', `"${name}" must be a string`);
  return value;
}

function clockState(clock: Clock): { now: number; iso: string } {
  const now = clock.now();
  return { now, iso: new Date(now).toISOString() };
}

/** The unauthenticated `/_sandbox/…` control plane (paths here are relative to `/_sandbox`). */
export function controlRouter(deps: ControlDeps): Router {
  const { clock, tasks, dispatcher, faults } = deps;
  const router = new Router()
    .get('/health', () => json(200, { ok: true }))

    .post('/phone/sms', async (req) => {
      const body = parseJsonObject(req.rawBody);
      const input = {
        from: requireString(body, 'from'),
        to: requireString(body, 'to'),
        body: optionalString(body, 'body') ?? '',
        mediaUrls: stringArray(body, 'mediaUrls'),
      };
      return json(200, await receiveInboundSms(input, deps.inbound));
    })
    .post('/whatsapp/webhook', (req) => {
      const body = parseJsonObject(req.rawBody);
      const phoneNumber = requireString(body, 'phoneNumber').replace(/^whatsapp:/, '');
      const url = requireString(body, 'url');
      if (!deps.inbound.phoneNumbers.byPhoneNumber(phoneNumber))
        throw new ControlError(404, 'unknown_number', `${phoneNumber} is not a phone number of this account`);
      if (!/^https?:\/\//.test(url)) throw new ControlError(400, 'invalid_request', '"url" must be an http(s) URL');
      deps.inbound.whatsappWebhooks.set(phoneNumber, url);
      return json(200, { phoneNumber, url });
    })
    .post('/phone/whatsapp', async (req) => {
      const body = parseJsonObject(req.rawBody);
      const input = {
        from: requireString(body, 'from'),
        to: requireString(body, 'to'),
        body: optionalString(body, 'body') ?? '',
        mediaUrls: stringArray(body, 'mediaUrls'),
        mediaContentTypes: stringArray(body, 'mediaContentTypes'),
        profileName: optionalString(body, 'profileName'),
      };
      if (input.body === '' && input.mediaUrls.length === 0)
        throw new ControlError(400, 'invalid_request', 'a WhatsApp message needs "body" or "mediaUrls"');
      return json(200, await receiveInboundWhatsApp(input, deps.inbound));
    })

    .post('/phone/call', async (req) => {
      const body = parseJsonObject(req.rawBody);
      const input = { from: requireString(body, 'from'), to: requireString(body, 'to') };
      if (body.interactive !== undefined && typeof body.interactive !== 'boolean')
        throw new ControlError(400, 'invalid_request', '"interactive" must be a boolean');
      const placed = placeInboundCall(input, readCallScript(body), deps.voice, body.interactive === true);
      if (body.interactive !== true) return json(200, await placed.ended);
      // A live call goes on without this request: the answer is the call, to follow and to play.
      placed.ended.catch((error: unknown) => deps.voice.log(`live call ${placed.call.sid} failed: ${String(error)}`));
      return json(202, callView(placed.call, deps.voice));
    })
    .post('/phone/callee', (req) => {
      const { number, behaviour } = deps.voice.callees.set(parseJsonObject(req.rawBody));
      return json(200, {
        number,
        outcome: behaviour.outcome,
        answeredBy: behaviour.answeredBy,
        ringMs: behaviour.ringMs,
        inputs: behaviour.script.inputs.length,
      });
    })
    .get('/voice/clients', () => json(200, deps.voice.clients.snapshot()))
    .post('/voice/clients', (req) => json(200, deps.voice.clients.set(parseJsonObject(req.rawBody))))
    .get('/calls/:Sid', (req) => {
      const call = deps.voice.calls.get(req.params.Sid);
      if (!call) throw new ControlError(404, 'unknown_call', `No call ${req.params.Sid}`);
      return json(200, callView(call, deps.voice));
    })

    .get('/callbacks', (req) => json(200, dispatcher.records(req.query.get('sid') ?? undefined)))
    .post('/callbacks/replay', async (req) => json(200, await replayCallbacks(parseJsonObject(req.rawBody), deps.replay)))

    .get('/sync/stats', () => json(200, deps.syncStats.snapshot()))
    .delete('/sync/stats', () => {
      deps.syncStats.reset();
      return json(200, deps.syncStats.snapshot());
    })

    .get('/usage', () => json(200, deps.usage.snapshot()))
    .delete('/usage', () => {
      deps.usage.reset();
      return json(200, deps.usage.snapshot());
    })

    .get('/verify/codes', (req) => json(200, deps.verifyCodes(req.query.get('to') ?? undefined)))

    // Current opt-outs (oldest first), `?user=` keeps one user's: sender = number or MG SID.
    .get('/optouts', (req) =>
      json(
        200,
        deps.inbound.optOuts.list(req.query.get('user') ?? undefined).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      ),
    )

    .get('/settled', async (req) => {
      const raw = req.query.get('timeoutMs');
      const timeoutMs = raw === null ? SETTLE_DEFAULT_MS : Number(raw);
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > SETTLE_MAX_MS) {
        throw new ControlError(400, 'invalid_request', `timeoutMs must be between 0 and ${SETTLE_MAX_MS}`);
      }
      try {
        await tasks.settled(timeoutMs);
      } catch (error) {
        throw new ControlError(504, 'not_settled', error instanceof Error ? error.message : String(error));
      }
      return json(200, { settled: true, pending: tasks.pending });
    })

    // Which sandbox answers here: tools that trust `.sandbox/ca.pem` (npm run deploy -- --sandbox, the
    // deploy checks) compare this fingerprint with their file before treating a proxy as this sandbox.
    .get('/proxy', () =>
      deps.proxyCa === undefined
        ? json(404, { error: { code: 'proxy_off', message: 'This sandbox runs without its HTTPS proxy' } })
        : json(200, { caFingerprint256: new X509Certificate(deps.proxyCa).fingerprint256 }),
    )
    .get('/clock', () => json(200, clockState(clock)))
    .post('/clock', (req) => {
      const seconds = optionalNumber(parseJsonObject(req.rawBody), 'advanceSeconds') ?? 0;
      if (seconds < 0) throw new ControlError(400, 'invalid_request', 'the clock only moves forward');
      clock.advance(seconds * 1000);
      return json(200, clockState(clock));
    })

    // Every API request with its arrival and answer times, `?after=<seq>` for those since.
    .get('/requests', (req) => {
      const after = Number(req.query.get('after') ?? '0');
      if (!Number.isInteger(after) || after < 0) throw new ControlError(400, 'invalid_request', '"after" must be a whole number');
      return json(200, deps.requestLog.since(after));
    })
    .delete('/requests', () => json(200, { cleared: deps.requestLog.clear() }))

    .get('/faults', () => json(200, faults.list()))
    .post('/faults', (req) => json(201, faults.add(parseJsonObject(req.rawBody))))
    .delete('/faults', () => json(200, { cleared: faults.clear() }));
  addConsoleRoutes(router, deps.console);
  addLiveCallRoutes(router, deps.voice);
  addThroughputRoutes(router, deps.throughput);
  addComplianceRoutes(router, deps.compliance);
  addAccountControlRoutes(router, deps.account);
  addConversationControlRoutes(router, deps.conversations);
  addSyncSeedRoutes(router, deps.sync);
  return router;
}
