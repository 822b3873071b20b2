// Why the stores shard: the same burst of opt-out writes into one Sync map vs spread over 16,
// against the sandbox with Sync's write limit (20/s per map, 10 s burst) on. Prints the ratio.
import { startSandbox } from '../sandbox';
import { Deadline } from '../src/lib/runtime/deadline';
import { ConsentStore } from '../src/lib/stores/consent';
import { SyncMapStore } from '../src/lib/stores/sync-map-store';
import { createTwilioClient } from '../src/lib/twilio/client';

const WRITES = 400;
const CONCURRENCY = 50;
const accountSid = 'AC' + '0'.repeat(32);
const authToken = 'bench'.padEnd(32, '0');

async function burst(shards: number): Promise<{ ms: number; failed: number }> {
  const sandbox = await startSandbox({ accountSid, authToken, syncWriteLimit: { perSecond: 20, burstSeconds: 10 } });
  try {
    const client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
    const numbers = Array.from({ length: WRITES }, (_, i) => `+44207946${String(i).padStart(4, '0')}`);
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < numbers.length) {
          const number = numbers[next++];
          // Each write gets a Function's budget, as one STOP webhook would.
          const store = new ConsentStore(
            new SyncMapStore(client, { service: 'default', name: 'optouts', shards, deadline: Deadline.in(9_000) }),
          );
          await store.optOut('sms', number, 'keyword', 'STOP').catch(() => (failed += 1));
        }
      }),
    );
    return { ms: performance.now() - started, failed };
  } finally {
    await sandbox.close();
  }
}

export async function run(): Promise<void> {
  const single = await burst(1);
  const sharded = await burst(16);
  console.log(`sync-sharding: ${WRITES} opt-out writes, ${CONCURRENCY} at a time, Sync limit 20 writes/s per map`);
  console.log(`  1 map    ${single.ms.toFixed(0).padStart(6)} ms  ${single.failed} lost to the 9 s budget`);
  console.log(`  16 maps  ${sharded.ms.toFixed(0).padStart(6)} ms  ${sharded.failed} lost to the 9 s budget`);
  console.log(`  ratio (1 map / 16 maps): ${(single.ms / sharded.ms).toFixed(1)}x`);
}
