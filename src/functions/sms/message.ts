// GET /sms/message?sid= (API action): the tracked status, error code (explained) and history of one message.
import type * as Comms from '../../lib';
const { apiAction, json, requiredString, AppError, explainDeliveryError } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => {
  const sid = requiredString(params, 'sid', { maxLength: 64 });
  if (!/^(SM|MM)[0-9a-f]{32}$/.test(sid)) throw new AppError(400, 'invalid_parameter', '"sid" must be a message SID (SM… or MM…)');
  const record = await stores.messages.get(sid);
  if (!record) throw new AppError(404, 'not_found', `No tracked message ${sid}`);
  return json({
    sid: record.sid,
    to: record.to,
    status: record.status,
    errorCode: record.errorCode ?? null,
    error: explainDeliveryError(record.errorCode),
    history: record.history,
    ...(record.segments === undefined ? {} : { segments: record.segments, encoding: record.encoding }),
    ...(record.retryOf ? { retryOf: record.retryOf } : {}),
    ...(record.retriedBy ? { retriedBy: record.retriedBy } : {}),
  });
});
