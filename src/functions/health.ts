// GET /health: liveness, version, and whether this instance talks to the local sandbox.
import type * as Comms from '../lib';
const { publicAction, json, APP_VERSION } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = publicAction(async ({ settings }) =>
  json({ status: 'ok', version: APP_VERSION, sandbox: Boolean(settings.sandboxUrl) }),
);
