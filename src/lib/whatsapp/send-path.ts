import { AppError } from '../errors/app-error';
import type { Stores } from '../stores';
import type { WhatsAppSendRequest } from './send-request';

/** How a WhatsApp message goes: free-form inside the 24-hour window, else an approved template. */
type SendPath = 'session' | 'template';

/**
 * Free-form (body/media) only while the user's window is open; otherwise the template given by
 * `contentSid`, or a clear 409 before paying for Twilio's 63016. A request with only a template
 * always goes as the template.
 */
export async function chooseSendPath(stores: Stores, request: WhatsAppSendRequest): Promise<SendPath> {
  const freeForm = request.body !== undefined || request.mediaUrl !== undefined;
  if (!freeForm) return 'template';
  if (await stores.sessions.current(request.to)) return 'session';
  if (request.contentSid) return 'template';
  throw new AppError(
    409,
    'outside_session_window',
    'The user has not written in the last 24 hours: send an approved template (contentSid) instead',
  );
}
