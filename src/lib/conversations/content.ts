import { badRequest } from '../errors/app-error';
import { optionalString, type Params } from '../http/params';
import { readVariables } from '../whatsapp/send-request';
import type { ThreadContent } from './participants';

/** "The Message body … Up to 1,600 characters" (https://www.twilio.com/docs/conversations/api/conversation-message-resource). */
const MAX_BODY = 1600;

/** `body`, or `contentSid` (+ `contentVariables`): what goes to a thread, checked. */
export function readThreadContent(params: Params): ThreadContent {
  const body = optionalString(params, 'body', { maxLength: 100_000 });
  if (body !== undefined && [...body].length > MAX_BODY) throw badRequest('body_too_long', `A message is at most ${MAX_BODY} characters`);
  const contentSid = optionalString(params, 'contentSid', { maxLength: 64 });
  if (contentSid !== undefined && !/^HX[0-9a-f]{32}$/.test(contentSid))
    throw badRequest('invalid_parameter', '"contentSid" must be a Content template SID (HX…)');
  if (!body && !contentSid) throw badRequest('missing_parameter', 'Give a "body" or a "contentSid"');
  const contentVariables = readVariables(params);
  return { ...(body ? { body } : {}), ...(contentSid ? { contentSid } : {}), ...(contentVariables ? { contentVariables } : {}) };
}
