import type { VoiceNode } from '../twiml/voice';

/** A request the walk made for a verb (an action, a redirect) or to start the call. */
export interface StepRequest {
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  /** HTTP status of the answer; `null` when the request failed. */
  status: number | null;
}

/** The fallback request of a call (VoiceFallbackUrl / FallbackUrl) and the failure it answered. */
export interface FallbackRequest extends StepRequest {
  /** Twilio's error for the fallback request itself, when it failed too. */
  errorCode?: number;
  /** The failure that sent the call to the fallback: the ErrorCode and ErrorUrl it carried. */
  cause: { code: number; message: string; url: string };
}

/** One executed verb: what the caller heard or did, and the request it led to. */
export interface CallStep extends VoiceNode {
  request?: StepRequest;
  /** What the phone did at this verb (Gather input, Dial outcome, Record length, Pay result). */
  outcome?: Record<string, string | number | boolean>;
}

export type CallEnd = 'hangup' | 'end-of-twiml' | 'reject' | 'loop-guard' | 'webhook-error' | 'no-answer' | 'busy' | 'failed' | 'canceled';

interface TranscriptRecording {
  sid: string;
  durationSeconds: number;
  url: string;
  transcriptionSid: string | null;
}

interface TranscriptMessage {
  sid: string;
  from: string | null;
  to: string;
  body: string;
}

interface RecordingEvent {
  recordingSid: string;
  status: string;
  /** How many steps the walk had executed when the change happened. */
  afterStep: number;
}

/** The walk of one call, as `POST /_sandbox/phone/call` and `GET /_sandbox/calls/{CA}` answer it. */
export interface CallTranscript {
  callSid: string;
  /** The first TwiML request (the number's VoiceUrl or the call's Url); absent with inline Twiml. */
  webhook?: StepRequest;
  steps: CallStep[];
  endedBy: CallEnd | null;
  /** Set when a TwiML request failed and the call had a fallback URL (at most once per call). */
  fallback?: FallbackRequest;
  /** Why the walk stopped early: Twilio's error code (11200, 11205, 12100, 12300, …) and a message. */
  error?: { code: number; message: string; url?: string };
  recordings: TranscriptRecording[];
  messages: TranscriptMessage[];
  /** Status changes of recordings started over REST (Calls/{CA}/Recordings), in order. */
  recordingEvents: RecordingEvent[];
  warnings: string[];
}
