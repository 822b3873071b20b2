// What the product itself costs beside Twilio's round trips: the route wrapper against an empty
// Function in the same runtime, cold start against requiring `twilio` alone, and the asset's size.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { getExpectedTwilioSignature } from 'twilio';
import { startLocalFunctions } from '../../local/functions-server';
import { FUNCTIONS_DIR, ROOT_DIR, SHARED_ASSET, SHARED_ASSET_FILE } from '../../local/layout';
import { ACCOUNT_SID, AUTH_TOKEN, OUR_NUMBER } from '../stack';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The smallest webhook there is: answers empty TwiML, touches nothing. */
const EMPTY_FUNCTION = 'exports.handler = (context, event, callback) => callback(null, new Twilio.twiml.MessagingResponse());\n';

export interface HandlerOverhead {
  /** p50 of a signed POST /sms/incoming "HELP" (the wrapper, settings, parsing, TwiML; no Twilio request). */
  wrapperMs: number;
  /** p50 of the same signed POST to an empty Function. */
  emptyMs: number;
  requests: number;
}

/**
 * Both Functions served by one local runtime (gateway and signature check included), called in
 * turn. HELP is answered by Twilio's own keyword handling by default, so the route makes no
 * Twilio request: the difference is the wrapper's own work.
 */
export async function measureHandlerOverhead(requests = 400): Promise<HandlerOverhead> {
  const folder = mkdtempSync(path.join(ROOT_DIR, 'dist', 'bench-functions-'));
  mkdirSync(path.join(folder, 'sms'));
  copyFileSync(path.join(FUNCTIONS_DIR, 'sms', 'incoming.protected.js'), path.join(folder, 'sms', 'incoming.protected.js'));
  writeFileSync(path.join(folder, 'empty.protected.js'), EMPTY_FUNCTION);
  const functions = await startLocalFunctions({
    port: 0,
    env: { ACCOUNT_SID, AUTH_TOKEN, TWILIO_PHONE_NUMBER: OUR_NUMBER, SYNC_SERVICE_SID: 'default' },
    functionsFolder: path.relative(ROOT_DIR, folder),
  });
  const params = { MessageSid: 'SM' + '1'.repeat(32), From: '+12025550142', To: OUR_NUMBER, Body: 'HELP', NumMedia: '0' };
  const call = async (route: string): Promise<number> => {
    const url = `${functions.url}${route}`;
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`${route} answered ${response.status}`);
    return performance.now() - started;
  };
  try {
    const wrapper: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < 50; i += 1) await Promise.all([call('/sms/incoming'), call('/empty')]);
    for (let i = 0; i < requests; i += 1) {
      wrapper.push(await call('/sms/incoming'));
      empty.push(await call('/empty'));
    }
    return { wrapperMs: median(wrapper), emptyMs: median(empty), requests };
  } finally {
    await functions.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface ColdStart {
  /** Median time to require dist/functions/sms/send.js in a fresh process (it loads the asset, which loads twilio). */
  functionMs: number;
  /** Median time to require twilio in a fresh process. */
  twilioMs: number;
  runs: number;
}

function timeRequireInFreshProcess(setup: string, target: string): number {
  const script = `${setup}\nconst t = performance.now(); require(${JSON.stringify(target)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT_DIR, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold start measurement failed: ${child.stderr}`);
  return Number(child.stdout);
}

export function measureColdStart(runs = 7): ColdStart {
  const runtime = `globalThis.Runtime = { getAssets: () => ({ ${JSON.stringify(SHARED_ASSET)}: { path: ${JSON.stringify(SHARED_ASSET_FILE)} } }) };`;
  const fn: number[] = [];
  const twilio: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    fn.push(timeRequireInFreshProcess(runtime, path.join(FUNCTIONS_DIR, 'sms', 'send.js')));
    twilio.push(timeRequireInFreshProcess('', require.resolve('twilio', { paths: [ROOT_DIR] })));
  }
  return { functionMs: median(fn), twilioMs: median(twilio), runs };
}

export function sharedAssetSize(): { bytes: number; gzipBytes: number } {
  const content = readFileSync(SHARED_ASSET_FILE);
  return { bytes: content.length, gzipBytes: gzipSync(content).length };
}
