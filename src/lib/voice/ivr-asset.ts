import { AppError } from '../errors/app-error';
import { log } from '../logging/log';
import type { Settings } from '../config/settings';
import { DEFAULT_VOICEMAIL, MenuError, readIvrConfig, type IvrConfig } from './menu';
import { voicemailPrompt, type VoiceResponse } from './twiml';

/** The private asset holding the IVR menu (src/assets/ivr-menu.private.json). */
const IVR_ASSET = '/ivr-menu.json';

let cached: { source: string; config: IvrConfig } | undefined;

/** The IVR menu from its private asset, checked once per warm container (and again if it changes). */
export function ivrConfig(): IvrConfig {
  const runtime = (globalThis as { Runtime?: { getAssets(): Record<string, { open(): string } | undefined> } }).Runtime;
  const asset = runtime?.getAssets()[IVR_ASSET];
  if (!asset) throw new AppError(500, 'not_configured', `The IVR menu asset ${IVR_ASSET} is missing`);
  const source = asset.open();
  if (cached?.source === source) return cached.config;
  try {
    cached = { source, config: readIvrConfig(JSON.parse(source)) };
    return cached.config;
  } catch (error) {
    const message = error instanceof MenuError ? error.message : `The IVR menu is not JSON: ${(error as Error).message}`;
    log('error', 'ivr_menu_invalid', { error: message });
    throw new AppError(500, 'not_configured', message);
  }
}

/**
 * What a caller hears on the number's Voice fallback URL (a voice route failed or timed out):
 * an apology and the voicemail, with the IVR file's prompts when it can be read, else the defaults
 * (a broken IVR file may be why the call came here).
 */
export function fallbackVoicemail(settings: Settings): VoiceResponse {
  let config: Pick<IvrConfig, 'goodbye' | 'voicemailPrompt' | 'voicemailMaxSeconds'> = DEFAULT_VOICEMAIL;
  try {
    config = ivrConfig();
  } catch {
    // Logged by ivrConfig; the defaults will do.
  }
  return voicemailPrompt(config, settings, 'Sorry, we could not connect your call.');
}
