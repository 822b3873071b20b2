// POST /voice/call (API action): an outbound call that says a message or asks a reminder question
// (1 = confirm, 2 = cancel, 9 = stop these calls), through the outbound gate (voice consent,
// geography), tracked through /voice/status.
import type * as Comms from '../../lib';
const { idempotentAction, json, readCallRequest, readPurpose, clearRecipient, placeCall, outboundCall, afterAccepted } = require(
  Runtime.getAssets()['/comms.js'].path,
) as typeof Comms;

export const handler = idempotentAction({ sends: 'voice' }, async (input) => {
  const request = readCallRequest(input.params, input.settings);
  const clearance = await clearRecipient(input, {
    channel: 'voice',
    to: request.to,
    trigger: 'api',
    importance: 'essential',
    purpose: readPurpose(input.params),
  });
  const call = await placeCall(input, clearance, outboundCall(input.settings, request));
  await afterAccepted(call.sid, () =>
    input.stores.calls.recordStatus(call.sid, request.to, call.status === 'queued' ? 'queued' : 'initiated'),
  );
  return json({ sid: call.sid, status: call.status, to: request.to, kind: request.kind });
});
