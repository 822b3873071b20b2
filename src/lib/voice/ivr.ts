import type { Settings } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import { optionalString, type Params } from '../http/params';
import { log, reasonOf } from '../logging/log';
import { clearAndSend, type GateContext } from '../outbound/gate';
import { normalizePhone } from '../phone/e164';
import { chooseOption, menuAt, type IvrConfig, type MenuOption } from './menu';
import { giveUp, menuPrompt, say, voiceResponse, voiceUrl, voicemailPrompt, goodbye, type VoiceResponse } from './twiml';

/** Where the caller is in the menu: the digits that led there, and failed attempts so far. */
interface MenuState {
  path: string;
  attempt: number;
}

/** Reads `?path=&attempt=` of /voice/menu (both travel in the action URL, never in state). */
export function readMenuState(params: Params): MenuState {
  const path = optionalString(params, 'path', { maxLength: 8 }) ?? '';
  const attempt = Number(optionalString(params, 'attempt', { maxLength: 2 }) ?? '0');
  if (!/^[0-9*#]{0,3}$/.test(path) || !Number.isInteger(attempt) || attempt < 0 || attempt > 10) {
    throw badRequest('invalid_parameter', 'Invalid menu position');
  }
  return { path, attempt };
}

/**
 * Routes the caller's choice. An invalid choice or no input repeats the menu (with a short
 * apology) until IVR_MAX_RETRIES repeats are used up, then voicemail or goodbye: never a loop.
 */
export async function routeChoice(context: GateContext, config: IvrConfig, state: MenuState, params: Params): Promise<VoiceResponse> {
  const { settings } = context;
  const menu = menuAt(config, state.path);
  if (!menu) return menuPrompt(settings, config.menu, '', 0);
  const option = chooseOption(
    menu,
    optionalString(params, 'Digits', { maxLength: 8 }),
    optionalString(params, 'SpeechResult', { maxLength: 500 }),
  );
  if (option) return performOption(context, config, option, state.path, optionalString(params, 'From', { maxLength: 64 }));
  if (state.attempt >= settings.voice.maxRetries) return giveUp(config, settings);
  return menuPrompt(settings, menu, state.path, state.attempt + 1, { intro: "Sorry, I didn't get that." });
}

/** What an option does, as TwiML. */
async function performOption(
  context: GateContext,
  config: IvrConfig,
  option: MenuOption,
  path: string,
  caller: string | undefined,
): Promise<VoiceResponse> {
  const { settings } = context;
  const action = option.action;
  switch (action.type) {
    case 'dial': {
      const response = voiceResponse();
      if (action.say) say(response, settings, action.say);
      const dial = response.dial({
        timeout: action.timeoutSeconds ?? 20,
        action: voiceUrl(settings, '/voice/dial-status'),
        method: 'POST',
        ...(settings.phoneNumber ? { callerId: settings.phoneNumber } : {}),
      });
      // Dial targets are staff the menu names, not outsiders: the outbound gate's limits do not apply.
      if (action.client !== undefined) dial.client(action.client);
      else dial.number(action.number);
      return response;
    }
    case 'voicemail':
      return voicemailPrompt(config, settings, action.say);
    case 'say': {
      const response = voiceResponse();
      say(response, settings, action.text);
      if (action.then === 'hangup') {
        say(response, settings, config.goodbye);
        response.hangup();
      } else {
        response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/menu', { path, attempt: 0 }));
      }
      return response;
    }
    case 'sms': {
      const response = voiceResponse();
      const sent = await textCaller(context, caller, action.body);
      say(
        response,
        settings,
        sent ? (action.say ?? 'We have sent you a text message.') : 'Sorry, we cannot send a text message to this number.',
      );
      response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/menu', { path, attempt: 0 }));
      return response;
    }
    case 'menu': {
      const next = path + option.digit;
      return menuPrompt(settings, action.menu, next, 0, { intro: action.menu.greeting });
    }
    case 'pay': {
      const response = voiceResponse();
      response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/pay', { path: path + option.digit }));
      return response;
    }
  }
}

/**
 * Texts the caller through the gate as a recipient chosen from outside (a caller ID can be
 * spoofed): consent, geography and the hourly limits apply. Any refusal or failure is logged and
 * answered by the caller hearing that no text could be sent; the call goes on.
 */
async function textCaller(context: GateContext, caller: string | undefined, body: string): Promise<boolean> {
  try {
    const to = normalizePhone(caller ?? '').e164;
    await clearAndSend(context, { channel: 'sms', to, trigger: 'outsider', importance: 'non-essential' }, { body });
    return true;
  } catch (error) {
    const refusal = error instanceof AppError && error.status < 500;
    log(refusal ? 'info' : 'error', 'ivr_text_not_sent', { reason: reasonOf(error) });
    return false;
  }
}

/** After a <Dial>: a call that was answered ends; busy, no answer or failure go to voicemail. */
export function afterDial(config: IvrConfig, settings: Settings, dialStatus: string | undefined): VoiceResponse {
  if (dialStatus === 'completed' || dialStatus === 'answered') return goodbye(config, settings);
  return voicemailPrompt(config, settings, 'Sorry, no one is available to take your call.');
}
