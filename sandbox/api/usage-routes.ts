import type { Clock } from '../clock';
import { accountScope } from '../http/account-scope';
import { badRequest, resourceNotFound } from '../http/errors';
import { listEnvelope2010, pickFilters, readPageRequest, sliceInListOrder, type PageRequest } from '../http/paging';
import { json, noContent, type ApiRequest, type Router } from '../http/router';
import { SANDBOX_PRICES, TOTAL_PRICE, utcDay, type UsageCounters } from '../usage';
import { usageTriggersPath, type UsageTriggerStore } from './usage-triggers';

export interface UsageRouteDeps {
  accountSid: string;
  clock: Clock;
  usage: UsageCounters;
  triggers: UsageTriggerStore;
}

/** Twilio's maximum PageSize on the 2010 API. */
const MAX_PAGE_SIZE_2010 = 1000;
const DAY_MS = 86_400_000;

/** Descriptions and units of the categories the sandbox bills. */
const CATEGORY_FACTS = new Map<string, { description: string; unit: string }>([
  [TOTAL_PRICE, { description: 'Total Price', unit: 'usd' }],
  ...Object.values(SANDBOX_PRICES).map((priced): [string, { description: string; unit: string }] => [
    priced.category,
    { description: priced.description, unit: priced.unit },
  ]),
]);

/** A record's period: its first and last GMT day (`YYYY-MM-DD`). */
interface Period {
  start: string;
  end: string;
}

/** The fixed-period subresources (https://www.twilio.com/docs/usage/api/usage-record, "List subresources"). */
function fixedPeriod(name: string, now: number): Period {
  const today = utcDay(now);
  const month = today.slice(0, 8);
  switch (name) {
    case 'Today':
      return { start: today, end: today };
    case 'Yesterday': {
      const yesterday = utcDay(now - DAY_MS);
      return { start: yesterday, end: yesterday };
    }
    case 'ThisMonth':
      return { start: `${month}01`, end: today };
    case 'LastMonth': {
      const lastDay = utcDay(Date.parse(`${month}01T00:00:00Z`) - DAY_MS);
      return { start: `${lastDay.slice(0, 8)}01`, end: lastDay };
    }
    default:
      return { start: '2000-01-01', end: today };
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** StartDate / EndDate narrow a period; Twilio reads them as GMT dates `YYYY-MM-DD`. */
function narrowed(period: Period, query: URLSearchParams): Period {
  const start = query.get('StartDate');
  const end = query.get('EndDate');
  for (const [name, value] of [
    ['StartDate', start],
    ['EndDate', end],
  ] as const) {
    if (value !== null && !DATE.test(value)) throw badRequest(20001, `Invalid ${name}: ${value}`);
  }
  return { start: start && start > period.start ? start : period.start, end: end && end < period.end ? end : period.end };
}

/**
 * api.twilio.com's Usage: Records (the list, Today, Yesterday, ThisMonth, LastMonth, AllTime and
 * Daily) from what the sandbox counted and priced (sandbox/usage.ts), and Triggers (create, list,
 * fetch, update, delete). Shapes from twilio_api_v2010.json.
 */
export function addUsageRoutes(router: Router, deps: UsageRouteDeps): void {
  const { accountSid, usage, triggers, clock } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid/Usage';
  const forAccount = accountScope(accountSid);
  const recordsPath = `/2010-04-01/Accounts/${accountSid}/Usage/Records`;

  const record = (category: string, period: Period) => {
    const facts = CATEGORY_FACTS.get(category) ?? { description: category, unit: '' };
    const totals = usage.totals(category, period.start, period.end);
    const query = `?Category=${encodeURIComponent(category)}&StartDate=${period.start}&EndDate=${period.end}`;
    return {
      account_sid: accountSid,
      api_version: '2010-04-01',
      as_of: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      category,
      count: String(totals.count),
      count_unit: facts.unit === 'usd' ? '' : facts.unit,
      description: facts.description,
      end_date: period.end,
      price: Number(totals.price.toFixed(6)),
      price_unit: 'usd',
      start_date: period.start,
      subresource_uris: {
        all_time: `${recordsPath}/AllTime.json?Category=${category}`,
        today: `${recordsPath}/Today.json?Category=${category}`,
        yesterday: `${recordsPath}/Yesterday.json?Category=${category}`,
        this_month: `${recordsPath}/ThisMonth.json?Category=${category}`,
        last_month: `${recordsPath}/LastMonth.json?Category=${category}`,
        daily: `${recordsPath}/Daily.json?Category=${category}`,
      },
      uri: `${recordsPath}.json${query}`,
      usage: category === TOTAL_PRICE ? String(Number(totals.price.toFixed(6))) : String(totals.count),
      usage_unit: facts.unit,
    };
  };

  /** One page of records, in a fixed order (so list positions are the cursors). */
  const page = (req: ApiRequest, path: string, records: Array<ReturnType<typeof record>>, request: PageRequest) => {
    const index = new Map(records.map((item, position) => [item, String(position)]));
    const slice = sliceInListOrder(records, request, (item) => index.get(item) ?? '');
    const filters = pickFilters(req.query, ['Category', 'StartDate', 'EndDate']);
    return json(200, listEnvelope2010('usage_records', path, filters, request, slice, slice.items));
  };

  const categoriesOf = (req: ApiRequest): string[] => {
    const category = req.query.get('Category');
    return category ? [category] : usage.categories();
  };

  const periodRoute = (name: string | null) =>
    forAccount((req) => {
      const request = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
      const period = narrowed(fixedPeriod(name ?? 'AllTime', clock.now()), req.query);
      const records = categoriesOf(req).map((category) => record(category, period));
      return page(req, `${recordsPath}${name ? `/${name}` : ''}.json`, records, request);
    });

  router.get(`${base}/Records.json`, periodRoute(null));
  for (const name of ['Today', 'Yesterday', 'ThisMonth', 'LastMonth', 'AllTime'])
    router.get(`${base}/Records/${name}.json`, periodRoute(name));
  // One record per category and GMT day, newest day first (default: the last 30 days).
  router.get(
    `${base}/Records/Daily.json`,
    forAccount((req) => {
      const request = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
      const now = clock.now();
      const period = narrowed({ start: utcDay(now - 29 * DAY_MS), end: utcDay(now) }, req.query);
      const records: Array<ReturnType<typeof record>> = [];
      for (let day = Date.parse(`${period.end}T00:00:00Z`); utcDay(day) >= period.start; day -= DAY_MS) {
        for (const category of categoriesOf(req)) records.push(record(category, { start: utcDay(day), end: utcDay(day) }));
      }
      return page(req, `${recordsPath}/Daily.json`, records, request);
    }),
  );

  const findTrigger = (req: ApiRequest) => {
    const trigger = triggers.get(req.params.Sid);
    if (!trigger) throw resourceNotFound(req.path);
    return trigger;
  };
  router
    .post(
      `${base}/Triggers.json`,
      forAccount((req) => json(201, triggers.resource(triggers.create(req.form)))),
    )
    .get(
      `${base}/Triggers.json`,
      forAccount((req) => {
        const request = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const filters = pickFilters(req.query, ['Recurring', 'TriggerBy', 'UsageCategory']);
        const matching = triggers.list({
          recurring: req.query.get('Recurring') ?? undefined,
          triggerBy: req.query.get('TriggerBy') ?? undefined,
          usageCategory: req.query.get('UsageCategory') ?? undefined,
        });
        const slice = sliceInListOrder(matching, request, (t) => t.sid);
        const resources = slice.items.map((t) => triggers.resource(t));
        return json(200, listEnvelope2010('usage_triggers', `${usageTriggersPath(accountSid)}.json`, filters, request, slice, resources));
      }),
    )
    .get(
      `${base}/Triggers/:Sid.json`,
      forAccount((req) => json(200, triggers.resource(findTrigger(req)))),
    )
    .post(
      `${base}/Triggers/:Sid.json`,
      forAccount((req) => {
        const trigger = findTrigger(req);
        triggers.update(trigger, req.form);
        return json(200, triggers.resource(trigger));
      }),
    )
    .delete(
      `${base}/Triggers/:Sid.json`,
      forAccount((req) => {
        if (!triggers.remove(req.params.Sid)) throw resourceNotFound(req.path);
        return noContent;
      }),
    );
}
