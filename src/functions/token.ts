// POST /token (API action): a short-lived Twilio Access Token for a client SDK (a browser
// softphone, a Sync client, a Conversations agent), for an identity your backend vouches for, with only the configured grants.
import type * as Comms from '../lib';
const { apiAction, json, mintAccessToken, readTokenRequest } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(({ params, settings }) => json(mintAccessToken(settings, readTokenRequest(params))));
