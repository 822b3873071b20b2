import { ownText } from '../../twiml/xml';
import { methodOf, resolveUrl, voiceParams, type VerbHandler } from '../walk-context';

/** `<Redirect method>URL</Redirect>`: fetch that document and continue with it. */
export const redirect: VerbHandler = (_step, ctx, element) => {
  const url = resolveUrl(ctx, ownText(element));
  if (url === null) {
    ctx.call.transcript.error = { code: 11100, message: `Invalid URL format in <Redirect>: "${ownText(element).trim()}"` };
    return { kind: 'end', endedBy: 'webhook-error' };
  }
  return { kind: 'request', url, method: methodOf(element.attributes.method), params: voiceParams(ctx), then: 'follow' };
};
