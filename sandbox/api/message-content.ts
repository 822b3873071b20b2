import { canStartConversation, type ContentRecord } from '../content/templates';
import { parseContentVariables, renderContent, type RenderedContent } from '../content/render';
import { badRequest } from '../http/errors';
import { isSid } from '../sids';

/** A Messages create's `ContentSid` + `ContentVariables`, resolved. */
export interface MessageContent {
  contentSid: string;
  rendered: RenderedContent;
  /** The template may open a WhatsApp conversation outside the 24-hour window. */
  canStartConversation: boolean;
}

/**
 * Reads `ContentSid` / `ContentVariables` of a Messages create (null when no template is used).
 * Errors are REST errors (HTTP 400), Twilio's "Log Type: APPLICATION" codes:
 * ContentVariables without ContentSid → 21654; a malformed or unknown (e.g. deleted) ContentSid
 * → 21655; malformed ContentVariables, or a placeholder with no value → 21656; a variable value
 * over 1,600 characters → 21658.
 */
export function readMessageContent(form: URLSearchParams, findContent: (sid: string) => ContentRecord | undefined): MessageContent | null {
  const contentSid = form.get('ContentSid')?.trim() || null;
  const rawVariables = form.get('ContentVariables');
  if (!contentSid) {
    if (rawVariables !== null && rawVariables.trim() !== '') {
      throw badRequest(21654, 'A ContentSid must be specified if ContentVariables are provided in the request.');
    }
    return null;
  }
  const content = isSid(contentSid, 'HX') ? findContent(contentSid) : undefined;
  if (!content) throw badRequest(21655, `The ContentSid is Invalid: ${contentSid}`);
  const rendered = renderContent(content, parseContentVariables(rawVariables));
  return { contentSid, rendered, canStartConversation: canStartConversation(content) };
}
