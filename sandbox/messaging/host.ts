import { resourceNotFound } from '../http/errors';
import { listEnvelopeV1, readPageRequest, slicePage } from '../http/paging';
import { json, Router, type ApiRequest, type TwilioHost } from '../http/router';
import {
  messagingServiceResource,
  messagingServiceUrl,
  MESSAGING_BASE_URL,
  servicePhoneNumberResource,
  serviceShortCodeResource,
  type MessagingServiceRecord,
  type MessagingServiceStore,
} from './services';

export interface MessagingHostDeps {
  accountSid: string;
  services: MessagingServiceStore;
}

/** Messaging v1's maximum PageSize. */
const MAX_PAGE_SIZE_V1 = 1000;

/** messaging.twilio.com: Messaging Services and their sender pools (phone numbers, short codes; read-only). */
export function messagingHost(deps: MessagingHostDeps): TwilioHost {
  const { accountSid, services } = deps;

  const serviceOf = (req: ApiRequest): MessagingServiceRecord => {
    const service = services.get(req.params.ServiceSid ?? req.params.Sid);
    if (!service) throw resourceNotFound(req.path);
    return service;
  };

  const router = new Router()
    .get('/v1/Services', (req) => {
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const slice = slicePage(
        services.all(),
        page,
        (s) => String(s.seq),
        (s, cursor) => s.seq - Number(cursor),
      );
      const resources = slice.items.map((s) => messagingServiceResource(accountSid, s));
      return json(200, listEnvelopeV1('services', `${MESSAGING_BASE_URL}/Services`, [], page, slice, resources));
    })
    .get('/v1/Services/:Sid', (req) => json(200, messagingServiceResource(accountSid, serviceOf(req))))
    .get('/v1/Services/:ServiceSid/PhoneNumbers', (req) => {
      const service = serviceOf(req);
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const position = new Map(service.senders.map((n, i) => [n.sid, i]));
      const slice = slicePage(
        service.senders,
        page,
        (n) => n.sid,
        (n, cursor) => (position.get(n.sid) ?? 0) - (position.get(cursor) ?? -1),
      );
      const resources = slice.items.map((n) => servicePhoneNumberResource(accountSid, service, n));
      return json(200, listEnvelopeV1('phone_numbers', `${messagingServiceUrl(service.sid)}/PhoneNumbers`, [], page, slice, resources));
    })
    .get('/v1/Services/:ServiceSid/PhoneNumbers/:Sid', (req) => {
      const service = serviceOf(req);
      const number = service.senders.find((n) => n.sid === req.params.Sid);
      if (!number) throw resourceNotFound(req.path);
      return json(200, servicePhoneNumberResource(accountSid, service, number));
    })
    .get('/v1/Services/:ServiceSid/ShortCodes', (req) => {
      const service = serviceOf(req);
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const position = new Map(service.shortCodes.map((c, i) => [c.sid, i]));
      const slice = slicePage(
        service.shortCodes,
        page,
        (c) => c.sid,
        (c, cursor) => (position.get(c.sid) ?? 0) - (position.get(cursor) ?? -1),
      );
      const resources = slice.items.map((c) => serviceShortCodeResource(accountSid, service, c));
      return json(200, listEnvelopeV1('short_codes', `${messagingServiceUrl(service.sid)}/ShortCodes`, [], page, slice, resources));
    })
    .get('/v1/Services/:ServiceSid/ShortCodes/:Sid', (req) => {
      const service = serviceOf(req);
      const code = service.shortCodes.find((c) => c.sid === req.params.Sid);
      if (!code) throw resourceNotFound(req.path);
      return json(200, serviceShortCodeResource(accountSid, service, code));
    });

  return { subdomain: 'messaging', router };
}
