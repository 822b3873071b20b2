// GET /health: liveness, version, whether this instance talks to the local sandbox, the names
// (never the values) of broken settings that disable part of the service ("degraded"), and whether
// the kill switch has paused non-essential sends (since when, by which Usage Trigger).
import type * as Comms from '../lib';
const { publicAction, json, APP_VERSION, describePause } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = publicAction(async (input) => {
  const { settings } = input;
  return json({
    status: settings.problems.length === 0 ? 'ok' : 'degraded',
    version: APP_VERSION,
    sandbox: Boolean(settings.sandboxUrl),
    // Read lazily: without Twilio credentials the stores cannot be made, and /health still answers.
    paused: await describePause(settings, () => input.stores),
    ...(settings.problems.length === 0 ? {} : { brokenSettings: settings.problems }),
  });
});
