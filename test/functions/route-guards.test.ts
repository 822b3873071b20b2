import { fsHelpers } from '@twilio-labs/serverless-api';
import { ROOT_DIR } from '../../local/layout';
import { callApi, postSignedForm } from '../support/http';
import { stack } from '../support/stack';
import { match } from '../support/match';

/**
 * Routes without the API token: health, the dashboard's redirect to its public page (which reads
 * the API actions with the token), and the browser routes (their own guard: ALLOWED_ORIGINS,
 * optional VERIFY_APP_TOKEN). Every other plain route is an API action behind the bearer token.
 */
const PUBLIC_ROUTES = new Set(['/health', '/dashboard', '/verify/start', '/verify/check']);

async function builtRoutes() {
  const { functions } = await fsHelpers.getListOfFunctionsAndAssets(ROOT_DIR, {
    functionsFolderNames: ['dist/functions'],
    assetsFolderNames: ['dist/assets'],
  });
  return {
    webhooks: functions.filter((fn) => fn.access === 'protected').map((fn) => fn.path),
    apiActions: functions.filter((fn) => fn.access === 'public' && !PUBLIC_ROUTES.has(fn.path)).map((fn) => fn.path),
  };
}

// Every route the product ships, found from the build: a new route is covered the day it lands.
describe('guards on every built route', () => {
  it('refuses a missing or forged X-Twilio-Signature on every Twilio webhook, and serves a valid one', async () => {
    const { webhooks } = await builtRoutes();
    expect(webhooks).toEqual(match.arrayContaining(['/sms/incoming', '/sms/status']));
    for (const path of webhooks) {
      const url = `${stack().functionsUrl}${path}`;
      // Enough of every webhook's parameters for a signed request to be served.
      const params = {
        MessageSid: `SM${'e'.repeat(32)}`,
        CallSid: `CA${'e'.repeat(32)}`,
        RecordingSid: `RE${'e'.repeat(32)}`,
        From: '+12025550123',
        To: '+15005550006',
        Body: 'hello',
        MessageStatus: 'sent',
        CallStatus: 'completed',
      };
      expect({ path, status: (await postSignedForm(url, params, { signature: null })).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await postSignedForm(url, params, { signature: 'Zm9yZ2VkIHNpZ25hdHVyZQ==' })).status }).toEqual({
        path,
        status: 403,
      });
      // Served, not refused at the gateway: /usage/trigger then refuses a callback without UsageTriggerSid (a
      // complete one would pause the shared stack's sends under every other suite), /conversations/events an
      // event without EventType.
      const served = path === '/usage/trigger' || path === '/conversations/events' ? 400 : 200;
      expect({ path, status: (await postSignedForm(url, params)).status }).toEqual({ path, status: served });
    }
  });

  it('refuses a missing or wrong bearer token on every API action', async () => {
    const { apiActions } = await builtRoutes();
    expect(apiActions).toEqual(match.arrayContaining(['/sms/send', '/sms/message', '/sms/optout', '/sms/stats']));
    for (const path of apiActions) {
      const url = `${stack().functionsUrl}${path}`;
      for (const token of [null, 'not-the-token']) {
        const result = await callApi(url, { method: 'POST', body: {}, token });
        expect({ path, status: result.status, body: result.json }).toEqual({
          path,
          status: 401,
          body: { error: { code: 'unauthorized', message: match.any(String) } },
        });
      }
    }
  });
});
