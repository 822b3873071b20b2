import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountState } from './api/account';
import { apiHost } from './api/host';
import { addUsageRoutes } from './api/usage-routes';
import { UsageTriggerStore } from './api/usage-triggers';
import { PhoneNumberStore } from './api/incoming-phone-numbers';
import { releaseScheduled, type LifecycleDeps } from './api/message-lifecycle';
import { MessageScheduler } from './api/message-scheduler';
import { MessageStore } from './api/messages';
import { Clock } from './clock';
import { createDataDir, removeStaleDataDirs } from './edge/data-dirs';
import { DeployedSites } from './edge/deployed-sites';
import { EVENT_TOPICS, SandboxEvents, type EventTopic } from './events';
import { contentHost } from './content/host';
import { ReceiptTracking } from './conversations/fan-out';
import { conversationsHost } from './conversations/host';
import { routeInbound } from './conversations/inbound';
import { ConversationStore } from './conversations/store';
import { ContentStore } from './content/templates';
import { FaultInjector } from './control/faults';
import { RequestLog } from './control/request-log';
import { controlRouter } from './control/routes';
import { Authenticator } from './http/auth';
import type { TwilioHost } from './http/router';
import { lookupHost } from './lookup/host';
import { MAGIC_VALID_FROM } from './magic-numbers';
import { messagingHost } from './messaging/host';
import { AdvancedOptOutStore } from './messaging/advanced-opt-out';
import { optOutOutcome, OptOutRegistry } from './messaging/opt-outs';
import { SenderCompliance } from './messaging/sender-compliance';
import { MessagingServiceStore, senderPool } from './messaging/services';
import { ShortCodeStore } from './messaging/short-codes';
import { MessagingThroughput } from './messaging/throughput';
import { DEFAULT_CALLBACK_DELAY_MS, DEFAULT_SYNC_WRITE_LIMIT, type Sandbox, type SandboxOptions } from './options';
import { createRequestHandler, type RequestHandlerDeps } from './server';
import { serverlessHost, serverlessUploadHost } from './serverless/host';
import { ServerlessState } from './serverless/state';
import { syncHost } from './sync/host';
import { SyncMapItems } from './sync/items';
import { SyncMaps } from './sync/maps';
import { WriteRateLimiter } from './sync/rate-limit';
import { SyncServices } from './sync/services';
import { SyncWriteStats } from './sync/write-stats';
import { TaskTracker } from './tasks';
import { UsageCounters } from './usage';
import { CodeGenerator, VerifyCodeLog } from './verify/codes';
import { verifyHost } from './verify/host';
import { VerifyServiceStore } from './verify/services';
import { VerificationStore, type VerificationRecord } from './verify/verifications';
import { CalleeBook } from './voice/callee';
import { dialingCountryOf, DialingPermissions, voiceHost } from './voice/dialing-permissions';
import { ClientBook } from './voice/clients';
import { CallStore } from './voice/calls';
import { LivePhoneBook } from './voice/live-phone';
import { RecordingStore } from './voice/recordings';
import { addVoiceRoutes, type VoiceRouteDeps } from './voice/routes';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { whatsAppOutcome } from './whatsapp/outcome';
import { ConversationWindows } from './whatsapp/window';
import { WhatsAppWebhooks } from './whatsapp/webhooks';

export type {
  ApiKey,
  ContentTemplateOption,
  MessagingServiceOption,
  MessagingThroughputMode,
  Sandbox,
  SandboxClock,
  SandboxEdge,
  SandboxOptions,
  SenderMps,
  SyncWriteLimit,
  VerifyServiceOption,
} from './options';
export type { ThroughputSnapshot, SenderType } from './messaging/throughput';
export type { Fault } from './control/faults';
export type { LoggedRequest } from './control/request-log';
export { longestChain } from './control/request-log';
export type { UsageSnapshot } from './usage';
export type { OptOutEntry } from './messaging/opt-outs';
export { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from './messaging/opt-outs';
export type { CodeLogEntry } from './verify/codes';
export { VERIFY_MAGIC_NUMBERS, VERIFY_MAGIC_PREFIXES } from './verify/magic';
export type { SyncWriteStatsSnapshot, WriteCounts } from './sync/write-stats';
export type { CallbackReplayResult, ReplayedDelivery } from './control/callback-replay';
export { MAGIC_DELIVERY_OUTCOMES, MAGIC_NO_RECEIPT_TO } from './magic-numbers';
export { WHATSAPP_MAGIC_RECIPIENTS } from './whatsapp/magic';
export { CUSTOMER_SERVICE_WINDOW_MS } from './whatsapp/window';
export type { DeliveryRecord } from './webhooks/dispatcher';
export type { DeployedFile, DeployedSite, FunctionLogLine, LogLevel, SiteSource, Visibility } from './edge/site';
export type { EdgeInvocation } from './edge/deployed-sites';
export type { EdgeAnswer } from './edge/answers';
export type { WebhookTimeouts } from './webhooks/connection-overrides';
export type { CallTranscript, CallStep, CallEnd } from './voice/transcript';
export { MAGIC_CALL_FROM, MAGIC_CALL_TO } from './voice/magic';
export { MAX_VERBS_PER_CALL } from './voice/twiml-walker';
export { MAX_MESSAGING_REDIRECTS } from './phone/messaging-walk';
export { MAX_CONTEXT_BYTES } from './serverless/limits';

/** What an API request may have changed, by host: writes, and Lookup's paid reads. */
function topicsOfApiRequest(subdomain: string, method: string): EventTopic[] {
  if (subdomain === 'lookups') return ['usage'];
  if (method === 'GET') return [];
  switch (subdomain) {
    case 'api':
      return ['messages', 'calls', 'numbers', 'usage'];
    case 'sync':
      return ['sync'];
    case 'verify':
      return ['verify', 'usage'];
    // Its channel Messages (a fan-out to SMS / WhatsApp) report through the MessageStore's own events.
    case 'conversations':
      return ['conversations'];
    default:
      return [];
  }
}

/**
 * The HTTPS proxy's modules, loaded only by a sandbox that serves one: its certificates need
 * @peculiar/x509, which alone costs about 150 ms of CPU to load (every test stack paid it).
 */
async function loadProxy(caDir: string, log: (line: string) => void) {
  const [{ loadOrCreateCa }, { createConnectProxy }] = await Promise.all([import('./proxy/local-ca'), import('./proxy/connect-proxy')]);
  return { ca: await loadOrCreateCa(caDir, { log }), createConnectProxy };
}

/** Starts a local Twilio sandbox for one account and resolves once it listens. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? ((): void => undefined);
  // First, before any timer starts: the proxy's CA (read, or made on first start).
  const proxying = options.proxy ? await loadProxy(options.proxy.caDir, log) : undefined;
  const ca = proxying?.ca;
  // Deployment folders of sandboxes that died without close() (their owner process is gone).
  for (const stale of removeStaleDataDirs()) log(`sandbox: removed ${stale}, left by a sandbox that is gone`);
  const clock = new Clock();
  const tasks = new TaskTracker();
  // What changed, for the console's live view (GET /_sandbox/events).
  const events = new SandboxEvents();
  clock.onAdvance(() => events.emit('clock'));
  let ownUrl = '';
  // The Serverless API: what is deployed (sandbox.sites), served by the edge at its domains, whose
  // containers reach Twilio through the sandbox's own proxy.
  const serverless = new ServerlessState(clock, options.accountSid, log);
  let dataDir = options.dataDir;
  const deployedSites = new DeployedSites({
    sites: options.sites ?? serverless,
    authToken: options.authToken,
    // Made on the first deployment served, and removed at close when it was made here.
    dataDir: () => (dataDir ??= createDataDir()),
    // Without the proxy, deployed code has no way to Twilio here: its requests fail, as offline.
    proxy: () => (ca ? { url: ownUrl, caPath: ca.caPath } : undefined),
  });
  const dispatcher = new WebhookDispatcher({
    authToken: options.authToken,
    clock,
    tasks,
    logLine: log,
    onRecord: () => events.emit('callbacks'),
    timeouts: options.webhookTimeouts,
    inProcess: deployedSites,
  });
  const { accountSid } = options;

  // Hosts: one file each; adding a Twilio host is one more entry here.
  const numbers = options.phoneNumbers && options.phoneNumbers.length > 0 ? options.phoneNumbers : [MAGIC_VALID_FROM];
  const phoneNumbers = new PhoneNumberStore(clock, numbers);
  const shortCodes = new ShortCodeStore(clock, options.shortCodes ?? []);
  const messagingServices = new MessagingServiceStore(clock, options.messagingServices ?? [], phoneNumbers.all(), shortCodes.all());
  // Senders send at their MPS under `enforced` (messaging/throughput.ts); `off` (default) hands messages over at once.
  const throughput = new MessagingThroughput({
    clock,
    services: messagingServices,
    ownsSender: (sender) => phoneNumbers.owns(sender) || shortCodes.owns(sender),
    mode: options.messagingThroughput,
    senderMps: options.senderMps,
  });
  // Conversations' delivery receipts follow the channel Messages a conversation message fans out to.
  const receiptTracking = new ReceiptTracking();
  const messages = new MessageStore(clock, (record) => {
    events.emit('messages');
    if (receiptTracking.onChannelMessage(record)) events.emit('conversations');
  });
  // US A2P 10DLC campaigns and toll-free verifications: unregistered senders' US traffic fails (30034 / 30032).
  const compliance = new SenderCompliance(clock, messagingServices, () => phoneNumbers.all());
  // Opt-outs apply per sender number, or to the whole Messaging Service whose pool holds it.
  const optOuts = new OptOutRegistry((number) => messagingServices.servicesOf(number));
  // Messaging Services' own opt-out / opt-in / help keywords and replies (Console-only at Twilio: the control plane here).
  const advancedOptOut = new AdvancedOptOutStore();
  const windows = new ConversationWindows();
  const whatsappWebhooks = new WhatsAppWebhooks();
  const contents = new ContentStore(clock);
  const contentSids: Record<string, string> = {};
  for (const seed of options.contentTemplates ?? []) {
    const content = contents.add({
      ...(seed.sid ? { sid: seed.sid } : {}),
      friendlyName: seed.friendlyName,
      language: seed.language ?? 'en',
      variables: { ...(seed.variables ?? {}) },
      types: { 'twilio/text': { body: seed.body } },
    });
    contentSids[seed.friendlyName] = content.sid;
  }
  const lifecycle: LifecycleDeps = {
    accountSid,
    store: messages,
    tasks,
    dispatcher,
    delayMs: options.callbackDelayMs ?? DEFAULT_CALLBACK_DELAY_MS,
    // A Messaging Service sends from the first sender of its pool (short codes first for SMS) unless throughput picks.
    pickSender: (serviceSid, whatsApp) => {
      const service = serviceSid ? messagingServices.get(serviceSid) : undefined;
      return (service && senderPool(service, whatsApp)[0]) || numbers[0];
    },
    throughput,
    channelOutcome: (message) =>
      whatsAppOutcome(message, windows, clock.now()) ?? (options.senderRegistration === 'off' ? null : compliance.outcome(message)),
    optOutOutcome: (message) => optOutOutcome(optOuts, message),
    log,
  };
  const scheduler = new MessageScheduler(clock, (message) => releaseScheduled(message, lifecycle));
  const syncStats = new SyncWriteStats();
  const limiter = new WriteRateLimiter(options.syncWriteLimit ?? DEFAULT_SYNC_WRITE_LIMIT, clock, syncStats);
  const usage = new UsageCounters(() => clock.now());
  // Usage Triggers fire as usage grows: signed callbacks like every other webhook.
  const usageTriggers = new UsageTriggerStore({ accountSid, clock, usage, deliver: (delivery) => dispatcher.deliver(delivery) });
  const verifyServices = new VerifyServiceStore(clock, options.verifyServices ?? []);
  const verifications = new VerificationStore(clock);
  const codeLog = new VerifyCodeLog<VerificationRecord>();
  const livePhones = new LivePhoneBook(() => events.emit('calls'));
  const voice: VoiceRouteDeps = {
    accountSid,
    clock,
    dispatcher,
    tasks,
    log,
    phoneNumbers,
    messages,
    lifecycle,
    livePhones,
    clients: new ClientBook(),
    calls: new CallStore(clock, () => events.emit('calls')),
    recordings: new RecordingStore(clock),
    callees: new CalleeBook(),
    delayMs: options.callbackDelayMs ?? DEFAULT_CALLBACK_DELAY_MS,
  };
  const account = new AccountState(accountSid, options.authToken, clock.now(), options.ownerAccountSid);
  // Voice Dialing Permissions: by default the home country (that of the first number) only.
  const dialingPermissions = new DialingPermissions(options.voiceDialingCountries ?? [dialingCountryOf(numbers[0]) ?? 'US']);
  const sync = { services: new SyncServices(clock), maps: new SyncMaps(clock, limiter), items: new SyncMapItems(clock, limiter) };
  const api = apiHost({
    accountSid,
    messages,
    phoneNumbers,
    lifecycle,
    scheduler,
    clock,
    usage,
    hasMessagingService: (sid) => messagingServices.has(sid),
    ownsShortCode: (code) => shortCodes.owns(code),
    findContent: (sid) => contents.get(sid),
    optedOut: (attempt) => optOuts.blocks(attempt),
    account,
  });
  addVoiceRoutes(api.router, voice);
  addUsageRoutes(api.router, { accountSid, clock, usage, triggers: usageTriggers });
  const conversationStore = new ConversationStore(clock, messagingServices.defaultService.sid);
  const conversations = conversationsHost({
    accountSid,
    store: conversationStore,
    messages,
    lifecycle,
    dispatcher,
    tasks,
    tracking: receiptTracking,
    ownsNumber: (n) => phoneNumbers.owns(n),
    hasMessagingService: (sid) => messagingServices.has(sid),
    findContent: (sid) => contents.get(sid),
    log,
  });
  // State timers (active → inactive → closed) run on the sandbox clock.
  clock.onAdvance(() => {
    conversations.actions.tickTimers();
    events.emit('conversations');
  });
  const hosts: TwilioHost[] = [
    api,
    conversations.host,
    contentHost({ accountSid, contents }),
    messagingHost({ accountSid, services: messagingServices, compliance }),
    syncHost({ accountSid, ...sync }),
    verifyHost({
      accountSid,
      services: verifyServices,
      verifications,
      codes: new CodeGenerator(),
      delivery: { codeLog, now: () => clock.now() },
      usage,
    }),
    lookupHost({ usage }),
    voiceHost(dialingPermissions),
    serverlessHost(serverless),
    serverlessUploadHost(serverless),
  ];

  const faults = new FaultInjector();
  const requestLog = new RequestLog();
  const control = controlRouter({
    ...(ca ? { proxyCa: readFileSync(ca.caPath, 'utf8') } : {}),
    clock,
    tasks,
    dispatcher,
    faults,
    requestLog,
    inbound: {
      accountSid,
      messages,
      phoneNumbers,
      dispatcher,
      lifecycle,
      optOuts,
      advancedOptOut,
      windows,
      whatsappWebhooks,
      now: () => clock.now(),
      // Inbound SMS / WhatsApp to a number Conversations owns (an open binding, or autocreation) goes to the conversation.
      conversations: (from, to, body, channel) => routeInbound(conversationStore, conversations.actions, channel, from, to, body),
    },
    replay: { accountSid, messages, dispatcher },
    syncStats,
    usage,
    verifyCodes: (to) => codeLog.list(to, (v) => verifications.statusOf(v)),
    voice,
    console: {
      phoneNumbers,
      messagingServices,
      whatsappWebhooks,
      messages,
      calls: voice.calls,
      recordings: voice.recordings,
      livePhones,
      sync,
    },
    throughput,
    compliance: { compliance, services: messagingServices, phoneNumbers, advancedOptOut },
    account: { account, dialingPermissions },
    conversations: { store: conversationStore, actions: conversations.actions },
    sync,
  });
  const boundHost = options.host ?? '127.0.0.1';
  const handlerDeps: RequestHandlerDeps = {
    hosts,
    control,
    authenticator: new Authenticator(accountSid, options.authToken, options.apiKeys),
    faults,
    requestLog,
    log,
    events,
    boundHost,
    now: () => clock.now(),
    onApiChange: (subdomain, method) => {
      for (const topic of topicsOfApiRequest(subdomain, method)) events.emit(topic);
    },
    // Control requests change phones, opt-outs, faults, the clock, usage…: the console re-reads all.
    onControlChange: () => {
      for (const topic of EVENT_TOPICS) if (topic !== 'functions') events.emit(topic);
    },
  };
  const server = createServer(createRequestHandler(handlerDeps, 'port'));
  // Twilio's SDKs and the Twilio CLI reach the sandbox unmodified through HTTP_PROXY (proxy/connect-proxy.ts).
  const proxy = proxying
    ? proxying.createConnectProxy({
        ca: proxying.ca,
        products: hosts.map((host) => host.subdomain),
        serveApi: createRequestHandler(handlerDeps, 'tunnel'),
        sites: {
          isDeployedDomain: (hostname) => deployedSites.servesDomain(hostname),
          serveSite: (request, response) => deployedSites.handle(request, response),
        },
        log,
      })
    : undefined;
  if (proxy) server.on('connect', proxy.handleConnect);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, boundHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const hostForUrl = address.includes(':') ? `[${address}]` : address;
  const url = `http://${hostForUrl}:${port}`;
  ownUrl = url;
  log(`sandbox listening on ${url} for ${accountSid}`);

  return {
    url,
    port,
    messagingServiceSid: messagingServices.defaultService.sid,
    verifyServiceSid: verifyServices.defaultService.sid,
    contentSids,
    clock,
    sites: serverless,
    consoleUrl: `${url}/`,
    ...(proxy ? { caPath: proxy.caPath, proxyUrl: url } : {}),
    notify: (notice) => events.emit('functions', notice),
    settled: (timeoutMs) => tasks.settled(timeoutMs),
    edge: {
      handle: (request, response) => deployedSites.handle(request, response),
      invoke: (request) => deployedSites.invoke(request),
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        void deployedSites.close().then(() => {
          if (dataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
        });
        scheduler.close();
        throughput.close();
        livePhones.closeAll();
        tasks.close();
        proxy?.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
