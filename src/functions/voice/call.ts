// POST /voice/call (API action): an outbound call that says a message or asks a reminder question
// (1 = confirm, 2 = cancel), tracked through /voice/status.
import type * as Comms from '../../lib';
const { apiAction, json, readCallRequest, placeCall } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => {
  const request = readCallRequest(input.params, input.settings);
  const call = await placeCall(input, request);
  await input.stores().calls.recordStatus(call.sid, request.to, call.status === 'queued' ? 'queued' : 'initiated');
  return json({ sid: call.sid, status: call.status, to: request.to, kind: request.kind });
});
