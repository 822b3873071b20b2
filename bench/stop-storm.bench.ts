// STOP throughput under Sync's write limit, and what is lost: 2,000 people text STOP at once
// through the sandbox's phone (which follows our <Redirect>s and the fallback URL as Twilio does),
// with Sync's write limit on (20 writes/s per map, 10 s burst), once with no faults and once with
// 10 % of Sync writes answering 500. The ceiling is 20/s × the opt-out store's 16 shards.
import { bindNumber } from '../local/bind';
import { addFault, syncItems } from '../test/support/faults';
import { optedOutNumbers } from '../test/support/opt-outs';
import { OUR_NUMBER, startBenchStack } from './stack';

const STOPS = 2_000;
const CONCURRENCY = 64;
const SHARDS = 16;
const PER_MAP_PER_SECOND = 20;

interface Storm {
  seconds: number;
  lost: number;
  secondChances: number;
}

async function storm(faults: boolean): Promise<Storm> {
  const stack = await startBenchStack({ sandbox: { syncWriteLimit: { perSecond: PER_MAP_PER_SECOND, burstSeconds: 10 } } });
  const { sandbox, client } = stack;
  const quiet = console.warn;
  console.warn = () => undefined;
  try {
    await bindNumber(client, OUR_NUMBER, stack.functions.url);
    if (faults) await addFault(sandbox.url, { method: 'POST', pathPattern: syncItems(), status: 500, code: 20500, rate: 0.1, seed: 2_000 });
    const senders = Array.from({ length: STOPS }, (_, i) => `+44207946${String(i).padStart(4, '0')}`);
    let next = 0;
    let secondChances = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < senders.length) {
          const from = senders[next++];
          const response = await fetch(`${sandbox.url}/_sandbox/phone/sms`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ from, to: OUR_NUMBER, body: 'STOP' }),
          });
          const result = (await response.json()) as { redirects?: unknown[]; fallback?: unknown };
          if (result.redirects?.length || result.fallback) secondChances += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const recorded = await optedOutNumbers(client);
    return { seconds, lost: senders.filter((number) => !recorded.has(number)).length, secondChances };
  } finally {
    console.warn = quiet;
    await stack.close();
  }
}

export async function run(): Promise<void> {
  const ceiling = PER_MAP_PER_SECOND * SHARDS;
  const calm = await storm(false);
  const faulty = await storm(true);
  console.log(
    `stop-storm: ${STOPS} STOPs, ${CONCURRENCY} at a time, Sync limit ${PER_MAP_PER_SECOND} writes/s per map × ${SHARDS} shards = ${ceiling}/s`,
  );
  for (const [label, result] of [
    ['no faults       ', calm],
    ['10 % Sync 500s  ', faulty],
  ] as const) {
    const rate = STOPS / result.seconds;
    console.log(
      `  ${label} ${rate.toFixed(0).padStart(4)} STOPs/s  (${(rate / ceiling).toFixed(2)} of the ceiling)  lost ${result.lost}  through a second chance ${result.secondChances}`,
    );
  }
}
