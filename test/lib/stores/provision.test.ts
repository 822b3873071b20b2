import { startSandbox, type Sandbox } from '../../../sandbox';
import { provisionSyncMaps, syncMapNames } from '../../../src/lib/stores/provision';
import { createTwilioClient } from '../../../src/lib/twilio/client';
import type { TwilioClient } from '../../../src/lib/twilio/sdk';

const accountSid = 'AC' + '0'.repeat(32);
const authToken = 'provision-test-token';

let sandbox: Sandbox;
let client: TwilioClient;

beforeAll(async () => {
  sandbox = await startSandbox({ accountSid, authToken });
  client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
});
afterAll(() => sandbox.close());

test('the map names follow the stores’ layout: every shard of every store', () => {
  const names = syncMapNames(client, 'default');
  expect(names).toContain('optouts-0');
  expect(names).toContain('optouts-15');
  expect(names).not.toContain('optouts-16');
  expect(names).toContain('voicemails');
  expect(new Set(names).size).toBe(names.length);
});

test('creates the missing maps once; a second run creates none', async () => {
  await client.sync.v1.services('default').syncMaps.create({ uniqueName: 'optouts-3' });
  const first = await provisionSyncMaps(client, 'default');
  const all = syncMapNames(client, 'default');
  expect(first.created).toHaveLength(all.length - 1);
  expect(first.created).not.toContain('optouts-3');
  expect(await provisionSyncMaps(client, 'default')).toEqual({ created: [], existing: all.length });
  const listed = await client.sync.v1.services('default').syncMaps.list({ pageSize: 1000 });
  expect(listed.map((map) => map.uniqueName).sort()).toEqual(all);
});
