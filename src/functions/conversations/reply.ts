// POST /conversations/reply (API action): an agent's message to a thread, after the outbound gate
// clears every messaging participant (consent, the WhatsApp window). Honours Idempotency-Key.
import type * as Comms from '../../lib';
const { idempotentAction, replyInThread } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = idempotentAction({ sends: 'sms' }, replyInThread);
