// npm start: the Functions on the local edge (Twilio's rules: signatures, visibility, 10 s; one port) and, unless
// real credentials are configured, the local Twilio sandbox beside them (its port also the HTTPS proxy for Twilio's hosts).
import path from 'node:path';
import { maskSecret } from '../src/lib/logging/redact';
import { bindNumber, bindSandboxWhatsApp } from '../local/bind';
import { flag, portFrom } from '../local/cli-args';
import { clientFor, startSandboxFor } from '../local/env-sandbox';
import { envFileReports } from '../local/env-check';
import { ENV_FILE, ensureEnvFile, readEnvFile } from '../local/env-file';
import { refuseTakenPort, startLocalFunctions } from '../local/functions-server';
import { keepServingThroughStrayErrors } from '../local/stray-errors';
import { provisionFor } from '../local/provision';
import { defaultConversationsService, provisionConversations } from '../local/conversations';

async function main(): Promise<void> {
  // The Functions run in this process: one that throws outside its request must not end it (local/stray-errors.ts).
  keepServingThroughStrayErrors();
  const envFile = flag(process.argv, 'env-file') ?? ENV_FILE;
  if (ensureEnvFile(envFile)) console.log(`Created ${envFile} from .env.example (sandbox defaults, new API_TOKEN).`);
  const env = readEnvFile(envFile);
  const { warnings, refusal } = envFileReports(env, envFile);
  for (const warning of warnings) console.warn(warning);
  if (refusal) {
    console.error(`npm start refused: ${refusal}`);
    process.exit(1);
  }
  const port = portFrom(flag(process.argv, 'port'), 3000);
  // A taken port is known at once: say so before the sandbox starts or Sync is provisioned over the network.
  await refuseTakenPort(port);
  const closers: Array<() => Promise<void>> = [];

  let sandboxUrl: string | undefined;
  let sandboxMessagingService: string | undefined;
  let sandboxVerifyService: string | undefined;
  let sandboxCa: string | undefined;
  if (env.TWILIO_SANDBOX_URL) {
    const sandbox = await startSandboxFor(env);
    closers.push(() => sandbox.close());
    sandboxUrl = env.TWILIO_SANDBOX_URL.replace(/\/+$/, '');
    sandboxMessagingService = sandbox.messagingServiceSid;
    sandboxVerifyService = sandbox.verifyServiceSid;
    sandboxCa = sandbox.caPath && path.relative(process.cwd(), sandbox.caPath);
    // Verify needs a service: in the sandbox, its own one unless .env names another.
    env.VERIFY_SERVICE_SID ??= sandbox.verifyServiceSid;
    // Conversations too: the sandbox's default service unless .env names another (CONVERSATIONS_NUMBER is its second number).
    if (env.CONVERSATIONS_NUMBER) env.CONVERSATIONS_SERVICE_SID ??= await defaultConversationsService(clientFor(env));
  }

  // The Sync maps exist before the first request, so no route creates one on its way (npm run provision).
  try {
    // Conversations is provisioned below, once this server's URL is known.
    console.log(await provisionFor(clientFor(env), env, undefined, { conversations: false }));
  } catch (error) {
    console.warn(
      `Sync maps not provisioned (${error instanceof Error ? error.message : String(error)}); the stores create them on first use.`,
    );
  }

  const functions = await startLocalFunctions({ port, env, publicUrl: env.PUBLIC_BASE_URL, logs: true });
  closers.push(() => functions.close());

  const lines = [
    '',
    `  Functions  ${functions.url}        try: curl ${functions.url}/health`,
    `  API token  ${maskSecret(env.API_TOKEN)} (API_TOKEN in .env; send "Authorization: Bearer <API_TOKEN>")`,
  ];
  if (sandboxUrl) {
    const client = clientFor(env);
    const bound = env.TWILIO_PHONE_NUMBER ? await bindNumber(client, env.TWILIO_PHONE_NUMBER, functions.url) : {};
    const whatsapp = env.TWILIO_PHONE_NUMBER ? await bindSandboxWhatsApp(sandboxUrl, env.TWILIO_PHONE_NUMBER, functions.url) : undefined;
    // Autocreation on CONVERSATIONS_NUMBER and the service's webhooks at this server's /conversations/events.
    const conversations = await provisionConversations(client, env, functions.url);
    lines.push(
      `  Sandbox    ${sandboxUrl}        the local Twilio (REST API, Sync, a phone to text your number)`,
      `  Console    ${sandboxUrl}/       open in a browser: text and call your number, watch callbacks and Sync`,
      `  Number     ${env.TWILIO_PHONE_NUMBER ?? '(TWILIO_PHONE_NUMBER not set)'}${bound.smsUrl ? `  SMS → ${bound.smsUrl}` : ''}${whatsapp ? `  WhatsApp → ${whatsapp}` : ''}`,
      `  Messaging  ${env.MESSAGING_SERVICE_SID ?? `sandbox service ${sandboxMessagingService} (set MESSAGING_SERVICE_SID to use it)`}`,
      `  Verify     ${env.VERIFY_SERVICE_SID}${env.VERIFY_SERVICE_SID === sandboxVerifyService ? " (the sandbox's own service)" : ''}`,
      `  Convers.   ${conversations.length > 0 ? `${env.CONVERSATIONS_NUMBER} → service ${env.CONVERSATIONS_SERVICE_SID} (text it from the console: a thread opens)` : '(off: set CONVERSATIONS_NUMBER)'}`,
      `  Deploy     npm run deploy -- --sandbox      the real deploy (twilio-run), to this sandbox's edge at *.twil.io`,
      `  As Twilio  HTTP_PROXY=${sandboxUrl} NODE_EXTRA_CA_CERTS=${sandboxCa ?? '.sandbox/ca.pem'}   (any Twilio SDK or the Twilio CLI)`,
      '',
      '  SANDBOX MODE: no real message or call leaves this machine. Put real credentials in .env and',
      '  remove TWILIO_SANDBOX_URL to use real Twilio.',
    );
  } else {
    lines.push(
      '',
      '  REAL TWILIO: messages and calls are real and billed to your account.',
      `  Webhooks reach this machine only through a public URL (PUBLIC_BASE_URL=${env.PUBLIC_BASE_URL ?? 'not set'}).`,
    );
  }
  console.log(lines.join('\n') + '\n');

  const stop = () => {
    void Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
