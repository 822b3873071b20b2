import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { isLoopbackName, unreachableUrl } from '../src/lib/config/reachable-url';
import { readSettings, weakSecrets, type Settings } from '../src/lib/config/settings';
import { describeUnregistered, inReview, readSenderRegistrations } from '../src/lib/messaging/sender-registration';
import { Deadline } from '../src/lib/runtime/deadline';
import type { TwilioClient } from '../src/lib/twilio/sdk';
import type { EnvVars } from './env-file';
import {
  autoCreatesInto,
  conversationAddresses,
  CONVERSATIONS_EVENT_FILTERS,
  CONVERSATIONS_EVENTS_ROUTE,
  findAddressConfiguration,
} from './conversations';
import { FUNCTIONS_DIR, ROOT_DIR } from './layout';
import { runtimeProblem, RUNTIME_HANDLER } from './twilio-runtimes';
import { describeTrigger, pointsAtService, USAGE_TRIGGER_ROUTE, usageTriggerUrl } from './usage-triggers';

/**
 * `npm run doctor`: read-only checks of the account in the env file (the sandbox or real Twilio)
 * through the REST API, each with what is wrong and how to fix it. Nothing is changed.
 */

type Level = 'ok' | 'warning' | 'problem' | 'skipped';

export interface Finding {
  level: Level;
  check: string;
  message: string;
  fix?: string;
}

export interface DoctorInput {
  env: EnvVars;
  client: TwilioClient;
  /** Where this service is reached (the Service domain, or the local server); unknown: only the routes are checked. */
  baseUrl?: string;
  /** Routes of this service that are Twilio webhooks (`*.protected`); read from dist/functions by default. */
  webhookRoutes?: string[];
  /**
   * A client with the Auth Token, for the Account resource a Standard API key may not read
   * (https://www.twilio.com/docs/iam/api-keys/key-resource-v1); default `client`.
   */
  accountClient?: TwilioClient;
  /** Where twilio-run keeps the SIDs of what it deployed (`.twiliodeployinfo`); default the repository's. */
  deployInfoFile?: string;
}

/** The built Functions that are Twilio webhooks: Twilio's edge checks their signatures. */
function protectedRoutes(functionsDir = FUNCTIONS_DIR): string[] {
  if (!existsSync(functionsDir)) return [];
  return readdirSync(functionsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.protected.js'))
    .map(
      (file) =>
        `/${file
          .split(path.sep)
          .join('/')
          .replace(/\.protected\.js$/, '')}`,
    );
}

/** Twilio answers 404 (20404) for a resource that does not exist. */
const statusOf = (error: unknown) => (typeof error === 'object' && error !== null ? (error as { status?: number }).status : undefined);
const notFound = (error: unknown) => statusOf(error) === 404;
/** Twilio refused the read: credentials that may not (401 / 403), or an API this account or region lacks (404). */
const refused = (error: unknown) => [401, 403, 404].includes(statusOf(error) ?? 0);
const why = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads the service a setting names and hands it to `inspect`; a 404 is that setting's problem
 * ("does not exist in this account"), anything else is thrown.
 */
async function inspectService<T>(
  check: string,
  sid: string,
  fix: string | undefined,
  fetch: () => Promise<T>,
  inspect: (service: T) => Finding[],
): Promise<Finding[]> {
  let service: T;
  try {
    service = await fetch();
  } catch (error) {
    if (!notFound(error)) throw error;
    return [{ level: 'problem', check, message: `${sid} does not exist in this account`, ...(fix ? { fix } : {}) }];
  }
  return inspect(service);
}

/** The fix for a webhook that is wrong or missing: bind the number (and services) to this service's URL. */
const bindFix = (input: DoctorInput): string => `npm run bind -- ${input.baseUrl ?? '<your service URL>'}`;

/**
 * Is this URL one of this service's webhooks, the expected one, and one Twilio can reach in
 * production (the deploy's rule, unreachableUrl: https, no private, loopback or RFC 6890 address,
 * no tunnel)? Against a local sandbox, this machine's loopback names pass too (the sandbox calls them).
 */
function webhookFinding(
  check: string,
  url: string | null | undefined,
  route: string,
  input: DoctorInput,
  sandbox: boolean,
  webhooks: string[],
): Finding {
  const expected = input.baseUrl ? `${input.baseUrl.replace(/\/+$/, '')}${route}` : undefined;
  const fix = bindFix(input);
  if (!url) return { level: 'problem', check, message: 'is not set: Twilio has nowhere to send it', fix };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { level: 'problem', check, message: 'is not a URL', fix };
  }
  const unreachable = sandbox && isLoopbackName(parsed.hostname) ? undefined : unreachableUrl(url);
  if (unreachable) return { level: 'problem', check, message: `${parsed.origin} ${unreachable}`, fix };
  if (!webhooks.includes(parsed.pathname)) {
    return {
      level: 'problem',
      check,
      message: `points at ${parsed.pathname}, which is not a Twilio webhook of this service (a protected route, whose signatures Twilio's edge checks)`,
      fix,
    };
  }
  if (expected && `${parsed.origin}${parsed.pathname}` !== expected)
    return { level: 'problem', check, message: `points at ${parsed.origin}${parsed.pathname}, not at this service (${expected})`, fix };
  return { level: 'ok', check, message: `${parsed.origin}${parsed.pathname}` };
}

async function checkNumber(input: DoctorInput, settings: Settings, sandbox: boolean, webhooks: string[]): Promise<Finding[]> {
  const phone = settings.phoneNumber;
  if (!phone) return [{ level: 'problem', check: 'TWILIO_PHONE_NUMBER', message: 'is not set', fix: 'set your number, in E.164' }];
  const [number] = await input.client.incomingPhoneNumbers.list({ phoneNumber: phone, limit: 1 });
  if (!number)
    return [
      {
        level: 'problem',
        check: 'TWILIO_PHONE_NUMBER',
        message: `${phone} is not a number of this account`,
        fix: 'buy it or port it, or correct TWILIO_PHONE_NUMBER',
      },
    ];
  const findings = [
    webhookFinding(`${phone} SMS webhook`, number.smsUrl, '/sms/incoming', input, sandbox, webhooks),
    webhookFinding(`${phone} Voice webhook`, number.voiceUrl, '/voice/incoming', input, sandbox, webhooks),
    webhookFinding(`${phone} call status callback`, number.statusCallback, '/voice/status', input, sandbox, webhooks),
    ...(
      [
        ['SMS fallback URL', number.smsFallbackUrl, '/sms/fallback'],
        ['Voice fallback URL', number.voiceFallbackUrl, '/voice/fallback'],
      ] as const
    ).map(([name, url, route]): Finding =>
      url
        ? webhookFinding(`${phone} ${name}`, url, route, input, sandbox, webhooks)
        : {
            level: 'warning',
            check: `${phone} ${name}`,
            message: 'is not set: when the webhook fails, Twilio has no second chance to call',
            fix: bindFix(input),
          },
    ),
  ];
  if (number.smsUrl && number.smsMethod !== 'POST')
    findings.push({
      level: 'problem',
      check: `${phone} SMS webhook`,
      message: `uses ${number.smsMethod}; the webhook expects POST`,
      fix: bindFix(input),
    });
  return findings;
}

async function checkMessagingService(input: DoctorInput, settings: Settings, sandbox: boolean, webhooks: string[]): Promise<Finding[]> {
  const sid = settings.messagingServiceSid;
  const check = 'MESSAGING_SERVICE_SID';
  if (!sid)
    return [
      {
        level: 'warning',
        check,
        message: 'is not set: no scheduled re-sends of transient failures',
        fix: 'create a Messaging Service with your number in its sender pool',
      },
    ];
  return inspectService(
    check,
    sid,
    'copy the MG… SID from Console > Messaging > Services',
    () => input.client.messaging.v1.services(sid).fetch(),
    (service) => {
      if (service.useInboundWebhookOnNumber)
        return [{ level: 'ok', check, message: `${service.friendlyName}: inbound messages use each number's own webhook` }];
      const inbound = webhookFinding(`${check} inbound request URL`, service.inboundRequestUrl, '/sms/incoming', input, sandbox, webhooks);
      return [
        inbound.level === 'ok'
          ? inbound
          : {
              ...inbound,
              fix: "in the Messaging Service's Integration settings, choose \"Send a webhook\" to this service's /sms/incoming, or use the number's own webhook",
            },
      ];
    },
  );
}

/**
 * The US senders' registration (A2P 10DLC campaign of the Messaging Service, toll-free
 * verification): an unregistered one is a problem (carriers block its US traffic: 30034 / 30032),
 * one still under review a warning (blocked until approved).
 */
async function checkSenderRegistration(input: DoctorInput, settings: Settings): Promise<Finding[]> {
  let registrations;
  try {
    registrations = await readSenderRegistrations(input.client, settings, Deadline.in(30_000));
  } catch (error) {
    // A MESSAGING_SERVICE_SID that does not exist is that check's problem, not a second one here.
    if (!notFound(error)) throw error;
    return [{ level: 'skipped', check: 'sender registration', message: 'the Messaging Service could not be read' }];
  }
  return registrations.map((r): Finding => {
    const check = `${r.sender} ${r.type === 'long_code' ? 'A2P 10DLC campaign' : 'toll-free verification'}`;
    if (r.registered) return { level: 'ok', check, message: r.status ?? '' };
    return {
      level: inReview(r) ? 'warning' : 'problem',
      check,
      message: describeUnregistered(r),
      fix:
        r.type === 'long_code'
          ? 'Console > Messaging > Regulatory Compliance > Campaigns (https://www.twilio.com/docs/messaging/compliance/a2p-10dlc)'
          : 'Console > Phone Numbers > the number > Regulatory Information (https://www.twilio.com/docs/messaging/compliance/toll-free/api-onboarding)',
    };
  });
}

async function checkVerifyService(input: DoctorInput, settings: Settings): Promise<Finding[]> {
  const sid = settings.verify.serviceSid;
  const check = 'VERIFY_SERVICE_SID';
  if (!sid)
    return [
      {
        level: 'warning',
        check,
        message: 'is not set: /verify/start and /verify/check cannot send or check codes',
        fix: 'create a Verify service (Console > Verify > Services)',
      },
    ];
  return inspectService(
    check,
    sid,
    'copy the VA… SID from Console > Verify > Services',
    () => input.client.verify.v2.services(sid).fetch(),
    (service) => {
      const findings: Finding[] = [{ level: 'ok', check, message: `${service.friendlyName}: ${service.codeLength}-digit codes` }];
      if (service.codeLength < 6)
        findings.push({
          level: 'warning',
          check: `${check} code length`,
          message: `codes have ${service.codeLength} digits: easier to guess within Verify's 5 checks`,
          fix: 'set Code length to 6 or more in the service settings',
        });
      if (!service.lookupEnabled)
        findings.push({
          level: 'warning',
          check: `${check} lookup`,
          message: 'Lookup is off: invalid and landline numbers are only found when a send fails',
          fix: 'turn on Lookup in the Verify service settings',
        });
      return findings;
    },
  );
}

/**
 * Conversations (opt-in): the service exists, each address autocreates into it, and its pre- and
 * post-action webhooks reach /conversations/events with the events that route handles.
 */
async function checkConversations(input: DoctorInput, settings: Settings, sandbox: boolean, webhooks: string[]): Promise<Finding[]> {
  const { serviceSid, number } = settings.conversations;
  const check = 'CONVERSATIONS_SERVICE_SID';
  if (!serviceSid || !number)
    return [
      {
        level: 'ok',
        check,
        message: 'Conversations is off, as it may be: it is opt-in (set CONVERSATIONS_SERVICE_SID and CONVERSATIONS_NUMBER to turn it on)',
      },
    ];
  const fix = bindFix(input);
  const conversations = input.client.conversations.v1;
  return inspectService(
    check,
    serviceSid,
    'copy the IS… SID from Console > Conversations > Manage > Services',
    () => conversations.services(serviceSid).configuration.webhooks().fetch(),
    (hooks) => {
      const findings: Finding[] = [
        webhookFinding(`${check} pre-action webhook`, hooks.preWebhookUrl, CONVERSATIONS_EVENTS_ROUTE, input, sandbox, webhooks),
        webhookFinding(`${check} post-action webhook`, hooks.postWebhookUrl, CONVERSATIONS_EVENTS_ROUTE, input, sandbox, webhooks),
      ];
      const missing = CONVERSATIONS_EVENT_FILTERS.filter((event) => !(hooks.filters ?? []).includes(event));
      findings.push(
        missing.length === 0
          ? { level: 'ok', check: `${check} webhook filters`, message: CONVERSATIONS_EVENT_FILTERS.join(', ') }
          : {
              level: 'problem',
              check: `${check} webhook filters`,
              message: `do not name ${missing.join(', ')}: those events never reach this service`,
              fix,
            },
      );
      return findings;
    },
  ).then(async (findings) => {
    for (const { type, address } of conversationAddresses(input.env)) {
      const config = await findAddressConfiguration(input.client, type, address);
      findings.push(
        config && autoCreatesInto(config.autoCreation, serviceSid)
          ? { level: 'ok', check: `${address} autocreation`, message: `inbound ${type} opens a conversation in ${serviceSid}` }
          : {
              level: 'problem',
              check: `${address} autocreation`,
              message: config
                ? `its Address Configuration does not autocreate into ${serviceSid}`
                : 'has no Address Configuration: inbound messages never open a conversation',
              fix: 'npm run provision',
            },
      );
    }
    return findings;
  });
}

async function checkSync(input: DoctorInput, settings: Settings): Promise<Finding[]> {
  const sync = input.client.sync.v1;
  const findings = await inspectService(
    'SYNC_SERVICE_SID',
    settings.syncServiceSid,
    'copy the IS… SID from Console > Sync > Services, or write default',
    () => sync.services(settings.syncServiceSid).fetch(),
    (service): Finding[] => [{ level: 'ok', check: 'SYNC_SERVICE_SID', message: `${service.friendlyName ?? service.sid}` }],
  );
  const clients = settings.accessTokens.syncServiceSid;
  if (clients) {
    findings.push(
      ...(await inspectService(
        'CLIENT_SYNC_SERVICE_SID',
        clients,
        undefined,
        () => sync.services(clients).fetch(),
        (service): Finding[] => [
          service.aclEnabled
            ? { level: 'ok', check: 'CLIENT_SYNC_SERVICE_SID', message: 'ACL enabled: tokens read only what map permissions allow' }
            : {
                level: 'problem',
                check: 'CLIENT_SYNC_SERVICE_SID',
                message: 'ACL is off: any Access Token with the Sync grant can read and write every object',
                fix: 'enable ACL on the service (acl_enabled), then grant read permissions per map',
              },
        ],
      )),
    );
  }
  return findings;
}

/** A voice dialing-permission entry, as the doctor reads it (Countries list of voice/v1). */
interface DialingCountry {
  isoCode: string;
  name: string;
  countryCodes: string[];
  lowRiskNumbersEnabled: boolean;
  highRiskTollfraudNumbersEnabled: boolean;
}

/**
 * The entry that governs calls to `iso`: its own, or (for a country Twilio lists under another,
 * such as CA under "United States/Canada") the one whose only country code is its calling code.
 */
function dialingEntryFor(iso: string, countries: readonly DialingCountry[]): DialingCountry | undefined {
  const own = countries.find((country) => country.isoCode === iso);
  if (own) return own;
  let callingCode: string;
  try {
    callingCode = `+${getCountryCallingCode(iso as CountryCode)}`;
  } catch {
    return undefined;
  }
  return countries.find((country) => country.countryCodes.length === 1 && country.countryCodes[0] === callingCode);
}

/**
 * ALLOWED_COUNTRIES against the account's Voice Dialing Permissions (voice/v1/DialingPermissions):
 * a country the gate allows but Twilio's geo permissions block fails every call there (21215,
 * 13227 or 32205). A warning, not a problem: ALLOWED_COUNTRIES also covers SMS and Verify, and a
 * country served by text only should stay closed to calls.
 */
async function checkDialingPermissions(input: DoctorInput, settings: Settings): Promise<Finding[]> {
  const check = 'ALLOWED_COUNTRIES vs voice geo permissions';
  if (settings.allowedCountries === 'any')
    return [
      {
        level: 'warning',
        check,
        message: "ALLOWED_COUNTRIES=* relies on the account's geo permissions alone",
        fix: 'list the countries you serve',
      },
    ];
  let countries: DialingCountry[];
  try {
    countries = await input.client.voice.v1.dialingPermissions.countries.list({ pageSize: 1000 });
  } catch (error) {
    if (!refused(error)) throw error;
    return [{ level: 'skipped', check, message: `the account's voice dialing permissions cannot be read here (${why(error)})` }];
  }
  const findings: Finding[] = [];
  for (const iso of settings.allowedCountries) {
    const country = dialingEntryFor(iso, countries);
    if (!country)
      findings.push({
        level: 'warning',
        check,
        message: `${iso} is in ALLOWED_COUNTRIES but has no entry in the account's voice dialing permissions: calls there cannot be checked`,
        fix: 'check the country code, and Console > Voice > Settings > Geo permissions',
      });
    else if (!country.lowRiskNumbersEnabled)
      findings.push({
        level: 'warning',
        check,
        message: `${iso} is in ALLOWED_COUNTRIES but voice dialing to ${country.name} is off: calls there fail (Twilio 21215 / 13227)`,
        fix: `if you call ${country.name}, enable it in Console > Voice > Settings > Geo permissions; if ${iso} is for SMS only, leave it`,
      });
    if (country?.highRiskTollfraudNumbersEnabled)
      findings.push({
        level: 'warning',
        check,
        message: `${iso}: high-risk (toll fraud) numbers are enabled`,
        fix: 'turn them off unless you must call them',
      });
  }
  return findings.length > 0
    ? findings
    : [{ level: 'ok', check, message: `voice dialing is on for every allowed country (${settings.allowedCountries.join(', ')})` }];
}

/**
 * `<Pay>` (PAY_CONNECTOR) needs PCI mode, which is irreversible and applies to the whole account:
 * it belongs in a sub-account of its own (the Account's owner_account_sid is then its parent's).
 * A Standard API key may not read the Account resource, so this read uses `accountClient` (the
 * Auth Token) when there is one.
 */
async function checkPayAccount(input: DoctorInput, settings: Settings): Promise<Finding[]> {
  const check = '<Pay> and PCI mode';
  if (!settings.voice.payConnector) return [];
  let account: { sid: string; ownerAccountSid: string };
  try {
    account = await (input.accountClient ?? input.client).api.v2010.accounts(settings.accountSid ?? '').fetch();
  } catch (error) {
    if (!refused(error)) throw error;
    return [
      {
        level: 'skipped',
        check,
        message: `the Account resource cannot be read with these credentials (${why(error)}): a Standard API key may not read it`,
        fix: 'set AUTH_TOKEN in the env file (or use a Main API key) to let the doctor check',
      },
    ];
  }
  if (account.ownerAccountSid === account.sid)
    return [
      {
        level: 'warning',
        check,
        message:
          'PAY_CONNECTOR takes payments on a main account: PCI mode, which <Pay> needs, is irreversible and applies to the whole account',
        fix: 'run <Pay> in a dedicated sub-account (and its own Functions service)',
      },
    ];
  return [{ level: 'ok', check, message: `payments run in a sub-account of ${account.ownerAccountSid}` }];
}

/** The name twilio-run gives the service by default: package.json's `name`. */
const SERVICE_NAME = 'twilio-comms';

/** Service SIDs twilio-run recorded in `.twiliodeployinfo` (`{ "<user>[:<region>]": { serviceSid } }`). */
function deployedServiceSids(file: string): string[] {
  if (!existsSync(file)) return [];
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { serviceSid?: unknown } | null>;
    return Object.values(info).flatMap((entry) => (typeof entry?.serviceSid === 'string' ? [entry.serviceSid] : []));
  } catch {
    return [];
  }
}

/**
 * The deployed service's latest Build against Twilio's runtimes and handler list: a build Twilio
 * would refuse today (an unlisted `@twilio/runtime-handler`, a runtime it no longer builds) means
 * the next deploy fails, even if the running one still serves.
 */
async function checkDeployedBuild(input: DoctorInput): Promise<Finding[]> {
  const check = 'deployed build';
  const serverless = input.client.serverless.v1;
  const recorded = deployedServiceSids(input.deployInfoFile ?? `${ROOT_DIR}/.twiliodeployinfo`);
  const services = await serverless.services.list({ limit: 100 });
  const service =
    services.find((candidate) => recorded.includes(candidate.sid)) ?? services.find((candidate) => candidate.uniqueName === SERVICE_NAME);
  if (!service) return [{ level: 'skipped', check, message: `no Functions service of this project (${SERVICE_NAME}) in this account yet` }];
  const builds = await serverless.services(service.sid).builds.list({ limit: 50 });
  const latest = builds.reduce<(typeof builds)[number] | undefined>(
    (newest, build) => (!newest || build.dateCreated > newest.dateCreated ? build : newest),
    undefined,
  );
  if (!latest) return [{ level: 'skipped', check, message: `${service.uniqueName} (${service.sid}) has no build yet` }];
  const dependencies = (latest.dependencies ?? []) as Array<{ name?: string; version?: string }>;
  const handler = dependencies.find((dependency) => dependency.name === RUNTIME_HANDLER)?.version;
  const problem = runtimeProblem(latest.runtime, handler);
  const described = `${service.uniqueName} build ${latest.sid}: runtime ${latest.runtime}, ${RUNTIME_HANDLER} ${handler ?? 'none'}`;
  return problem
    ? [
        {
          level: 'warning',
          check,
          message: `${described}: ${problem}`,
          fix: `pin a listed ${RUNTIME_HANDLER} in package.json and npm run deploy`,
        },
      ]
    : [{ level: 'ok', check, message: described }];
}

/**
 * The account's Usage Triggers, and whether one calls this service's kill switch (POST
 * /usage/trigger): without one, nothing pauses non-essential sends when spend runs away.
 */
async function checkUsageTriggers(input: DoctorInput): Promise<Finding[]> {
  const check = 'usage triggers';
  const triggers = await input.client.usage.triggers.list({ limit: 1000 });
  const listed: Finding[] = triggers.map((trigger) => ({ level: 'ok', check, message: describeTrigger(trigger) }));
  if (triggers.some((trigger) => pointsAtService(trigger, input.baseUrl))) return listed;
  return [
    ...listed,
    {
      level: 'warning',
      check,
      message: `none of the account's ${triggers.length} usage trigger${triggers.length === 1 ? '' : 's'} calls ${input.baseUrl ? usageTriggerUrl(input.baseUrl) : USAGE_TRIGGER_ROUTE}: nothing pauses sends when spend runs away`,
      fix: 'npm run usage-trigger -- --daily <USD>',
    },
  ];
}

// Twilio's HIPAA Eligible Services (https://www.twilio.com/content/dam/twilio-com/global/en/other/hipaa/pdf/HIPAA-Eligible-Services.pdf)
// and the per-product notes of Twilio's own HIPAA guidance (https://www.skills.sh/twilio/ai/twilio-security-compliance-hipaa):
// WhatsApp is not eligible (Meta signs no BAA), Verify is eligible for SMS, Voice and Push only
// (its Email channel is SendGrid, not eligible), and HIPAA Voice and SMS traffic is limited to US area codes.
const PHI = 'PHI_MODE';

/**
 * With PHI_MODE=true: the products this configuration uses that are not HIPAA eligible, and the
 * settings that would let content out on an unprotected channel. Read from the settings alone.
 */
function phiModeFindings(settings: Settings): Finding[] {
  if (!settings.phiMode) return [{ level: 'ok', check: PHI, message: 'off: staff texts carry message text (see docs/phi-mode.md)' }];
  const findings: Finding[] = [];
  const problem = (message: string, fix: string) => findings.push({ level: 'problem', check: PHI, message, fix });
  const whatsappOn = Boolean(settings.whatsappFrom) || Object.keys(settings.whatsapp.keywords).length > 0;
  if (whatsappOn)
    problem(
      `WhatsApp is on (${settings.whatsappFrom ? 'WHATSAPP_FROM' : 'WHATSAPP_KEYWORDS'}): WhatsApp is not HIPAA eligible (Meta offers no BAA)`,
      'remove WHATSAPP_FROM and WHATSAPP_KEYWORDS, and unbind the WhatsApp sender',
    );
  for (const channel of settings.verify.channels.filter((name) => name === 'email' || name === 'whatsapp'))
    problem(
      `VERIFY_CHANNELS offers ${channel}: Verify is HIPAA eligible for SMS, Voice and Push only`,
      'list only sms and call in VERIFY_CHANNELS',
    );
  const countries = settings.allowedCountries;
  if (countries === 'any' || countries.some((code) => code !== 'US'))
    problem(
      `ALLOWED_COUNTRIES allows ${countries === 'any' ? 'any country' : countries.filter((code) => code !== 'US').join(', ')}: HIPAA Voice and SMS traffic is limited to US area codes`,
      'set ALLOWED_COUNTRIES=US',
    );
  const publicBase = new URL(settings.publicBaseUrl);
  if (publicBase.protocol === 'http:' && !isLoopbackName(publicBase.hostname))
    problem(
      `PUBLIC_BASE_URL is http (${settings.publicBaseUrl}): the links in staff texts would be read over an unencrypted connection`,
      'use an https:// URL',
    );
  const staff = [
    ['FORWARD_TO', settings.forwardTo],
    ['VOICEMAIL_NOTIFY_TO', settings.voice.voicemailNotifyTo],
  ].filter(([, number]) => number);
  if (staff.length > 0)
    findings.push({
      level: 'ok',
      check: PHI,
      message: `${staff.map(([name]) => name).join(' and ')}: staff texts carry a link to a bearer route, no body, transcript or caller`,
    });
  findings.push({
    level: 'ok',
    check: PHI,
    message:
      'Programmable SMS, Voice (recordings, transcription, text to speech), Sync, Functions and Verify by SMS or call are HIPAA eligible under a BAA',
  });
  return findings;
}

/** Every check, in order; a check that cannot run is a problem of its own (credentials, network). */
export async function runDoctor(input: DoctorInput): Promise<Finding[]> {
  const settings = readSettings(input.env);
  const sandbox = Boolean(settings.sandboxUrl);
  const webhooks = input.webhookRoutes ?? protectedRoutes();
  const findings: Finding[] = settings.problems.map((name) => ({
    level: 'problem',
    check: name,
    message: 'is broken (npm run build lists why)',
    fix: 'npm run build',
  }));
  findings.push(...phiModeFindings(settings));
  findings.push(
    ...weakSecrets(input.env).map(({ name, problem, fix }): Finding => ({
      level: 'warning',
      check: name,
      message: `${problem}: a deploy refuses it`,
      fix,
    })),
  );
  findings.push(
    settings.apiKey && settings.apiSecret
      ? { level: 'ok', check: 'credentials', message: `API key ${settings.apiKey}` }
      : {
          level: 'warning',
          check: 'credentials',
          message: 'the Auth Token: Twilio recommends an API key in production',
          fix: 'create a Standard API key and set API_KEY and API_SECRET',
        },
  );
  const checks: Array<[string, () => Promise<Finding[]>]> = [
    ['TWILIO_PHONE_NUMBER', () => checkNumber(input, settings, sandbox, webhooks)],
    ['MESSAGING_SERVICE_SID', () => checkMessagingService(input, settings, sandbox, webhooks)],
    ['sender registration (A2P 10DLC, toll-free)', () => checkSenderRegistration(input, settings)],
    ['VERIFY_SERVICE_SID', () => checkVerifyService(input, settings)],
    ['SYNC_SERVICE_SID', () => checkSync(input, settings)],
    ['CONVERSATIONS_SERVICE_SID', () => checkConversations(input, settings, sandbox, webhooks)],
    ['ALLOWED_COUNTRIES vs voice geo permissions', () => checkDialingPermissions(input, settings)],
    ['<Pay> and PCI mode', () => checkPayAccount(input, settings)],
    ['deployed build', () => checkDeployedBuild(input)],
    ['usage triggers', () => checkUsageTriggers(input)],
  ];
  for (const [check, run] of checks) {
    try {
      findings.push(...(await run()));
    } catch (error) {
      findings.push({
        level: 'problem',
        check,
        message: `could not be checked: ${why(error)}`,
        fix: 'check the credentials and the network',
      });
    }
  }
  return findings;
}

const MARKS: Record<Level, string> = { ok: 'ok     ', warning: 'warning', problem: 'PROBLEM', skipped: 'skipped' };

/** The report, one line per finding (and its fix). */
export const formatFindings = (findings: readonly Finding[]): string =>
  findings
    .map(
      ({ level, check, message, fix }) => `${MARKS[level]}  ${check}: ${message}${fix && level !== 'ok' ? `\n         fix: ${fix}` : ''}`,
    )
    .join('\n');
