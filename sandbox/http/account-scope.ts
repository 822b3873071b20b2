import { authenticationFailed } from './errors';
import type { ApiRequest, RouteHandler } from './router';

/**
 * Wraps the handlers of the 2010-04-01 routes, which all live under /Accounts/{AccountSid}: the
 * path must name this sandbox's account, else 401 / 20003 as for credentials of another account.
 */
export function accountScope(accountSid: string): (handler: RouteHandler) => RouteHandler {
  return (handler) => (req: ApiRequest) => {
    if (req.params.AccountSid !== accountSid) throw authenticationFailed();
    return handler(req);
  };
}
