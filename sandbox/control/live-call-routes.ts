import { json, type ApiRequest, type Router } from '../http/router';
import { isFinal, type CallRecord, type CallStore } from '../voice/calls';
import type { LivePhone, LivePhoneBook } from '../voice/live-phone';
import { ControlError, parseJsonObject } from './errors';

export interface LiveCallDeps {
  calls: CallStore;
  livePhones: LivePhoneBook;
}

/**
 * The person on a live call (see voice/live-phone): answer a ringing call, answer a Gather, leave
 * a recording, hang up. Each answers 200 `{ callSid, status }`; a call that waits for something
 * else answers 409 `not_waiting`, an unknown or finished call 404 / 409.
 */
export function addLiveCallRoutes(router: Router, deps: LiveCallDeps): void {
  const callOf = (req: ApiRequest): CallRecord => {
    const call = deps.calls.get(req.params.Sid);
    if (!call) throw new ControlError(404, 'unknown_call', `No call ${req.params.Sid}`);
    return call;
  };
  const liveOf = (call: CallRecord): LivePhone => {
    const live = deps.livePhones.get(call.sid);
    if (!live)
      throw new ControlError(409, 'not_live', `Call ${call.sid} is not answered from the console (it has ended, or it follows a script)`);
    return live;
  };
  const answered = (call: CallRecord) => json(200, { callSid: call.sid, status: call.status });

  router
    .post('/calls/:Sid/answer', (req) => {
      const call = callOf(req);
      liveOf(call).answer('ring', parseJsonObject(req.rawBody));
      return answered(call);
    })
    .post('/calls/:Sid/input', (req) => {
      const call = callOf(req);
      liveOf(call).answer('gather', parseJsonObject(req.rawBody));
      return answered(call);
    })
    .post('/calls/:Sid/record', (req) => {
      const call = callOf(req);
      liveOf(call).answer('record', parseJsonObject(req.rawBody));
      return answered(call);
    })
    // Any call in progress (live or scripted) stops before its next verb, as a Calls update would.
    .post('/calls/:Sid/hangup', (req) => {
      const call = callOf(req);
      if (isFinal(call.status)) throw new ControlError(409, 'call_ended', `Call ${call.sid} has already ended (${call.status})`);
      call.hangupRequested = true;
      deps.livePhones.get(call.sid)?.hangUp();
      return answered(call);
    });
}
