import { authenticationFailed, resourceNotFound, TwilioApiError } from '../http/errors';
import { listEnvelope2010, readPageRequest, slicePage } from '../http/paging';
import { json, noContent, type ApiRequest, type Router } from '../http/router';
import { mediaPath, mediaResource, type MediaRecord } from './media';
import type { MessageRecord, MessageStore } from './messages';

export interface MessageMediaDeps {
  accountSid: string;
  messages: MessageStore;
}

/** Twilio's maximum PageSize on the 2010 API. */
const MAX_PAGE_SIZE_2010 = 1000;

/**
 * The routes that remove things from a message, and its Media subresource
 * (https://www.twilio.com/docs/messaging/api/media-resource): list, fetch, delete, and the media
 * URL itself (no `.json`), which redirects (307) to the URL the media came from because the
 * sandbox keeps no bytes. `DateCreated` filters are not emulated.
 */
export function addMessageMediaRoutes(router: Router, deps: MessageMediaDeps): void {
  const { accountSid, messages } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid/Messages';

  const messageOf = (req: ApiRequest, param: 'Sid' | 'MessageSid'): MessageRecord => {
    if (req.params.AccountSid !== accountSid) throw authenticationFailed();
    const message = messages.get(req.params[param]);
    if (!message) throw resourceNotFound(req.path);
    return message;
  };
  const mediaOf = (req: ApiRequest): { message: MessageRecord; media: MediaRecord } => {
    const message = messageOf(req, 'MessageSid');
    const media = message.media.find((m) => m.sid === req.params.Sid);
    if (!media) throw resourceNotFound(req.path);
    return { message, media };
  };

  router
    // "Deletes a Message resource from your account" (spec: DeleteMessage → 204); 20009 while in flight.
    .delete(`${base}/:Sid.json`, (req) => {
      const message = messageOf(req, 'Sid');
      if (!messages.remove(message)) throw new TwilioApiError(409, 20009, 'Cannot delete this resource before it is complete');
      return noContent;
    })
    .get(`${base}/:MessageSid/Media.json`, (req) => {
      const message = messageOf(req, 'MessageSid');
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
      const order = new Map(message.media.map((m, i) => [m.sid, i]));
      const slice = slicePage(
        message.media,
        page,
        (m) => m.sid,
        (m, cursor) => (order.get(m.sid) ?? 0) - (order.get(cursor) ?? -1),
      );
      const resources = slice.items.map((m) => mediaResource(accountSid, message.sid, m));
      return json(200, listEnvelope2010('media_list', `${mediaPath(accountSid, message.sid)}.json`, [], page, slice, resources));
    })
    .get(`${base}/:MessageSid/Media/:Sid.json`, (req) => {
      const { message, media } = mediaOf(req);
      return json(200, mediaResource(accountSid, message.sid, media));
    })
    .delete(`${base}/:MessageSid/Media/:Sid.json`, (req) => {
      const { message, media } = mediaOf(req);
      message.media.splice(message.media.indexOf(media), 1);
      return noContent;
    })
    .get(`${base}/:MessageSid/Media/:Sid`, (req) => {
      const { media } = mediaOf(req);
      return { status: 307, headers: { Location: media.sourceUrl, 'Content-Type': media.contentType } };
    });
}
