import { badRequest, resourceNotFound } from '../http/errors';
import { listEnvelopeV1, readPageRequest, slicePage } from '../http/paging';
import { json, Router, type ApiRequest, type TwilioHost } from '../http/router';
import { checkVerification, type CheckDeps } from './checks';
import { VERIFY_BASE_URL, verifyServiceResource, type VerifyServiceRecord, type VerifyServiceStore } from './services';
import { startVerification, type StartDeps } from './start';
import { verificationCheckResource, verificationResource, type VerificationRecord } from './verifications';

export interface VerifyHostDeps extends StartDeps, CheckDeps {
  accountSid: string;
  services: VerifyServiceStore;
}

/** Verify v2's maximum PageSize. */
const MAX_PAGE_SIZE_V2 = 1000;

/** verify.twilio.com: Services, Verifications and VerificationCheck of Verify v2. */
export function verifyHost(deps: VerifyHostDeps): TwilioHost {
  const { accountSid, services, verifications } = deps;

  const serviceOf = (req: ApiRequest): VerifyServiceRecord => services.resolve(req.params.ServiceSid ?? req.params.Sid, req.path);

  /** Fetch and update take the `VE…` SID or the destination (To) in the path. */
  const verificationOf = (req: ApiRequest): VerificationRecord => {
    const verification = verifications.resolve(serviceOf(req).sid, req.params.Sid);
    if (!verification) throw resourceNotFound(req.path);
    return verification;
  };

  const router = new Router()
    .get('/v2/Services', (req) => {
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V2);
      const slice = slicePage(
        services.all(),
        page,
        (s) => String(s.seq),
        (s, cursor) => s.seq - Number(cursor),
      );
      const resources = slice.items.map((s) => verifyServiceResource(accountSid, s));
      return json(200, listEnvelopeV1('services', `${VERIFY_BASE_URL}/Services`, [], page, slice, resources));
    })
    .post('/v2/Services', (req) => json(201, verifyServiceResource(accountSid, services.create(req.form))))
    .get('/v2/Services/:Sid', (req) => json(200, verifyServiceResource(accountSid, serviceOf(req))))

    .post('/v2/Services/:ServiceSid/Verifications', (req) =>
      json(201, verificationResource(accountSid, startVerification(serviceOf(req), req.form, deps))),
    )
    .get('/v2/Services/:ServiceSid/Verifications/:Sid', (req) => json(200, verificationResource(accountSid, verificationOf(req))))
    .post('/v2/Services/:ServiceSid/Verifications/:Sid', (req) => {
      const verification = verificationOf(req);
      const status = req.form.get('Status');
      if (status !== 'canceled' && status !== 'approved') throw badRequest(60200, 'Invalid parameter: Status');
      verifications.setStatus(verification, status);
      return json(200, verificationResource(accountSid, verification));
    })

    .post('/v2/Services/:ServiceSid/VerificationCheck', (req) => {
      const verification = checkVerification(serviceOf(req), req.form, req.path, deps);
      return json(200, verificationCheckResource(accountSid, verification));
    });

  return { subdomain: 'verify', router };
}
