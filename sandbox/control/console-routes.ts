import type { PhoneNumberStore } from '../api/incoming-phone-numbers';
import type { MessageRecord, MessageStore } from '../api/messages';
import { iso8601, iso8601OrNull } from '../dates';
import { json, type Router } from '../http/router';
import { classifyOptKeyword } from '../messaging/opt-outs';
import type { MessagingServiceStore } from '../messaging/services';
import type { SyncMapItems } from '../sync/items';
import type { SyncMaps } from '../sync/maps';
import type { SyncServices } from '../sync/services';
import { isFinal, type CallRecord, type CallStore } from '../voice/calls';
import type { LivePhoneBook } from '../voice/live-phone';
import type { RecordingStore } from '../voice/recordings';
import { isWhatsApp } from '../whatsapp/addresses';
import type { WhatsAppWebhooks } from '../whatsapp/webhooks';
import { ControlError } from './errors';

/** What the console reads: the account's numbers, messages, calls and Sync data, in compact JSON. */
export interface ConsoleReadDeps {
  phoneNumbers: PhoneNumberStore;
  messagingServices: MessagingServiceStore;
  whatsappWebhooks: WhatsAppWebhooks;
  messages: MessageStore;
  calls: CallStore;
  recordings: RecordingStore;
  livePhones: LivePhoneBook;
  sync: { services: SyncServices; maps: SyncMaps; items: SyncMapItems };
}

/** Largest `limit` the list views take. */
const MAX_LIMIT = 1000;
/** Items shown per Sync map (the console is a window, not an export). */
const MAX_ITEMS_PER_MAP = 200;

function readLimit(query: URLSearchParams, fallback: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new ControlError(400, 'invalid_request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

const bare = (address: string | null): string => (address ?? '').replace(/^[a-z]+:/, '');

/** A message as the console's threads show it (keyword = the opt-out / opt-in word an inbound body is). */
function messageView(m: MessageRecord): Record<string, unknown> {
  const keyword = m.direction === 'inbound' ? classifyOptKeyword(m.body) : null;
  const help = m.direction === 'inbound' && /^[\s\p{P}]*(HELP|INFO)[\s\p{P}]*$/iu.test(m.body);
  return {
    sid: m.sid,
    direction: m.direction,
    channel: isWhatsApp(m.to) ? 'whatsapp' : 'sms',
    from: m.from,
    to: m.to,
    body: m.body,
    media: m.media.map((media) => ({ sid: media.sid, contentType: media.contentType, url: media.sourceUrl })),
    status: m.status,
    errorCode: m.errorCode,
    errorMessage: m.errorMessage,
    numSegments: m.numSegments,
    messagingServiceSid: m.messagingServiceSid,
    keyword: keyword ? keyword.type : help ? 'HELP' : null,
    dateCreated: iso8601(m.dateCreated),
    dateUpdated: iso8601(m.dateUpdated),
  };
}

/** A call with its walk, recordings (with transcription text) and, if live, what it waits for. */
export function callView(call: CallRecord, deps: Pick<ConsoleReadDeps, 'recordings' | 'livePhones'>): Record<string, unknown> {
  // A call that has ended is not live, even in the moment before its phone is put away.
  const live = isFinal(call.status) ? undefined : deps.livePhones.get(call.sid);
  return {
    ...call.transcript,
    recordings: call.transcript.recordings.map((r) => {
      const transcription = r.transcriptionSid ? deps.recordings.transcription(r.transcriptionSid) : undefined;
      return { ...r, transcriptionText: transcription?.text ?? null, transcriptionStatus: transcription?.status ?? null };
    }),
    status: call.status,
    direction: call.direction,
    from: call.from,
    to: call.to,
    durationSeconds: call.seconds,
    dateCreated: iso8601(call.dateCreated),
    live: live !== undefined,
    prompt: live?.prompt ?? null,
  };
}

/** One phone outside the account that has texted or called its numbers, or been texted or called by them. */
interface PhoneView {
  phone: string;
  messages: number;
  calls: number;
  /** The channels its messages used (`sms`, `whatsapp`). */
  channels: string[];
  /** The number of ours it last talked with, and when. */
  lastOurs: string;
  lastChannel: string;
  lastAt: string;
}

/**
 * Every external number in the account's messages and calls (the one of each that is not the
 * account's), newest activity first: the console lists them so a message from any phone can be found.
 */
function phonesOf(deps: ConsoleReadDeps): PhoneView[] {
  const ours = new Set(deps.phoneNumbers.all().map((n) => n.phoneNumber));
  const phones = new Map<string, PhoneView & { at: number }>();
  const seen = (phone: string, our: string, channel: string | null, at: number, kind: 'messages' | 'calls') => {
    // Only phone numbers (E.164): not a client:, sip: or Messaging Service address.
    if (!/^\+[1-9]\d{1,14}$/.test(phone) || ours.has(phone)) return;
    const view = phones.get(phone) ?? {
      phone,
      messages: 0,
      calls: 0,
      channels: [],
      lastOurs: our,
      lastChannel: channel ?? 'sms',
      lastAt: '',
      at: 0,
    };
    view[kind] += 1;
    if (channel && !view.channels.includes(channel)) view.channels.push(channel);
    if (at >= view.at) Object.assign(view, { at, lastOurs: our, lastChannel: channel ?? view.lastChannel });
    phones.set(phone, view);
  };
  for (const m of deps.messages.list({})) {
    const inbound = m.direction === 'inbound';
    seen(bare(inbound ? m.from : m.to), bare(inbound ? m.to : m.from), isWhatsApp(m.to) ? 'whatsapp' : 'sms', m.dateCreated, 'messages');
  }
  for (const c of deps.calls.list({})) {
    const inbound = c.direction === 'inbound';
    seen(bare(inbound ? c.from : c.to), bare(inbound ? c.to : c.from), null, c.dateCreated, 'calls');
  }
  return [...phones.values()].sort((a, b) => b.at - a.at).map(({ at, ...view }) => ({ ...view, lastAt: iso8601(at) }));
}

/** `GET /_sandbox/numbers`, `/phones`, `/messages`, `/calls`, `/sync/maps`: the console's views. */
export function addConsoleRoutes(router: Router, deps: ConsoleReadDeps): void {
  router
    .get('/numbers', () =>
      json(
        200,
        deps.phoneNumbers.all().map((n) => ({
          phoneNumber: n.phoneNumber,
          sid: n.sid,
          friendlyName: n.friendlyName,
          smsUrl: n.smsUrl || null,
          voiceUrl: n.voiceUrl || null,
          statusCallback: n.statusCallback || null,
          whatsappWebhook: deps.whatsappWebhooks.get(n.phoneNumber) ?? null,
          messagingServices: deps.messagingServices.servicesOf(n.phoneNumber),
        })),
      ),
    )
    .get('/phones', () => json(200, phonesOf(deps)))
    // Oldest first (a thread reads top to bottom); `phone` keeps one person's (any channel).
    .get('/messages', (req) => {
      const phone = req.query.get('phone');
      const limit = readLimit(req.query, 500);
      const matching = deps.messages.list({}).filter((m) => phone === null || bare(m.from) === phone || bare(m.to) === phone);
      return json(200, matching.slice(0, limit).reverse().map(messageView));
    })
    // Newest first; `phone` keeps one person's.
    .get('/calls', (req) => {
      const phone = req.query.get('phone');
      return json(
        200,
        deps.calls
          .list({})
          .filter((c) => phone === null || bare(c.from) === phone || bare(c.to) === phone)
          .slice(0, readLimit(req.query, 50))
          .map((c) => callView(c, deps)),
      );
    })
    .get('/sync/maps', () => {
      const { services, maps, items } = deps.sync;
      return json(
        200,
        services.all().flatMap((service) =>
          maps.list(service).map((map) => {
            const live = items.list(map, { order: 'asc', from: null, inclusive: true });
            return {
              serviceSid: service.sid,
              serviceName: service.uniqueName,
              sid: map.sid,
              uniqueName: map.uniqueName,
              dateExpires: iso8601OrNull(map.expiresAt),
              itemCount: live.length,
              items: live.slice(0, MAX_ITEMS_PER_MAP).map((item) => ({
                key: item.key,
                data: item.data,
                revision: String(item.revision),
                dateUpdated: iso8601(item.dateUpdated),
                dateExpires: iso8601OrNull(item.expiresAt),
              })),
            };
          }),
        ),
      );
    });
}
