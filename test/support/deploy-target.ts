import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox';
import { ROOT_DIR } from '../../local/layout';
import { sandboxProxyEnv } from '../../local/sandbox-deploy';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';
import { httpsViaProxy } from './https-via-proxy';

/** A sandbox to deploy to, as a real account would be: its proxy and CA, and an env file to deploy. */
export interface DeployTarget {
  sandbox: Sandbox;
  /** twilio-node for the account, through the sandbox seam (for the test's own reads). */
  client: TwilioClient;
  accountSid: string;
  authToken: string;
  apiToken: string;
  number: string;
  /** `.env.deploy` for this account: what the deployed service's Variables come from. */
  envFile: string;
  /** The environment of a tool that reaches the sandbox as Twilio: HTTP_PROXY and NODE_EXTRA_CA_CERTS. */
  proxyEnv: NodeJS.ProcessEnv;
  /** An HTTPS request through the proxy, trusting the sandbox's CA only. */
  viaProxy(url: string, options?: Parameters<typeof httpsViaProxy>[3]): ReturnType<typeof httpsViaProxy>;
  close(): Promise<void>;
}

/** twilio-run keeps the SIDs it deployed in .twiliodeployinfo, keyed by account: this account's are removed. */
function forgetDeployInfo(accountSid: string): void {
  const file = path.join(ROOT_DIR, '.twiliodeployinfo');
  if (!existsSync(file)) return;
  const info = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const key of Object.keys(info)) if (key.startsWith(accountSid)) delete info[key];
  if (Object.keys(info).length === 0) rmSync(file);
  else writeFileSync(file, JSON.stringify(info, null, 2));
}

/**
 * A sandbox with an account like a real one (not the sandbox's public test values), random per
 * run so that twilio-run's deploy cache never meets a stale SID.
 */
export async function startDeployTarget({ caDir }: { caDir?: string } = {}): Promise<DeployTarget> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const apiToken = randomBytes(32).toString('base64url');
  const number = '+15005550006';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-target-'));
  const sandbox = await startSandbox({ accountSid, authToken, phoneNumbers: [number], proxy: { caDir: caDir ?? dir } });
  const ca = readFileSync(sandbox.caPath ?? '', 'utf8');
  const envFile = path.join(dir, '.env.deploy');
  writeFileSync(
    envFile,
    [
      `ACCOUNT_SID=${accountSid}`,
      `AUTH_TOKEN=${authToken}`,
      `API_TOKEN=${apiToken}`,
      `TWILIO_PHONE_NUMBER=${number}`,
      'SYNC_SERVICE_SID=default',
      'ALLOWED_COUNTRIES=US',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    sandbox,
    client: createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url }),
    accountSid,
    authToken,
    apiToken,
    number,
    envFile,
    // The checks of .twilioserverlessrc.js run for real; an Auth-Token deploy is allowed explicitly.
    proxyEnv: {
      ...sandboxProxyEnv(sandbox.url, sandbox.caPath),
      TWILIO_COMMS_ALLOW_AUTH_TOKEN: '1',
      TWILIO_COMMS_PREFLIGHT: '',
      CI: 'true',
    },
    viaProxy: (url, options) => httpsViaProxy(sandbox.url, ca, url, options),
    close: async () => {
      forgetDeployInfo(accountSid);
      await sandbox.settled();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
