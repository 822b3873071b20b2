// GET /dashboard: the operator dashboard lives in public assets under /dashboard/; this sends the
// browser there. Twilio serves an asset at its own path only (`/assets/index.html` alone is also
// served at `/`: https://github.com/twilio-labs/serverless-toolkit/issues/371), so a folder's
// index.html is not served at the folder's path.
import type * as Comms from '../lib';
const { publicAction, json } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

const PAGE = '/dashboard/index.html';

export const handler = publicAction(() => json({ location: PAGE }, 302, { Location: PAGE }));
