// A stand-in for the campaign Functions, implementing docs/campaigns-api.md in memory, with the
// guarantees the CLI relies on (pages idempotent per index, each recipient settled once) and the
// hooks the tests need: hold the nth call of a route, inject 429/5xx, count everything.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = 'fake-campaign-token-0123456789abcdef';

type Route = 'create' | 'recipients' | 'run' | 'status' | 'recipient-list';

interface Recipient {
  to: string;
  state: 'pending' | 'sent' | 'refused' | 'failed';
  reason?: string;
}

interface Campaign {
  id: string;
  name: string;
  state: 'open' | 'running' | 'done';
  expectedRecipients: number;
  request: Record<string, unknown>;
  pages: Map<number, { accepted: number; refused: Array<{ row: number; to: string; reason: string }> }>;
  recipients: Recipient[];
  seen: Set<string>;
}

export interface FakeServiceOptions {
  /** Recipients settled per run call. */
  perRun?: number;
  /** The sender's messages per second in plans (default 1, a long code). */
  mps?: number;
  /** Answers served instead of the real one, per route, in order (e.g. 503 then 429). */
  faults?: Partial<Record<Route, number[]>>;
}

interface Hold {
  route: Route;
  nth: number;
  reached: () => void;
  released: Promise<void>;
}

const PLAN = (recipients: number, mps: number) => ({
  senderType: 'long_code',
  mps,
  recipients,
  etaSeconds: Math.ceil(recipients / mps),
  queueHours: Math.round((recipients / mps / 3600) * 100) / 100,
  fitsQueue: recipients / mps <= 9 * 3600,
});

export class FakeCampaignService {
  readonly campaigns = new Map<string, Campaign>();
  /** Every call, in order: route and, for uploads, the page and whether it was a repeat. */
  readonly calls: Array<{ route: Route; page?: number; duplicate?: boolean }> = [];
  /** The Idempotency-Key of every create request, faulted ones included, in order. */
  readonly createKeys: Array<string | undefined> = [];
  /** How many times each number was settled (sent or failed): the exactly-once check. */
  readonly settled = new Map<string, number>();
  private readonly holds: Hold[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(private readonly options: FakeServiceOptions = {}) {}

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The nth call (1-based) of a route does its work, then waits for `release` before answering. */
  hold(route: Route, nth: number): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ route, nth, reached, released });
    return { reached: reachedPromise, release };
  }

  count(route: Route): number {
    return this.calls.filter((call) => call.route === route).length;
  }

  /** Page index → how many uploads the service accepted as new (must be 1 each). */
  acceptedPerPage(): Map<number, number> {
    const accepted = new Map<number, number>();
    for (const call of this.calls)
      if (call.route === 'recipients' && call.page !== undefined && !call.duplicate)
        accepted.set(call.page, (accepted.get(call.page) ?? 0) + 1);
    return accepted;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string): void => send(status, { error: { code, message } });
    const url = new URL(request.url ?? '/', 'http://fake');
    const routes: Record<string, Route> = {
      'POST /campaigns': 'create',
      'POST /campaigns/recipients': 'recipients',
      'POST /campaigns/run': 'run',
      'GET /campaigns/status': 'status',
      'GET /campaigns/recipient-list': 'recipient-list',
    };
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return error(404, 'not_found', 'No such route');
    if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return error(401, 'unauthorized', 'Missing or wrong API token');
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (route === 'create') this.createKeys.push(request.headers['idempotency-key'] as string | undefined);
    const fault = this.options.faults?.[route]?.shift();
    if (fault) return error(fault, 'injected', `Injected ${fault}`);

    const nth = this.count(route) + 1;
    const answer = this.answer(route, body, url.searchParams);
    const hold = this.holds.find((candidate) => candidate.route === route && candidate.nth === nth);
    if (hold) {
      hold.reached();
      await hold.released;
    }
    if (!response.destroyed) send(answer.status, answer.body);
  }

  private answer(route: Route, body: Record<string, unknown>, query: URLSearchParams): { status: number; body: unknown } {
    const id = typeof body.id === 'string' ? body.id : (query.get('id') ?? '');
    const campaign = this.campaigns.get(id);
    if (route === 'create') {
      this.calls.push({ route });
      const expected = Number(body.expectedRecipients ?? 0);
      if (body.dryRun === true) return { status: 200, body: { plan: PLAN(expected, this.options.mps ?? 1) } };
      const created: Campaign = {
        id: `CP${randomBytes(16).toString('hex')}`,
        name: String(body.name),
        state: 'open',
        expectedRecipients: expected,
        request: body,
        pages: new Map(),
        recipients: [],
        seen: new Set(),
      };
      this.campaigns.set(created.id, created);
      return {
        status: 201,
        body: {
          id: created.id,
          name: created.name,
          channel: body.channel,
          kind: body.kind,
          state: 'open',
          plan: PLAN(expected, this.options.mps ?? 1),
        },
      };
    }
    if (!campaign) return { status: 404, body: { error: { code: 'not_found', message: `No campaign ${id}` } } };
    const counts = () => {
      const by = (state: Recipient['state']) => campaign.recipients.filter((recipient) => recipient.state === state).length;
      return { total: campaign.recipients.length, pending: by('pending'), sent: by('sent'), refused: by('refused'), failed: by('failed') };
    };
    switch (route) {
      case 'recipients': {
        const page = Number(body.page);
        const existing = campaign.pages.get(page);
        this.calls.push({ route, page, duplicate: existing !== undefined });
        if (existing) return { status: 200, body: { id, page, ...existing, duplicatePage: true } };
        const refused: Array<{ row: number; to: string; reason: string }> = [];
        let accepted = 0;
        (body.recipients as Array<Record<string, string>>).forEach((row, index) => {
          const to = row.to ?? row.phone ?? '';
          const reason = !/^\+\d{8,15}$/.test(to) ? 'invalid' : campaign.seen.has(to) ? 'duplicate' : undefined;
          campaign.seen.add(to);
          if (reason) refused.push({ row: page * 500 + index + 1, to, reason });
          else accepted += 1;
          campaign.recipients.push({ to, state: reason ? 'refused' : 'pending', ...(reason ? { reason } : {}) });
        });
        campaign.pages.set(page, { accepted, refused });
        return { status: 200, body: { id, page, accepted, refused, duplicatePage: false } };
      }
      case 'run': {
        this.calls.push({ route });
        campaign.state = 'running';
        const slice = campaign.recipients.filter((recipient) => recipient.state === 'pending').slice(0, this.options.perRun ?? 400);
        for (const recipient of slice) {
          recipient.state = recipient.to.endsWith('98') ? 'failed' : 'sent';
          this.settled.set(recipient.to, (this.settled.get(recipient.to) ?? 0) + 1);
        }
        const progress = counts();
        const done = progress.pending === 0;
        if (done) campaign.state = 'done';
        const thisRun = {
          sent: slice.filter((r) => r.state === 'sent').length,
          refused: 0,
          failed: slice.filter((r) => r.state === 'failed').length,
        };
        return {
          status: 200,
          body: {
            id,
            state: campaign.state,
            done,
            thisRun,
            progress,
            etaSeconds: progress.pending,
            ...(done ? {} : { nextRunAfterSeconds: 0 }),
          },
        };
      }
      case 'status': {
        this.calls.push({ route });
        const progress = counts();
        const refusedByReason: Record<string, number> = {};
        for (const recipient of campaign.recipients)
          if (recipient.reason) refusedByReason[recipient.reason] = (refusedByReason[recipient.reason] ?? 0) + 1;
        const delivery = { delivered: progress.sent, undelivered: 0, failed: progress.failed };
        return {
          status: 200,
          body: {
            id,
            name: campaign.name,
            state: campaign.state,
            plan: PLAN(campaign.expectedRecipients, this.options.mps ?? 1),
            progress,
            delivery,
            deliveryRate: progress.sent / Math.max(1, progress.sent + progress.failed),
            stopsWithin24h: 0,
            refusedByReason,
          },
        };
      }
      case 'recipient-list': {
        this.calls.push({ route });
        const matching = campaign.recipients.filter((recipient) => recipient.state === query.get('state'));
        const offset = Number(query.get('cursor') ?? 0);
        const page = matching.slice(offset, offset + 2).map(({ to, state, reason }) => ({ to, state, ...(reason ? { reason } : {}) }));
        return { status: 200, body: { recipients: page, ...(offset + 2 < matching.length ? { nextCursor: String(offset + 2) } : {}) } };
      }
      default:
        return { status: 404, body: { error: { code: 'not_found', message: 'No such route' } } };
    }
  }
}
