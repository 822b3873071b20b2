// npm run tour: with `npm start` running, drive the sandbox with the real twilio-node client —
// send a message and receive its signed status callbacks, hit each test magic number's error,
// and round-trip Sync map items. Prints what happened; exits non-zero if anything is off.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateRequest } from 'twilio';
import { createTwilioClient } from '../src/lib/twilio/client';
import { isTwilioRestError } from '../src/lib/errors/twilio-errors';
import { ENV_FILE, readEnvFile } from '../local/env-file';

export interface TourOptions {
  sandboxUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

export interface TourReport {
  messageSid: string;
  /** Statuses received by the callback URL, in order, each with whether its signature was valid. */
  callbacks: Array<{ status: string; validSignature: boolean }>;
  /** Magic recipient → the Twilio error code it produced. */
  magicErrors: Record<string, number | undefined>;
  sync: { created: unknown; updated: unknown; staleWriteCode?: number; afterDelete?: number };
}

export const MAGIC_RECIPIENTS = ['+15005550001', '+15005550002', '+15005550003', '+15005550004', '+15005550009'];

/** A local URL that records Twilio's status callbacks and checks their signatures. */
async function callbackReceiver(authToken: string) {
  const received: TourReport['callbacks'] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const url = `http://${request.headers.host}${request.url}`;
      const signature = String(request.headers['x-twilio-signature'] ?? '');
      received.push({ status: params.MessageStatus, validSignature: validateRequest(authToken, signature, url, params) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, received, close };
}

async function codeOf(attempt: Promise<unknown>): Promise<number | undefined> {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    if (isTwilioRestError(error)) return error.code;
    throw error;
  }
}

export async function runSandboxTour(options: TourOptions): Promise<TourReport> {
  const client = createTwilioClient(options);
  const receiver = await callbackReceiver(options.authToken);
  try {
    const message = await client.messages.create({
      to: '+14155550142',
      from: options.from,
      body: 'Hello from the sandbox tour',
      statusCallback: receiver.url,
    });
    for (let waited = 0; !receiver.received.some((c) => c.status === 'delivered') && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const magicErrors: TourReport['magicErrors'] = {};
    for (const to of MAGIC_RECIPIENTS) {
      magicErrors[to] = await codeOf(client.messages.create({ to, from: options.from, body: 'magic' }));
    }

    const sync = client.sync.v1.services('default');
    const map = await sync.syncMaps.create({ uniqueName: `tour-${Date.now()}` });
    const items = sync.syncMaps(map.sid).syncMapItems;
    const created = await items.create({ key: 'greeting', data: { text: 'hello' } });
    const updated = await items('greeting').update({ data: { text: 'hello again' }, ifMatch: created.revision });
    const staleWriteCode = await codeOf(items('greeting').update({ data: { text: 'stale' }, ifMatch: created.revision }));
    await items('greeting').remove();
    const afterDelete = await codeOf(items('greeting').fetch());
    await sync.syncMaps(map.sid).remove();

    return {
      messageSid: message.sid,
      callbacks: [...receiver.received],
      magicErrors,
      sync: { created: created.data, updated: updated.data, staleWriteCode, afterDelete },
    };
  } finally {
    await receiver.close();
  }
}

if (require.main === module) {
  const env = readEnvFile(ENV_FILE);
  if (!env.TWILIO_SANDBOX_URL) {
    console.error('The tour runs against the sandbox: set TWILIO_SANDBOX_URL in .env and run `npm start` first.');
    process.exit(1);
  }
  runSandboxTour({
    sandboxUrl: env.TWILIO_SANDBOX_URL,
    accountSid: env.ACCOUNT_SID ?? '',
    authToken: env.AUTH_TOKEN ?? '',
    from: env.TWILIO_PHONE_NUMBER ?? '+15005550006',
  }).then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(`tour failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
