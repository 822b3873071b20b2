import { rfc2822 } from '../dates';
import { authenticationFailed, resourceNotFound } from '../http/errors';
import { json, type Router } from '../http/router';

/**
 * The Account resource (`GET /2010-04-01/Accounts/{Sid}.json`, twilio_api_v2010.json). A main
 * account's `owner_account_sid` is its own SID; a sub-account's is its parent's. A Standard API
 * key may not read it: Twilio answers 20003 "Authenticate" (twilio/twilio-python#259; a Main key
 * or the Auth Token is needed, https://www.twilio.com/docs/iam/api-keys/key-resource-v1).
 */
export class AccountState {
  /** The parent account; the account's own SID while it is a main account. */
  ownerAccountSid: string;

  constructor(
    readonly sid: string,
    private readonly authToken: string,
    readonly dateCreated: number,
    ownerAccountSid: string | undefined,
    readonly friendlyName = 'Sandbox account',
  ) {
    this.ownerAccountSid = ownerAccountSid ?? sid;
  }

  get isSubaccount(): boolean {
    return this.ownerAccountSid !== this.sid;
  }

  /** The resource as the spec's `api.v2010.account` schema lists it. */
  resource(): Record<string, unknown> {
    const base = `/2010-04-01/Accounts/${this.sid}`;
    const sub = (path: string) => `${base}/${path}.json`;
    return {
      auth_token: this.authToken,
      date_created: rfc2822(this.dateCreated),
      date_updated: rfc2822(this.dateCreated),
      friendly_name: this.friendlyName,
      owner_account_sid: this.ownerAccountSid,
      sid: this.sid,
      status: 'active',
      subresource_uris: {
        calls: sub('Calls'),
        incoming_phone_numbers: sub('IncomingPhoneNumbers'),
        messages: sub('Messages'),
        recordings: sub('Recordings'),
        transcriptions: sub('Transcriptions'),
      },
      type: 'Full',
      uri: `${base}.json`,
    };
  }
}

/** `GET /2010-04-01/Accounts/{Sid}.json` for the sandbox's one account. */
export function addAccountRoutes(router: Router, account: AccountState): void {
  router.get('/2010-04-01/Accounts/:Sid.json', (req) => {
    if (req.credential === 'standard-key') throw authenticationFailed();
    if (req.params.Sid !== account.sid) throw resourceNotFound(req.path);
    return json(200, account.resource());
  });
}
