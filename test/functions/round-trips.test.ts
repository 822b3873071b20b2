// The Twilio round trips of each latency-sensitive route, counted through the sandbox's request
// log (never timed): a route that makes more requests, or more that wait on each other, than its
// ceiling fails here. A latency is injected into every Twilio request only so that requests sent
// together overlap and requests sent one after the other do not. `npm run bench` prints the same
// figures with their times.
import { injectLatency } from '../../bench/latency/measure';
import { measureRoutes, type RouteFigures } from '../../bench/latency/routes';
import { startLatencyStack, type LatencyStack } from '../../bench/latency/stack';

/** Per route: at most this many Twilio requests, and at most this many in a row. */
const CEILINGS: Record<string, { requests: number; criticalPath: number }> = {
  // The spend ceiling (PAID_ACTIONS_PER_HOUR): its shard read beside the other reads, its If-Match spend beside the other writes.
  'POST /verify/start (first time today)': { requests: 13, criticalPath: 5 },
  'POST /verify/start (a number seen before)': { requests: 11, criticalPath: 4 },
  'POST /sms/send': { requests: 3, criticalPath: 3 },
  // The funnel's counters are written after the record whose If-Match write says which steps were new (see bench/latency/routes.ts).
  'POST /sms/status (delivered)': { requests: 5, criticalPath: 3 },
  // +1 request, not on the critical path: the STOP joins the consent history (one create, beside
  // the opt-out write), so GET /consent and /consent/export show every change.
  // +2, not on the critical path: the day's consent counter shard is read beside the history
  // write, and the count is one write after it, beside the scheduled re-sends' cancel.
  'inbound STOP (POST /sms/incoming)': { requests: 6, criticalPath: 2 },
  // A read, then a conditional write: a START never undoes a STOP the person sent after it. Its
  // consent-history append (a read and an If-Match write: the STOP made the item) runs beside: +2.
  // The day's consent counter: +2 as for STOP.
  'inbound START (POST /sms/incoming)': { requests: 6, criticalPath: 2 },
  // The router's reply is non-essential: one more read (the kill switch's pause), beside the opt-out read.
  // The reply spends from the spend ceiling (PAID_ACTIONS_PER_HOUR): its read beside the pause and
  // opt-out reads, then its If-Match spend (so inside an open window two in a row, not one).
  'inbound WhatsApp (POST /whatsapp/incoming)': { requests: 7, criticalPath: 2 },
  'inbound WhatsApp (inside an open window)': { requests: 6, criticalPath: 2 },
  'POST /whatsapp/send (in the window)': { requests: 4, criticalPath: 3 },
};

let stack: LatencyStack;
let figures: RouteFigures[];

beforeAll(async () => {
  stack = await startLatencyStack();
  await injectLatency(stack.sandbox.url, 80);
  figures = await measureRoutes(stack);
}, 60_000);

afterAll(() => stack?.close());

test('every route is measured and has a ceiling', () => {
  expect(figures.map((f) => f.route).sort()).toEqual(Object.keys(CEILINGS).sort());
});

test.each(Object.keys(CEILINGS))('%s stays within its round trips', (route) => {
  const measured = figures.find((f) => f.route === route);
  const ceiling = CEILINGS[route];
  const shown = { requests: measured?.requests, criticalPath: measured?.criticalPath, trace: measured?.trace };
  expect(shown.requests).toBeLessThanOrEqual(ceiling.requests);
  expect(shown.criticalPath).toBeLessThanOrEqual(ceiling.criticalPath);
  // The target for the route, whatever the ceiling says.
  expect(shown.criticalPath).toBeLessThanOrEqual(measured?.target ?? 0);
});

test('no route leaves a Twilio request running after it answers', () => {
  expect(figures.filter((f) => f.afterAnswer > 0).map((f) => f.route)).toEqual([]);
});
