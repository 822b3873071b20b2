// POST /conversations/events (Twilio webhook): the Conversations service's pre- and post-action
// events. onMessageAdd from SMS/WhatsApp records STOP/START and opt-outs in words through the one
// inbound flow (and opens a WhatsApp window); from chat it is refused (non-2xx) when a messaging
// participant may not be reached. onDeliveryUpdated feeds the same delivery records as /sms/status.
import type * as Comms from '../../lib';
const { twilioWebhook, answerConversationEvent } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = twilioWebhook(answerConversationEvent);
