// POST /conversations/close (API action): close a thread (final; its address pair is free again).
import type * as Comms from '../../lib';
const { apiAction, closeThread } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(closeThread);
