// Campaign throughput when every Twilio request takes 100 ms (Sync and Messages alike, injected by
// the sandbox), side by side in one run with:
// - the theoretical ceiling of the creates alone, concurrency ÷ latency;
// - the usual sender: a semaphore of the same concurrency around messages.create, then a fixed
//   sleep, with no claims, no consent check and no bookkeeping (so no exactly-once either).
// The sandbox's senders are set far above what is sent (500 MPS), so the sender's throughput is
// not what is measured; the campaign is driven through the local Functions server as a CLI would,
// twice: with the status callbacks served by that same server (one process on this machine does
// everything), and with them answered by a stand-in elsewhere, as separate Function instances
// take them when deployed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { injectLatency } from './latency/measure';
import { API_TOKEN, OUR_NUMBER, startBenchStack, type BenchStack } from './stack';

const RECIPIENTS = 600;
const LATENCY_MS = 100;
/** The campaign run's creates in flight (src/lib/campaigns/run.ts), given to the naive sender too. */
const CONCURRENCY = 8;
/** The naive sender's pause after each create. */
const NAIVE_SLEEP_MS = 100;
const SENDER_MPS = 500;

/** Fictional US numbers: 555-0100…0199 in enough real area codes. */
const AREA_CODES = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228];
const recipient = (i: number): string => `+1${AREA_CODES[Math.floor(i / 100)]}55501${String(i % 100).padStart(2, '0')}`;

interface Figure {
  seconds: number;
  sent: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stand-in for the Function instances that take the status callbacks when deployed: it answers
 * each at once, so the callbacks' own Sync work does not share this one process with the sends.
 */
async function callbackSink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function withStack<R>(work: (stack: BenchStack) => Promise<R>, callbacksTo?: string): Promise<R> {
  const stack = await startBenchStack({
    sandbox: { messagingThroughput: 'enforced', senderMps: { longCode: SENDER_MPS, tollFree: SENDER_MPS, shortCode: SENDER_MPS } },
    env: () => ({ ALLOWED_COUNTRIES: 'US', ...(callbacksTo ? { PUBLIC_BASE_URL: callbacksTo } : {}) }),
  });
  try {
    return await work(stack);
  } finally {
    await stack.close();
  }
}

async function api<T>(functionsUrl: string, route: string, body: unknown): Promise<T> {
  const response = await fetch(`${functionsUrl}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The campaign: created and uploaded before the clock starts (latency on), then runs until done. */
async function campaign(callbacksTo?: string): Promise<Figure & { runs: number }> {
  return withStack(async ({ sandbox, functions }) => {
    const functionsUrl = functions.url;
    const { id } = await api<{ id: string }>(functionsUrl, '/campaigns', {
      name: 'bench',
      body: 'Hi {{name}}, your order shipped.',
      expectedRecipients: RECIPIENTS,
      mps: SENDER_MPS,
    });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({ to: recipient(i), name: `P${i}` }));
    for (let page = 0; page * 500 < RECIPIENTS; page += 1)
      await api(functionsUrl, '/campaigns/recipients', { id, page, recipients: rows.slice(page * 500, (page + 1) * 500) });
    await injectLatency(sandbox.url, LATENCY_MS);
    const started = performance.now();
    let runs = 0;
    for (;;) {
      runs += 1;
      const answer = await api<{ done: boolean; progress: { sent: number }; nextRunAfterSeconds?: number }>(
        functionsUrl,
        '/campaigns/run',
        { id },
      );
      if (answer.done) return { seconds: (performance.now() - started) / 1000, sent: answer.progress.sent, runs };
      await sleep((answer.nextRunAfterSeconds ?? 0) * 1000);
    }
  }, callbacksTo);
}

/** The usual sender: CONCURRENCY workers, each messages.create then a fixed sleep. */
async function naive(): Promise<Figure> {
  return withStack(async ({ sandbox, client }) => {
    await injectLatency(sandbox.url, LATENCY_MS);
    let next = 0;
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RECIPIENTS) {
          const i = next++;
          await client.messages.create({ to: recipient(i), from: OUR_NUMBER, body: `Hi P${i}, your order shipped.` });
          sent += 1;
          await sleep(NAIVE_SLEEP_MS);
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000, sent };
  });
}

export async function run(): Promise<void> {
  const quiet = console.warn;
  console.warn = () => undefined;
  const sink = await callbackSink();
  const [ours, oursCallbacksElsewhere] = await (async () => {
    try {
      return [await campaign(), await campaign(sink.url)];
    } finally {
      console.warn = quiet;
      await sink.close();
    }
  })();
  const usual = await naive();
  const ceiling = CONCURRENCY / (LATENCY_MS / 1000);
  const rate = (figure: Figure) => figure.sent / figure.seconds;
  const line = (label: string, figure: Figure, extra = '') =>
    console.log(
      `  ${label.padEnd(44)} ${rate(figure).toFixed(1).padStart(6)} msg/s  ${figure.sent} sent in ${figure.seconds.toFixed(1)} s${extra}  (${(rate(figure) / ceiling).toFixed(2)} of the ceiling)`,
    );
  console.log(
    `campaign-throughput: ${RECIPIENTS} recipients, ${LATENCY_MS} ms on every Twilio request (Sync and Messages), ${CONCURRENCY} creates in flight, senders at ${SENDER_MPS} MPS`,
  );
  console.log(`  ${'ceiling (concurrency ÷ latency)'.padEnd(44)} ${ceiling.toFixed(1).padStart(6)} msg/s`);
  line('campaign, status callbacks in this process', ours, ` over ${ours.runs} runs`);
  line('campaign, status callbacks answered elsewhere', oursCallbacksElsewhere, ` over ${oursCallbacksElsewhere.runs} runs`);
  line(`semaphore + ${NAIVE_SLEEP_MS} ms sleep, no claims, no gate`, usual);
  console.log(
    `  ratio campaign / semaphore + sleep: ${(rate(ours) / rate(usual)).toFixed(2)}x (callbacks here), ${(rate(oursCallbacksElsewhere) / rate(usual)).toFixed(2)}x (callbacks elsewhere)`,
  );
}
