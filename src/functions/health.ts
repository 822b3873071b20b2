// GET /health: liveness, version, whether this instance talks to the local sandbox, and the names
// (never the values) of broken settings that disable part of the service ("degraded").
import type * as Comms from '../lib';
const { publicAction, json, APP_VERSION } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = publicAction(({ settings }) =>
  json({
    status: settings.problems.length === 0 ? 'ok' : 'degraded',
    version: APP_VERSION,
    sandbox: Boolean(settings.sandboxUrl),
    ...(settings.problems.length === 0 ? {} : { brokenSettings: settings.problems }),
  }),
);
