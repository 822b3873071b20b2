// GET /conversations/inbox (API action): open conversations, newest activity first, each with its
// last message and its participants' channel and consent, a page at a time (limit, cursor).
import type * as Comms from '../../lib';
const { apiAction, readInbox } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(readInbox);
