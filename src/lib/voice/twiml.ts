import type { Settings } from '../config/settings';
import { twilioSdk } from '../twilio/sdk';
import { withCallbackRetries } from '../twilio/connection-overrides';
import type { IvrConfig, Menu } from './menu';
import type TwilioVoiceResponse from 'twilio/lib/twiml/VoiceResponse';

// Voices and languages are settings (IVR_VOICE, IVR_LANGUAGE); Twilio checks them when it speaks.
type SayVoice = NonNullable<TwilioVoiceResponse.SayAttributes['voice']>;
type SayLanguage = NonNullable<TwilioVoiceResponse.SayAttributes['language']>;
type GatherLanguage = NonNullable<TwilioVoiceResponse.GatherAttributes['language']>;

export type VoiceResponse = TwilioVoiceResponse;

export const voiceResponse = (): VoiceResponse => new (twilioSdk().twiml.VoiceResponse)();

/** Where a voice route lives, absolute (Twilio signs and fetches exactly this URL). */
export function voiceUrl(settings: Settings, route: string, query: Record<string, string | number> = {}): string {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return `${settings.publicBaseUrl}${route}${search ? `?${search}` : ''}`;
}

/** Says `text` in the configured voice and language (the library escapes it into TwiML). */
export function say(response: VoiceResponse | ReturnType<VoiceResponse['gather']>, settings: Settings, text: string): void {
  response.say({ voice: settings.voice.voiceName as SayVoice, language: settings.voice.language as SayLanguage }, text);
}

/**
 * A menu: an intro (the greeting the first time, an apology on a retry), then one choice by key
 * or speech (hints from the options' keywords). No input falls through to a redirect back to
 * /voice/menu, which counts it as a failed attempt: the attempt number travels in the URL.
 */
export function menuPrompt(
  settings: Settings,
  menu: Menu,
  path: string,
  attempt: number,
  { intro }: { intro?: string } = {},
): VoiceResponse {
  const response = voiceResponse();
  if (intro) say(response, settings, intro);
  const action = voiceUrl(settings, '/voice/menu', { path, attempt });
  const hints = menu.options.flatMap((option) => option.keywords).join(', ');
  const gather = response.gather({
    input: ['dtmf', 'speech'],
    numDigits: 1,
    timeout: 5,
    action,
    method: 'POST',
    language: settings.voice.language as GatherLanguage,
    ...(hints ? { hints } : {}),
  });
  say(gather, settings, menu.prompt);
  response.redirect({ method: 'POST' }, action);
  return response;
}

/** The end of the line when no valid choice came: voicemail, or goodbye and hang up. */
export function giveUp(config: IvrConfig, settings: Settings): VoiceResponse {
  const response = voiceResponse();
  if (config.onNoChoice === 'voicemail') {
    say(response, settings, "Sorry, we couldn't get your choice.");
    response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/voicemail'));
  } else {
    say(response, settings, config.goodbye);
    response.hangup();
  }
  return response;
}

/** Record a voicemail: the prompt, a beep, trimmed silence, transcription, then /voice/recording. */
export function voicemailPrompt(
  config: Pick<IvrConfig, 'goodbye' | 'voicemailPrompt' | 'voicemailMaxSeconds'>,
  settings: Settings,
  intro?: string,
): VoiceResponse {
  const response = voiceResponse();
  if (intro) say(response, settings, intro);
  say(response, settings, config.voicemailPrompt);
  response.record({
    maxLength: config.voicemailMaxSeconds,
    playBeep: true,
    trim: 'trim-silence',
    timeout: 5,
    finishOnKey: '0123456789*#',
    transcribe: true,
    transcribeCallback: withCallbackRetries(voiceUrl(settings, '/voice/transcription')),
    action: voiceUrl(settings, '/voice/recording'),
    method: 'POST',
  });
  say(response, settings, config.goodbye);
  response.hangup();
  return response;
}

/** Says goodbye and hangs up. */
export function goodbye(config: IvrConfig, settings: Settings): VoiceResponse {
  const response = voiceResponse();
  say(response, settings, config.goodbye);
  response.hangup();
  return response;
}
