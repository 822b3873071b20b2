import { AppError } from '../errors/app-error';
import type { RouteInput } from '../runtime/route';
import type { TwilioClient } from '../twilio/sdk';

type ServiceContext = ReturnType<TwilioClient['conversations']['v1']['services']>;

/** The Conversations service and number this deployment uses; 503 `not_configured` while Conversations is off (it is opt-in on Twilio). */
export function conversationsService(input: RouteInput): { service: ServiceContext; serviceSid: string; number: string } {
  const { serviceSid, number } = input.settings.conversations;
  if (!serviceSid || !number) {
    throw new AppError(503, 'not_configured', 'Conversations is off: set CONVERSATIONS_SERVICE_SID and CONVERSATIONS_NUMBER');
  }
  return { service: input.twilio().conversations.v1.services(serviceSid), serviceSid, number };
}

/** A conversation SID (CH…) parameter, checked. */
export function checkConversationSid(sid: string): string {
  if (!/^CH[0-9a-f]{32}$/.test(sid)) throw new AppError(400, 'invalid_parameter', '"conversationSid" must be a Conversation SID (CH…)');
  return sid;
}
