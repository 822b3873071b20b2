import type { XmlElement } from '../../twiml/xml';
import { methodOf, resolveUrl, voiceParams, type VerbResult, type WalkContext } from '../walk-context';

/**
 * A request to a verb's `action` (default: the current document) with the call's parameters
 * plus `extra`; an unusable URL ends the walk with Twilio's 11100 (Invalid URL format).
 */
export function actionRequest(
  ctx: WalkContext,
  element: XmlElement,
  extra: Record<string, string>,
  then: 'follow' | 'hangup' = 'follow',
  status?: string,
): VerbResult {
  const url = resolveUrl(ctx, element.attributes.action);
  if (url === null) {
    ctx.call.transcript.error = {
      code: 11100,
      message: `Invalid URL format: <${element.name} action="${element.attributes.action ?? ''}">`,
    };
    return { kind: 'end', endedBy: 'webhook-error' };
  }
  return { kind: 'request', url, method: methodOf(element.attributes.method), params: { ...voiceParams(ctx, status), ...extra }, then };
}
