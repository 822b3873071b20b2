// POST /usage/resume (API action): lifts the kill switch's pause; non-essential sends go again.
// Answers which pause was lifted (or `resumed: false` when sends were not paused).
import type * as Comms from '../../lib';
const { apiAction, json, resumeSending } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async (input) => {
  const { resumed, pause } = await resumeSending(input);
  return json(resumed && pause ? { resumed, pausedSince: pause.since, trigger: pause.trigger } : { resumed });
});
