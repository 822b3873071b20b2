// npm run bind [-- <base URL>]: point TWILIO_PHONE_NUMBER's SMS and Voice webhooks at this service, and
// Conversations' webhooks (CONVERSATIONS_SERVICE_SID) at /conversations/events.
// The base URL defaults to PUBLIC_BASE_URL; use your Service domain (https://<name>.twil.io) once deployed
// (to Twilio, or to the sandbox with npm run deploy -- --sandbox, which prints it).
import { clientFor } from '../local/env-sandbox';
import { bindNumber, bindSandboxWhatsApp } from '../local/bind';
import { ENV_FILE, readEnvFile } from '../local/env-file';
import { provisionConversations } from '../local/conversations';

async function main(): Promise<void> {
  const env = readEnvFile(ENV_FILE);
  const baseUrl = process.argv[2] ?? env.PUBLIC_BASE_URL;
  if (!baseUrl) throw new Error('give the base URL: npm run bind -- https://<your-service>.twil.io (or set PUBLIC_BASE_URL)');
  if (!env.ACCOUNT_SID || !env.TWILIO_PHONE_NUMBER) throw new Error('set ACCOUNT_SID and TWILIO_PHONE_NUMBER in .env');
  const client = clientFor(env);
  const bound = await bindNumber(client, env.TWILIO_PHONE_NUMBER, baseUrl);
  // In the sandbox, the number's WhatsApp sender too (on Twilio it is set on the sender in the Console).
  const whatsapp = env.TWILIO_SANDBOX_URL ? await bindSandboxWhatsApp(env.TWILIO_SANDBOX_URL, env.TWILIO_PHONE_NUMBER, baseUrl) : undefined;
  const lines = Object.entries({ ...bound, ...(whatsapp ? { whatsapp } : {}) }).map(([field, url]) => `  ${field} → ${url}`);
  console.log(lines.length ? `Bound ${env.TWILIO_PHONE_NUMBER}:\n${lines.join('\n')}` : 'No webhook routes are built yet; nothing bound.');
  // Conversations (when CONVERSATIONS_SERVICE_SID and CONVERSATIONS_NUMBER are set): autocreation and the service webhooks.
  for (const line of await provisionConversations(client, env, baseUrl)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(`npm run bind failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
