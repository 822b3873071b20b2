// STOP throughput under Sync's write limit, and what is lost: 2,000 people text STOP at once
// through the sandbox's phone (which follows our <Redirect>s and the fallback URL as Twilio does),
// with Sync's write limit on (20 writes/s per map, 10 s burst), once with no faults and once with
// 10 % of Sync writes answering 500. The ceiling is 20/s × the opt-out store's 16 shards.
import { bindNumber } from '../local/bind';
import { startLocalFunctions } from '../local/functions-server';
import { startSandbox } from '../sandbox';
import { createTwilioClient } from '../src/lib/twilio/client';

const STOPS = 2_000;
const CONCURRENCY = 64;
const SHARDS = 16;
const PER_MAP_PER_SECOND = 20;
const accountSid = 'AC' + '0'.repeat(32);
const authToken = 'bench'.padEnd(32, '0');
const phoneNumber = '+15005550006';

interface Storm {
  seconds: number;
  lost: number;
  secondChances: number;
}

async function storm(faults: boolean): Promise<Storm> {
  const sandbox = await startSandbox({
    accountSid,
    authToken,
    phoneNumbers: [phoneNumber],
    syncWriteLimit: { perSecond: PER_MAP_PER_SECOND, burstSeconds: 10 },
  });
  const functions = await startLocalFunctions({
    port: 0,
    env: {
      ACCOUNT_SID: accountSid,
      AUTH_TOKEN: authToken,
      API_TOKEN: 'b'.repeat(48),
      TWILIO_SANDBOX_URL: sandbox.url,
      TWILIO_PHONE_NUMBER: phoneNumber,
      SYNC_SERVICE_SID: 'default',
    },
  });
  const quiet = console.warn;
  console.warn = () => undefined;
  try {
    const client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
    await bindNumber(client, phoneNumber, functions.url);
    if (faults) {
      await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          method: 'POST',
          pathPattern: '/sync/v1/Services/[^/]+/Maps/[^/]+/Items',
          status: 500,
          code: 20500,
          rate: 0.1,
          seed: 2_000,
        }),
      });
    }
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
            body: JSON.stringify({ from, to: phoneNumber, body: 'STOP' }),
          });
          const result = (await response.json()) as { redirects?: unknown[]; fallback?: unknown };
          if (result.redirects?.length || result.fallback) secondChances += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const service = client.sync.v1.services('default');
    const maps = (await service.syncMaps.list({ limit: 100 })).filter((map) => map.uniqueName.startsWith('optouts'));
    const items = (await Promise.all(maps.map((map) => service.syncMaps(map.sid).syncMapItems.list({ pageSize: 1000 })))).flat();
    const recorded = new Set(items.filter((item) => (item.data as { optedOut?: boolean }).optedOut).map((item) => item.key));
    return { seconds, lost: senders.filter((number) => !recorded.has(number)).length, secondChances };
  } finally {
    console.warn = quiet;
    await sandbox.settled().catch(() => undefined);
    await functions.close();
    await sandbox.close();
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
