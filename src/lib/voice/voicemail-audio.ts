import { AppError, badRequest } from '../errors/app-error';
import type { Settings } from '../config/settings';
import type { Deadline } from '../runtime/deadline';
import type { VoicemailStore } from '../stores/voicemails';
import { toSandboxUri } from '../twilio/client';
import type { TwilioClient } from '../twilio/sdk';

/**
 * The largest recording this service relays: 5 MB, about five minutes of Twilio's MP3. A voicemail
 * is capped far below that by its `<Record maxLength>`; anything larger is refused, not buffered.
 */
const MAX_VOICEMAIL_AUDIO_BYTES = 5 * 1024 * 1024;

/** A Recording SID: `RE` and 32 hex digits. */
const RECORDING_SID = /^RE[0-9a-f]{32}$/;

interface VoicemailAudio {
  contentType: 'audio/mpeg';
  bytes: Buffer;
}

/** Reads a body up to `max` bytes; more is refused at the first chunk past it. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError(502, 'recording_too_large', `The recording is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The MP3 of one of our voicemails. `.mp3` on a Recording's URI answers audio/mpeg
 * (https://www.twilio.com/docs/api/rest/recording), behind the account's credentials when media
 * auth is enforced (https://support.twilio.com/hc/en-us/articles/15827821586843). Fetched with the
 * client's own credentials, at the sandbox when TWILIO_SANDBOX_URL is set; not through
 * twilio-node's `request`, which decodes every body as text (axios without `responseType`) and so
 * would corrupt the audio.
 */
export async function voicemailAudio(
  sid: unknown,
  voicemails: VoicemailStore,
  client: TwilioClient,
  settings: Settings,
  deadline: Deadline,
): Promise<VoicemailAudio> {
  if (typeof sid !== 'string' || !RECORDING_SID.test(sid))
    throw badRequest('invalid_sid', 'sid must be a Recording SID (RE followed by 32 hex digits)');
  if (!(await voicemails.get(sid))) throw new AppError(404, 'not_found', 'No voicemail has this recording SID');
  const accountSid = settings.accountSid ?? client.accountSid;
  const url = `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${sid}.mp3`;
  const target = settings.sandboxUrl ? toSandboxUri(url, settings.sandboxUrl) : url;
  const headers: Record<string, string> = {};
  if (client.username && client.password) {
    headers.Authorization = `Basic ${Buffer.from(`${client.username}:${client.password}`).toString('base64')}`;
  }
  const response = await fetch(target, { headers, signal: AbortSignal.timeout(Math.max(1, deadline.remainingMs())) });
  if (response.status === 404)
    throw new AppError(404, 'not_found', 'Twilio has no media for this recording (deleted, or not completed yet)');
  if (!response.ok || !response.body) throw new AppError(502, 'twilio_unavailable', `Twilio answered ${response.status} for the recording`);
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_VOICEMAIL_AUDIO_BYTES)
    throw new AppError(502, 'recording_too_large', `The recording is larger than ${MAX_VOICEMAIL_AUDIO_BYTES} bytes`);
  return { contentType: 'audio/mpeg', bytes: await readCapped(response.body, MAX_VOICEMAIL_AUDIO_BYTES) };
}
