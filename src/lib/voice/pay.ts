import type { Settings } from '../config/settings';
import { isTwilioRestError } from '../errors/twilio-errors';
import type { SendContext } from '../outbound/gate';
import type { IvrConfig, MenuAction } from './menu';
import { menuAt } from './menu';
import { say, voiceResponse, voiceUrl, type VoiceResponse } from './twiml';
import { repeatable } from '../twilio/request-policy';

type PayAction = Extract<MenuAction, { type: 'pay' }>;

/** The pay option a menu path leads to ("51" = option 1 of option 5's sub-menu). */
export function payActionAt(config: IvrConfig, path: string): PayAction | undefined {
  const menu = menuAt(config, path.slice(0, -1));
  const action = menu?.options.find((option) => option.digit === path.slice(-1))?.action;
  return action?.type === 'pay' ? action : undefined;
}

/**
 * Pauses (or resumes) the call's recording, if it is being recorded, so card digits never land in
 * a recording. A call without a recording is fine.
 */
export async function setRecording({ twilio, deadline }: SendContext, callSid: string, status: 'paused' | 'in-progress'): Promise<boolean> {
  try {
    await repeatable(deadline, () => twilio().calls(callSid).recordings('Twilio.CURRENT').update({ status }));
    return true;
  } catch (error) {
    if (isTwilioRestError(error) && (error.status === 404 || error.status === 400)) return false;
    throw error;
  }
}

/** `<Pay>` through PAY_CONNECTOR: card data goes from the caller's keypad to the processor, never to us. */
export function payPrompt(config: IvrConfig, settings: Settings, action: PayAction | undefined, path: string): VoiceResponse {
  const response = voiceResponse();
  if (!action || !settings.voice.payConnector) {
    say(response, settings, 'Sorry, payments are not available right now.');
    response.redirect({ method: 'POST' }, voiceUrl(settings, '/voice/menu', { path: '', attempt: 0 }));
    return response;
  }
  response.pay({
    paymentConnector: settings.voice.payConnector,
    chargeAmount: action.amount,
    ...(action.description ? { description: action.description } : {}),
    action: voiceUrl(settings, '/voice/pay-result', { path }),
  });
  // Reached only if <Pay> itself ends without calling the action.
  return goodbyeAfter(response, config, settings);
}

function goodbyeAfter(response: VoiceResponse, config: IvrConfig, settings: Settings): VoiceResponse {
  say(response, settings, config.goodbye);
  response.hangup();
  return response;
}

/** After <Pay>: thank the caller (with the confirmation code) or say it failed, then goodbye. */
export function payResult(
  config: IvrConfig,
  settings: Settings,
  result: string | undefined,
  confirmation: string | undefined,
): VoiceResponse {
  const response = voiceResponse();
  if (result === 'success') {
    say(
      response,
      settings,
      `Thank you, your payment was received.${confirmation ? ` Your confirmation code is ${confirmation.split('').join(' ')}.` : ''}`,
    );
    return goodbyeAfter(response, config, settings);
  }
  say(response, settings, 'Sorry, your payment did not go through. No money was taken.');
  return goodbyeAfter(response, config, settings);
}
