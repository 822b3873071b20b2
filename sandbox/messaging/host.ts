import { resourceNotFound } from '../http/errors';
import { listEnvelopeV1, pickFilters, readPageRequest, sliceInListOrder, slicePage } from '../http/paging';
import { json, noContent, Router, type ApiRequest, type TwilioHost } from '../http/router';
import { tollfreeResource, usa2pResource, type SenderCompliance } from './sender-compliance';
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
  compliance: SenderCompliance;
}

/** Messaging v1's maximum PageSize. */
const MAX_PAGE_SIZE_V1 = 1000;

/**
 * messaging.twilio.com: Messaging Services and their sender pools (phone numbers, short codes;
 * read-only), each service's US A2P campaign (Compliance/Usa2p) and toll-free verifications.
 */
export function messagingHost(deps: MessagingHostDeps): TwilioHost {
  const { accountSid, services, compliance } = deps;

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
      const slice = sliceInListOrder(service.senders, page, (n) => n.sid);
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
    })
    .get('/v1/Services/:ServiceSid/Compliance/Usa2p', (req) => {
      const service = serviceOf(req);
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const all = compliance.campaignsOf(service.sid);
      const slice = sliceInListOrder(all, page, (c) => c.sid);
      const resources = slice.items.map((c) => usa2pResource(accountSid, c));
      return json(200, listEnvelopeV1('compliance', `${messagingServiceUrl(service.sid)}/Compliance/Usa2p`, [], page, slice, resources));
    })
    .post('/v1/Services/:ServiceSid/Compliance/Usa2p', (req) =>
      json(201, usa2pResource(accountSid, compliance.createCampaign(serviceOf(req).sid, req.form))),
    )
    .get('/v1/Services/:ServiceSid/Compliance/Usa2p/:Sid', (req) => {
      const campaign = compliance.campaign(serviceOf(req).sid, req.params.Sid);
      if (!campaign) throw resourceNotFound(req.path);
      return json(200, usa2pResource(accountSid, campaign));
    })
    .delete('/v1/Services/:ServiceSid/Compliance/Usa2p/:Sid', (req) => {
      if (!compliance.deleteCampaign(serviceOf(req).sid, req.params.Sid)) throw resourceNotFound(req.path);
      return noContent;
    })
    .get('/v1/Tollfree/Verifications', (req) => {
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const filters = pickFilters(req.query, ['TollfreePhoneNumberSid', 'Status']);
      const all = compliance.listVerifications({
        numberSid: req.query.get('TollfreePhoneNumberSid') ?? undefined,
        status: req.query.get('Status') ?? undefined,
      });
      const slice = sliceInListOrder(all, page, (v) => v.sid);
      const resources = slice.items.map((v) => tollfreeResource(accountSid, v));
      return json(200, listEnvelopeV1('verifications', `${MESSAGING_BASE_URL}/Tollfree/Verifications`, filters, page, slice, resources));
    })
    .post('/v1/Tollfree/Verifications', (req) => json(201, tollfreeResource(accountSid, compliance.createVerification(req.form))))
    .get('/v1/Tollfree/Verifications/:Sid', (req) => {
      const verification = compliance.verification(req.params.Sid);
      if (!verification) throw resourceNotFound(req.path);
      return json(200, tollfreeResource(accountSid, verification));
    })
    .delete('/v1/Tollfree/Verifications/:Sid', (req) => {
      if (!compliance.deleteVerification(req.params.Sid)) throw resourceNotFound(req.path);
      return noContent;
    });

  return { subdomain: 'messaging', router };
}
