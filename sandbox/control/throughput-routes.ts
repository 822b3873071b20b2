import { json, type Router } from '../http/router';
import type { MessagingThroughputMode } from '../options';
import type { MessagingThroughput } from '../messaging/throughput';
import { ControlError, parseJsonObject } from './errors';

const MODES: readonly MessagingThroughputMode[] = ['off', 'enforced'];

/**
 * `GET /_sandbox/messaging/throughput`: the mode, the account's and each service's MPS by sender
 * type, each service's total, and what waits on each sender. `POST` the same path with
 * `{ mode?, senderMps?, serviceSid? }` changes them (`senderMps` for the account, or for one
 * service with `serviceSid`) and answers like GET.
 */
export function addThroughputRoutes(router: Router, throughput: MessagingThroughput): void {
  router
    .get('/messaging/throughput', () => json(200, throughput.snapshot()))
    .post('/messaging/throughput', (req) => {
      const body = parseJsonObject(req.rawBody);
      const { mode, senderMps, serviceSid } = body;
      if (mode !== undefined && !MODES.includes(mode as MessagingThroughputMode)) {
        throw new ControlError(400, 'invalid_request', `"mode" must be one of ${MODES.join(', ')}`);
      }
      if (serviceSid !== undefined && typeof serviceSid !== 'string')
        throw new ControlError(400, 'invalid_request', '"serviceSid" must be a string');
      if (senderMps !== undefined && (typeof senderMps !== 'object' || senderMps === null || Array.isArray(senderMps))) {
        throw new ControlError(
          400,
          'invalid_request',
          '"senderMps" must be an object such as { "longCode": 1, "tollFree": 3, "shortCode": 100, "whatsapp": 10 }',
        );
      }
      if (serviceSid !== undefined && senderMps === undefined)
        throw new ControlError(400, 'invalid_request', '"serviceSid" needs "senderMps"');
      if (serviceSid !== undefined && !throughput.knowsService(serviceSid))
        throw new ControlError(404, 'unknown_service', `No Messaging Service ${serviceSid}`);
      if (senderMps !== undefined) {
        try {
          throughput.setSenderMps(senderMps, serviceSid);
        } catch (error) {
          throw new ControlError(400, 'invalid_request', error instanceof Error ? error.message : String(error));
        }
      }
      if (mode !== undefined) throughput.setMode(mode as MessagingThroughputMode);
      return json(200, throughput.snapshot());
    });
}
