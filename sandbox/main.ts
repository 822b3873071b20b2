/**
 * `npm run sandbox`: runs the local Twilio sandbox from environment variables until SIGINT or
 * SIGTERM. ACCOUNT_SID and AUTH_TOKEN are required; API_KEY/API_SECRET, TWILIO_PHONE_NUMBER
 * (comma-separated for several), MESSAGING_SERVICE_SID and VERIFY_SERVICE_SID (the services to
 * seed, so one `.env` serves the sandbox and the Functions), SANDBOX_PORT (default: the port of
 * TWILIO_SANDBOX_URL, else 3001) and SANDBOX_MESSAGING_THROUGHPUT (`enforced`, the default here:
 * senders send at Twilio's MPS; `off`: at once) are optional.
 * The port is also an HTTPS proxy for Twilio's hosts, with its CA in `.sandbox/` of the current directory.
 */
import path from 'node:path';
import { startSandbox } from './index';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`sandbox: ${name} is required\n`);
    process.exit(2);
  }
  return value;
}

/** The port a URL names, or its scheme's default: where the Functions' `.env` expects the sandbox. */
function portOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const {
    API_KEY,
    API_SECRET,
    TWILIO_PHONE_NUMBER,
    MESSAGING_SERVICE_SID,
    VERIFY_SERVICE_SID,
    TWILIO_SANDBOX_URL,
    SANDBOX_PORT = TWILIO_SANDBOX_URL ? portOf(TWILIO_SANDBOX_URL) : undefined,
    SANDBOX_VERBOSE,
    SANDBOX_MESSAGING_THROUGHPUT = 'enforced',
  } = process.env;
  if (SANDBOX_MESSAGING_THROUGHPUT !== 'enforced' && SANDBOX_MESSAGING_THROUGHPUT !== 'off') {
    process.stderr.write(`sandbox: SANDBOX_MESSAGING_THROUGHPUT must be enforced or off, got ${SANDBOX_MESSAGING_THROUGHPUT}\n`);
    process.exit(2);
  }
  const port = SANDBOX_PORT ? Number(SANDBOX_PORT) : 3001;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`sandbox: SANDBOX_PORT must be a port number, got ${SANDBOX_PORT}\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox({
    accountSid: required('ACCOUNT_SID'),
    authToken: required('AUTH_TOKEN'),
    apiKeys: API_KEY && API_SECRET ? [{ sid: API_KEY, secret: API_SECRET }] : [],
    phoneNumbers: TWILIO_PHONE_NUMBER
      ? TWILIO_PHONE_NUMBER.split(',')
          .map((n) => n.trim())
          .filter(Boolean)
      : undefined,
    ...(MESSAGING_SERVICE_SID ? { messagingServices: [{ sid: MESSAGING_SERVICE_SID }] } : {}),
    ...(VERIFY_SERVICE_SID ? { verifyServices: [{ sid: VERIFY_SERVICE_SID }] } : {}),
    port,
    // A sandbox run by hand behaves like Twilio: long codes send 1 segment/s (advance the clock to skip ahead).
    messagingThroughput: SANDBOX_MESSAGING_THROUGHPUT,
    // Unmodified Twilio SDKs and the Twilio CLI reach the sandbox through HTTP_PROXY (proxy/connect-proxy.ts).
    proxy: { caDir: path.resolve('.sandbox') },
    log: SANDBOX_VERBOSE ? (line) => process.stdout.write(`${line}\n`) : undefined,
  });
  process.stdout.write(`Twilio sandbox listening on ${sandbox.url}\n`);
  process.stdout.write(`Console (a phone, calls and an inspector in your browser): ${sandbox.consoleUrl}\n`);
  process.stdout.write(`Messaging Service (MESSAGING_SERVICE_SID): ${sandbox.messagingServiceSid}\n`);
  process.stdout.write(`Verify Service (VERIFY_SERVICE_SID): ${sandbox.verifyServiceSid}\n`);
  process.stdout.write(`Messaging throughput: ${SANDBOX_MESSAGING_THROUGHPUT} (SANDBOX_MESSAGING_THROUGHPUT=enforced|off)\n`);
  const caPath = path.relative(process.cwd(), sandbox.caPath ?? '');
  process.stdout.write(`Twilio SDKs and the Twilio CLI, unmodified (https://*.twilio.com only):\n`);
  process.stdout.write(`  Node:   HTTP_PROXY=${sandbox.proxyUrl} NODE_EXTRA_CA_CERTS=${caPath} <command>\n`);
  process.stdout.write(`  Python: HTTPS_PROXY=${sandbox.proxyUrl} REQUESTS_CA_BUNDLE=${caPath} <command>\n`);

  const stop = (signal: string): void => {
    process.stdout.write(`sandbox: ${signal}, closing\n`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sandbox: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
