import type { AccountState } from '../api/account';
import { json, type Router } from '../http/router';
import { PERMISSION_FIELDS, type CountryPermissions, type DialingPermissions } from '../voice/dialing-permissions';
import { ControlError, parseJsonObject } from './errors';

export interface AccountControlDeps {
  account: AccountState;
  dialingPermissions: DialingPermissions;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

function accountView(account: AccountState): Record<string, unknown> {
  return { sid: account.sid, ownerAccountSid: account.ownerAccountSid, subaccount: account.isSubaccount };
}

/**
 * The account's settings that doctor-style checks read:
 *
 * - `GET|POST /_sandbox/account` `{ ownerAccountSid }`: a parent `AC…` makes the account a
 *   sub-account; its own SID (or `null`) makes it a main account again.
 * - `GET|POST /_sandbox/voice/dialing-permissions` `{ isoCode, lowRiskNumbersEnabled?,
 *   highRiskSpecialNumbersEnabled?, highRiskTollfraudNumbersEnabled? }`: one country's Voice
 *   Dialing Permissions; GET lists every country.
 */
export function addAccountControlRoutes(router: Router, deps: AccountControlDeps): void {
  const { account, dialingPermissions } = deps;
  router
    .get('/account', () => json(200, accountView(account)))
    .post('/account', (req) => {
      const owner = parseJsonObject(req.rawBody).ownerAccountSid;
      if (owner !== null && (typeof owner !== 'string' || !ACCOUNT_SID.test(owner)))
        throw new ControlError(400, 'invalid_request', '"ownerAccountSid" must be an account SID (AC + 32 hex digits) or null');
      account.ownerAccountSid = owner ?? account.sid;
      return json(200, accountView(account));
    })
    .get('/voice/dialing-permissions', () => json(200, dialingPermissions.all()))
    .post('/voice/dialing-permissions', (req) => {
      const body = parseJsonObject(req.rawBody);
      const iso = typeof body.isoCode === 'string' ? body.isoCode.toUpperCase() : '';
      if (!dialingPermissions.knows(iso))
        throw new ControlError(404, 'unknown_country', `"isoCode" must be a country the sandbox knows (${iso || 'none given'} is not)`);
      const change: Partial<CountryPermissions> = {};
      for (const field of PERMISSION_FIELDS) {
        const value = body[field];
        if (value === undefined) continue;
        if (typeof value !== 'boolean') throw new ControlError(400, 'invalid_request', `"${field}" must be true or false`);
        change[field] = value;
      }
      return json(200, { isoCode: iso, ...dialingPermissions.set(iso, change) });
    });
}
