import { startOutboundLifecycle, type LifecycleDeps } from '../api/message-lifecycle';
import type { MessageRecord, MessageStore } from '../api/messages';
import { countSegments } from '../api/segments';
import { newSid } from '../sids';
import { shapeWhatsApp } from '../whatsapp/compose';
import { BY_TWILIO, postAction, type HookDeps } from './hooks';
import type { ConversationMessageRecord, ConversationRecord, ParticipantRecord, ReceiptRecord } from './store';

export interface FanOutDeps extends HookDeps {
  messages: MessageStore;
  lifecycle: LifecycleDeps;
}

/** Channel statuses a delivery receipt reports (the spec's conversation_message_receipt_enum_delivery_status). */
const RECEIPT_STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'failed', 'undelivered']);

/**
 * Sends a conversation message to its SMS and WhatsApp participants (all but its author): one
 * channel Message each, from the participant's proxy address, walked by the sandbox's one outbound
 * lifecycle, so the messaging rules apply as to any send: 21610 when the user opted out of the proxy
 * number, 63016 outside the WhatsApp 24-hour window (message-lifecycle.ts's optOutOutcome and
 * channelOutcome). "The non-chat Participants will receive a blast-type Message from the group"
 * (https://www.twilio.com/docs/conversations/conversations-limits).
 */
export function fanOut(
  deps: FanOutDeps,
  tracking: ReceiptTracking,
  conversation: ConversationRecord,
  message: ConversationMessageRecord,
  recipients: ParticipantRecord[],
): void {
  for (const participant of recipients) {
    const binding = participant.binding;
    if (!binding || participant.sid === message.participantSid) continue;
    // A template goes as the Messages API sends one (message-create.ts): its rendered text and media,
    // and, when its type can start a WhatsApp conversation, past the 24-hour window (no 63016).
    const { content } = message;
    const body = content ? content.rendered.body : (message.body ?? '');
    const media = content ? content.rendered.mediaUrls : [];
    const whatsApp = binding.type === 'whatsapp';
    const shape = whatsApp
      ? shapeWhatsApp(body, media, content !== null)
      : { mediaUrls: media, numSegments: countSegments(body), deferredError: null };
    const channel = deps.messages.add({
      direction: 'outbound-api',
      to: binding.address,
      from: binding.proxyAddress,
      body,
      mediaUrls: shape.mediaUrls,
      messagingServiceSid: null,
      statusCallback: null,
      numSegments: shape.numSegments,
      contentSid: content?.contentSid ?? null,
      templateSend: content?.canStartConversation ?? false,
      deferredError: shape.deferredError,
      status: 'queued',
    });
    tracking.watch(channel.sid, { conversation, message, participantSid: participant.sid });
    startOutboundLifecycle(channel, deps.lifecycle);
  }
}

interface Watched {
  conversation: ConversationRecord;
  message: ConversationMessageRecord;
  participantSid: string;
}

/**
 * Delivery receipts: each channel Message of a fan-out, followed through its statuses; a status a
 * receipt reports (sent, delivered, read, failed, undelivered) updates the message's receipt for
 * that participant and fires `onDeliveryUpdated` (parameters as Twilio's delivery event:
 * https://static1.twilio.com/docs/events/event-types/conversations/delivery).
 */
export class ReceiptTracking {
  private readonly watched = new Map<string, Watched>();
  private deps: HookDeps | undefined;

  /** The webhook side, once the host exists (the MessageStore reports changes before). */
  attach(deps: HookDeps): void {
    this.deps = deps;
  }

  watch(channelMessageSid: string, watched: Watched): void {
    this.watched.set(channelMessageSid, watched);
  }

  /** Called with every change of a channel Message (MessageStore's onChange); true when it updated a receipt. */
  onChannelMessage(record: MessageRecord): boolean {
    const watched = this.watched.get(record.sid);
    if (!watched || !RECEIPT_STATUSES.has(record.status)) return false;
    const { message, conversation, participantSid } = watched;
    const now = record.dateUpdated;
    let receipt = message.receipts.find((r) => r.channelMessageSid === record.sid);
    if (!receipt) {
      receipt = {
        sid: newSid('DY'),
        messageSid: message.sid,
        channelMessageSid: record.sid,
        participantSid,
        status: 'sent',
        errorCode: null,
        dateCreated: now,
        dateUpdated: now,
      };
      message.receipts.push(receipt);
    }
    receipt.status = record.status as ReceiptRecord['status'];
    receipt.errorCode = record.errorCode;
    receipt.dateUpdated = now;
    message.dateUpdated = now;
    if (record.status === 'delivered' || record.status === 'read' || record.status === 'failed' || record.status === 'undelivered') {
      if (record.status !== 'delivered' || !record.to.startsWith('whatsapp:')) this.watched.delete(record.sid);
    }
    if (!this.deps) return true;
    postAction(this.deps, conversation.serviceSid, conversation, 'onDeliveryUpdated', BY_TWILIO, {
      ConversationSid: conversation.sid,
      MessageSid: message.sid,
      DeliveryReceiptSid: receipt.sid,
      ChannelMessageSid: record.sid,
      ParticipantSid: participantSid,
      Status: receipt.status,
      ErrorCode: String(receipt.errorCode ?? 0),
      DateCreated: new Date(receipt.dateCreated).toISOString(),
    });
    return true;
  }
}
