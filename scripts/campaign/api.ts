// The campaigns API as docs/campaigns-api.md defines it, over fetch: typed answers (checked, not
// cast), bounded retries on 429, 5xx, timeouts and network errors, and one error per failure.
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { CliError, EXIT, Interrupted, errorCode, errorMessage, failed } from './errors';
import { retryDelayMs, type RetryOptions, DEFAULT_RETRY } from './retry';
import type { StopSignal } from './stop';

export type Channel = 'sms' | 'whatsapp';
export type Kind = 'transactional' | 'marketing';

/** The body of `POST /campaigns`, less `expectedRecipients` and `dryRun`, which the CLI adds. */
export interface CampaignRequest {
  name: string;
  channel: Channel;
  kind: Kind;
  body?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
  sendAt?: string;
  quietHours?: { start: string; end: string; timeZone: string };
  /** Create it even from an unregistered US sender (POST /campaigns refuses with 409 sender_not_registered otherwise). */
  force?: boolean;
}

/** One row for `POST /campaigns/recipients`: the recipient as `to`, every other column as is. */
export type RecipientRow = Readonly<Record<string, string>>;

const count = v.pipe(v.number(), v.minValue(0));

const PlanSchema = v.looseObject({
  senderType: v.string(),
  mps: v.number(),
  recipients: count,
  etaSeconds: count,
  queueHours: v.number(),
  fitsQueue: v.boolean(),
});
export type Plan = v.InferOutput<typeof PlanSchema>;

const ProgressSchema = v.looseObject({ total: count, pending: count, sent: count, refused: count, failed: count });

/** US senders carriers will block (unregistered 10DLC, unverified toll-free), as POST /campaigns reports them. */
const WarningsSchema = v.optional(v.array(v.looseObject({ code: v.string(), message: v.string() })), []);
const CreatedSchema = v.looseObject({ id: v.string(), name: v.string(), state: v.string(), plan: PlanSchema, warnings: WarningsSchema });
const DryRunSchema = v.looseObject({ plan: PlanSchema, warnings: WarningsSchema });

const PageSchema = v.looseObject({
  accepted: count,
  refused: v.array(v.looseObject({ row: v.optional(v.number()), to: v.optional(v.string()), reason: v.string() })),
  duplicatePage: v.optional(v.boolean()),
});
export type PageAnswer = v.InferOutput<typeof PageSchema>;

const RunSchema = v.looseObject({
  state: v.string(),
  done: v.boolean(),
  thisRun: v.optional(v.looseObject({ sent: count, refused: count, failed: count })),
  progress: ProgressSchema,
  etaSeconds: v.nullish(count),
  nextRunAfterSeconds: v.nullish(count),
});
export type RunAnswer = v.InferOutput<typeof RunSchema>;

const StatusSchema = v.looseObject({
  id: v.string(),
  name: v.optional(v.string()),
  state: v.string(),
  plan: v.nullish(PlanSchema),
  progress: ProgressSchema,
  delivery: v.nullish(v.record(v.string(), v.number())),
  deliveryRate: v.nullish(v.number()),
  stopsWithin24h: v.nullish(v.number()),
  refusedByReason: v.nullish(v.record(v.string(), v.number())),
});
export type Status = v.InferOutput<typeof StatusSchema>;

const ListSchema = v.looseObject({
  recipients: v.array(v.looseObject({ to: v.string(), state: v.string(), reason: v.nullish(v.string()), sid: v.nullish(v.string()) })),
  nextCursor: v.nullish(v.string()),
});
export type RecipientList = v.InferOutput<typeof ListSchema>;

const ErrorSchema = v.object({ error: v.looseObject({ code: v.string(), message: v.string() }) });

export interface ApiOptions {
  baseUrl: string;
  token: string;
  /** Ctrl-C: a retry wait ends early and the call throws `Interrupted`; a request in flight is let finish. */
  stop?: StopSignal;
  retry?: RetryOptions;
  /** Told before each retry wait, for the progress line. */
  onRetry?: (what: string, attempt: number, delayMs: number) => void;
  /** Per attempt; default REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** How long one request may take by default: a campaign run sends for about 8 s, so well above that. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * One JSON request to the service with its bearer token, bounded by `timeoutMs` (a service that
 * hangs must not hang the CLI): the campaign CLI's and `npm run retention`'s. Throws on a network
 * error or when the time is up (see networkReason).
 */
export async function bearerRequest(
  url: string,
  {
    method,
    token,
    body,
    idempotencyKey,
    timeoutMs = REQUEST_TIMEOUT_MS,
  }: { method: string; token: string; body?: unknown; idempotencyKey?: string; timeoutMs?: number },
): Promise<{ response: Response; text: string }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { response, text: await response.text() };
}

/** The service answered with an error that retrying will not fix (4xx other than 429): exit 1. */
class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(EXIT.failed, message);
    this.name = 'ApiError';
  }
}

const TOKEN_HINT = ': check the token (CAMPAIGN_TOKEN, --token, or API_TOKEN in .env) matches the service';

type Retryable = { retry: true; reason: string; retryAfterMs?: number };

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The cause of a fetch failure in a few words: `ECONNREFUSED`, `timed out`, … */
export function networkReason(error: unknown): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return errorCode(cause) ?? errorCode(error) ?? errorMessage(error);
}

export class CampaignApi {
  private readonly retry: RetryOptions;

  constructor(private readonly options: ApiOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /**
   * `POST /campaigns` with an `Idempotency-Key` made once for this create: a retry after a lost
   * answer gets the first answer (the same campaign), never a second, empty one.
   */
  async create(request: CampaignRequest, expectedRecipients: number): Promise<v.InferOutput<typeof CreatedSchema>> {
    const idempotencyKey = randomUUID();
    return this.call('POST', '/campaigns', CreatedSchema, { body: { ...request, expectedRecipients }, idempotencyKey });
  }

  /** `POST /campaigns` with `dryRun`: the plan, nothing created. */
  async plan(request: CampaignRequest, expectedRecipients: number): Promise<v.InferOutput<typeof DryRunSchema>> {
    return this.call('POST', '/campaigns', DryRunSchema, { body: { ...request, expectedRecipients, dryRun: true } });
  }

  /** `POST /campaigns/recipients`: idempotent per page index, so always safe to send again. */
  uploadPage(id: string, page: number, recipients: readonly RecipientRow[]): Promise<PageAnswer> {
    return this.call('POST', '/campaigns/recipients', PageSchema, { body: { id, page, recipients } });
  }

  /** `POST /campaigns/run`: the service sends each recipient at most once however often it is called. */
  run(id: string): Promise<RunAnswer> {
    return this.call('POST', '/campaigns/run', RunSchema, { body: { id } });
  }

  status(id: string): Promise<Status> {
    return this.call('GET', '/campaigns/status', StatusSchema, { query: { id } });
  }

  recipientList(id: string, state: 'pending' | 'sent' | 'refused' | 'failed', cursor?: string): Promise<RecipientList> {
    return this.call('GET', '/campaigns/recipient-list', ListSchema, { query: { id, state, ...(cursor ? { cursor } : {}) } });
  }

  private async call<S extends v.GenericSchema>(
    method: 'GET' | 'POST',
    route: string,
    schema: S,
    { body, query, idempotencyKey }: { body?: unknown; query?: Record<string, string>; idempotencyKey?: string },
  ): Promise<v.InferOutput<S>> {
    const what = `${method} ${route}`;
    const url = `${this.options.baseUrl}${route}${query ? `?${new URLSearchParams(query).toString()}` : ''}`;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(what, url, method, body, schema, idempotencyKey);
      if (!('retry' in outcome)) return outcome.value;
      if (attempt >= this.retry.attempts) {
        throw failed(`${what} failed ${attempt} times (last: ${outcome.reason}); is the service running at ${this.options.baseUrl}?`);
      }
      const delay = retryDelayMs(attempt, this.retry, outcome.retryAfterMs);
      this.options.onRetry?.(`${what}: ${outcome.reason}`, attempt, delay);
      if (this.options.stop) {
        await this.options.stop.sleep(delay);
        if (this.options.stop.requested) throw new Interrupted();
      } else {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async attempt<S extends v.GenericSchema>(
    what: string,
    url: string,
    method: string,
    body: unknown,
    schema: S,
    idempotencyKey?: string,
  ): Promise<{ value: v.InferOutput<S> } | Retryable> {
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await bearerRequest(url, {
        method,
        token: this.options.token,
        body,
        idempotencyKey,
        timeoutMs: this.options.timeoutMs,
      }));
    } catch (error) {
      return { retry: true, reason: networkReason(error) };
    }
    // 409 request_in_progress: our own earlier attempt (same Idempotency-Key) is still running.
    const inProgress = response.status === 409 && /"request_in_progress"/.test(text);
    if (response.status === 429 || response.status >= 500 || inProgress) {
      return { retry: true, reason: `HTTP ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw failed(`${what}: HTTP ${response.status} with a body that is not JSON; is ${this.options.baseUrl} the twilio-comms service?`);
    }
    if (!response.ok) {
      const parsed = v.safeParse(ErrorSchema, json);
      const code = parsed.success ? parsed.output.error.code : `http_${response.status}`;
      const message = parsed.success ? parsed.output.error.message : `HTTP ${response.status}`;
      const hint = response.status === 401 || response.status === 403 ? TOKEN_HINT : '';
      throw new ApiError(response.status, code, `${what}: ${message} (${response.status} ${code})${hint}`);
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = v.getDotPath(issue) ?? '(body)';
      throw failed(`${what}: unexpected answer at ${where}: ${issue.message}`);
    }
    return { value: parsed.output };
  }
}
