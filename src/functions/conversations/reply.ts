// POST /conversations/reply (API action): an agent's message to a thread, after the outbound gate
// clears every messaging participant (consent, the WhatsApp window). Honours Idempotency-Key: a
// reply whose outcome was lost is found in the thread by the tag it carries, never sent twice.
import type * as Comms from '../../lib';
const { idempotentAction, REPLY_IDEMPOTENCY, replyInThread } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = idempotentAction(REPLY_IDEMPOTENCY, replyInThread);
