import type { PhoneNumberStore } from '../api/incoming-phone-numbers';
import { readDateFilter, withinDates } from '../api/date-sent-filter';
import { accountScope } from '../http/account-scope';
import { resourceNotFound, TwilioApiError } from '../http/errors';
import { listEnvelope2010, pickFilters, readPageRequest, slicePage } from '../http/paging';
import { json, noContent, type ApiRequest, type ApiResponse, type Router } from '../http/router';
import type { CalleeBook } from './callee';
import { startCallRecording, updateCallRecording } from './call-recordings';
import { parseCreateCall } from './call-create';
import { startOutboundCall } from './call-lifecycle';
import { updateCall } from './call-update';
import { callResource, callsPath, type CallRecord } from './calls';
import { callRecordingResource, recordingResource, recordingsPath, transcriptionResource, transcriptionsPath } from './recordings';
import { silentMp3, silentWav } from './recording-media';
import type { VoiceDeps } from './walk-context';

export interface VoiceRouteDeps extends VoiceDeps {
  phoneNumbers: PhoneNumberStore;
  callees: CalleeBook;
}

const MAX_PAGE_SIZE_2010 = 1000;
const A = '/2010-04-01/Accounts/:AccountSid';

/** Cursor helpers for lists in newest-first `seq` order. */
const bySeq = <T extends { seq: number }>(): [(item: T) => string, (item: T, cursor: string) => number] => [
  (item) => String(item.seq),
  (item, cursor) => Number(cursor) - item.seq,
];

/** Deleting a call or recording not yet complete: https://www.twilio.com/docs/api/errors/20009 */
const incomplete = () => new TwilioApiError(409, 20009, 'Cannot delete this resource before it is complete');

/** api.twilio.com voice routes: Calls, call Recordings, Recordings, Transcriptions (2010-04-01), each listable and deletable. */
export function addVoiceRoutes(router: Router, deps: VoiceRouteDeps): void {
  const { accountSid, calls, recordings } = deps;
  const forAccount = accountScope(accountSid);
  const findCall = (req: ApiRequest, name = 'Sid'): CallRecord => {
    const call = calls.get(req.params[name]);
    if (!call) throw resourceNotFound(req.path);
    return call;
  };

  /** A completed recording's audio (silence as long as the recording); none before it completes. */
  const recordingMedia = (req: ApiRequest, format: 'mp3' | 'wav'): ApiResponse => {
    const recording = recordings.get(req.params.Sid);
    if (!recording || recording.status !== 'completed') throw resourceNotFound(req.path);
    const body = format === 'mp3' ? silentMp3(recording.recordedSeconds) : silentWav(recording.recordedSeconds);
    return { status: 200, body, headers: { 'Content-Type': format === 'mp3' ? 'audio/mpeg' : 'audio/x-wav' } };
  };

  router
    .post(
      `${A}/Calls.json`,
      forAccount((req) => {
        const create = parseCreateCall(req.form, (n) => deps.phoneNumbers.owns(n));
        const call = calls.add({
          direction: 'outbound-api',
          to: create.to,
          from: create.from,
          status: 'queued',
          phoneNumberSid: deps.phoneNumbers.byPhoneNumber(create.from)?.sid ?? null,
          statusCallback: create.statusCallback,
        });
        startOutboundCall(call, create, deps.callees, deps);
        return json(201, callResource(accountSid, call));
      }),
    )
    .get(
      `${A}/Calls.json`,
      forAccount((req) => {
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const filters = pickFilters(req.query, ['To', 'From', 'Status']);
        const matching = calls.list({
          to: req.query.get('To') ?? undefined,
          from: req.query.get('From') ?? undefined,
          status: req.query.get('Status') ?? undefined,
        });
        const slice = slicePage(matching, page, ...bySeq<CallRecord>());
        const resources = slice.items.map((c) => callResource(accountSid, c));
        return json(200, listEnvelope2010('calls', `${callsPath(accountSid)}.json`, filters, page, slice, resources));
      }),
    )
    .get(
      `${A}/Calls/:Sid.json`,
      forAccount((req) => json(200, callResource(accountSid, findCall(req)))),
    )
    .delete(
      `${A}/Calls/:Sid.json`,
      forAccount((req) => {
        if (!calls.remove(findCall(req))) throw incomplete();
        return noContent;
      }),
    )
    .post(
      `${A}/Calls/:Sid.json`,
      forAccount((req) => {
        const call = findCall(req);
        updateCall(call, req.form, calls);
        return json(200, callResource(accountSid, call));
      }),
    )

    .post(
      `${A}/Calls/:CallSid/Recordings.json`,
      forAccount((req) => {
        const recording = startCallRecording(findCall(req, 'CallSid'), req.form, deps);
        return json(201, callRecordingResource(accountSid, recording));
      }),
    )
    .get(
      `${A}/Calls/:CallSid/Recordings.json`,
      forAccount((req) => {
        const call = findCall(req, 'CallSid');
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const slice = slicePage(recordings.list(call.sid), page, ...bySeq());
        const resources = slice.items.map((r) => callRecordingResource(accountSid, r));
        return json(
          200,
          listEnvelope2010('recordings', `${callsPath(accountSid)}/${call.sid}/Recordings.json`, [], page, slice, resources),
        );
      }),
    )
    .get(
      `${A}/Calls/:CallSid/Recordings/:Sid.json`,
      forAccount((req) => {
        const call = findCall(req, 'CallSid');
        const recording = recordings.get(req.params.Sid);
        if (!recording || recording.callSid !== call.sid) throw resourceNotFound(req.path);
        return json(200, callRecordingResource(accountSid, recording));
      }),
    )
    .post(
      `${A}/Calls/:CallSid/Recordings/:Sid.json`,
      forAccount((req) => {
        const recording = updateCallRecording(findCall(req, 'CallSid'), req.params.Sid, req.form, deps, req.path);
        return json(200, callRecordingResource(accountSid, recording));
      }),
    )

    .get(
      `${A}/Recordings.json`,
      forAccount((req) => {
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const filters = pickFilters(req.query, ['CallSid', 'DateCreated', 'DateCreated<', 'DateCreated>']);
        const created = readDateFilter(req.query, 'DateCreated');
        const matching = recordings.list(req.query.get('CallSid') ?? undefined).filter((r) => withinDates(r.dateCreated, created));
        const slice = slicePage(matching, page, ...bySeq());
        const resources = slice.items.map((r) => recordingResource(accountSid, r));
        return json(200, listEnvelope2010('recordings', `${recordingsPath(accountSid)}.json`, filters, page, slice, resources));
      }),
    )
    .get(
      `${A}/Recordings/:Sid.json`,
      forAccount((req) => {
        const recording = recordings.get(req.params.Sid);
        if (!recording) throw resourceNotFound(req.path);
        return json(200, recordingResource(accountSid, recording));
      }),
    )
    // The media: `.mp3` is audio/mpeg, `.wav` or no extension audio/x-wav (https://www.twilio.com/docs/api/rest/recording);
    // behind the account's credentials, as with "Enforce HTTP Auth on Media URLs"
    // (https://support.twilio.com/hc/en-us/articles/15827821586843-Prevent-unauthorized-access-to-your-Programmable-Voice-Media-with-HTTP-Basic-Auth).
    .get(
      `${A}/Recordings/:Sid.mp3`,
      forAccount((req) => recordingMedia(req, 'mp3')),
    )
    .get(
      `${A}/Recordings/:Sid.wav`,
      forAccount((req) => recordingMedia(req, 'wav')),
    )
    .get(
      `${A}/Recordings/:Sid`,
      forAccount((req) => recordingMedia(req, 'wav')),
    )
    .delete(
      `${A}/Recordings/:Sid.json`,
      forAccount((req) => {
        const recording = recordings.get(req.params.Sid);
        if (!recording) throw resourceNotFound(req.path);
        if (!recordings.remove(recording)) throw incomplete();
        return noContent;
      }),
    )
    .get(
      `${A}/Recordings/:RecordingSid/Transcriptions.json`,
      forAccount((req) => {
        const recordingSid = req.params.RecordingSid;
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const slice = slicePage(recordings.allTranscriptions(recordingSid), page, ...bySeq());
        const resources = slice.items.map((t) => transcriptionResource(accountSid, t));
        const path = `${recordingsPath(accountSid)}/${recordingSid}/Transcriptions.json`;
        return json(200, listEnvelope2010('transcriptions', path, [], page, slice, resources));
      }),
    )
    .get(
      `${A}/Transcriptions.json`,
      forAccount((req) => {
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const slice = slicePage(recordings.allTranscriptions(), page, ...bySeq());
        const resources = slice.items.map((t) => transcriptionResource(accountSid, t));
        return json(200, listEnvelope2010('transcriptions', `${transcriptionsPath(accountSid)}.json`, [], page, slice, resources));
      }),
    )
    .delete(
      `${A}/Transcriptions/:Sid.json`,
      forAccount((req) => {
        if (!recordings.removeTranscription(req.params.Sid)) throw resourceNotFound(req.path);
        return noContent;
      }),
    )
    .get(
      `${A}/Transcriptions/:Sid.json`,
      forAccount((req) => {
        const transcription = recordings.transcription(req.params.Sid);
        if (!transcription) throw resourceNotFound(req.path);
        return json(200, transcriptionResource(accountSid, transcription));
      }),
    );
}
