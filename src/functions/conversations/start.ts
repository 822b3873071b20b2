// POST /conversations/start (API action): open a thread with a customer on SMS (from
// CONVERSATIONS_NUMBER) or WhatsApp (from WHATSAPP_FROM), through the outbound gate, reusing the
// open one for that address pair.
import type * as Comms from '../../lib';
const { apiAction, startThread } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(startThread);
