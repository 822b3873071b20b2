/** The sandbox and local Functions started once for the whole run by global-setup.ts. */
export const TEST_ACCOUNT_SID = 'AC' + '0'.repeat(32);
export const TEST_AUTH_TOKEN = 'sandboxauthtokennotasecret000000';
export const TEST_API_TOKEN = 'test-api-token-'.padEnd(48, 'x');
/** Twilio's magic "valid sender" number, owned by the sandbox account. */
export const TEST_PHONE_NUMBER = '+15005550006';
/** The sign-up page origin the tests' Functions allow. */
export const TEST_ORIGIN = 'https://app.example';

/** What tests need to know of a running sandbox. */
export interface SandboxRef {
  url: string;
  verifyServiceSid: string;
}

export interface Stack {
  functionsUrl: string;
  sandboxUrl: string;
  sandbox: SandboxRef;
}

/** Reads what global-setup published for the test workers. */
export function stack(): Stack {
  const functionsUrl = process.env.TEST_FUNCTIONS_URL;
  const sandboxUrl = process.env.TEST_SANDBOX_URL;
  const verifyServiceSid = process.env.TEST_VERIFY_SERVICE_SID;
  if (!functionsUrl || !sandboxUrl || !verifyServiceSid) throw new Error('the test stack is not running (global-setup did not run)');
  return { functionsUrl, sandboxUrl, sandbox: { url: sandboxUrl, verifyServiceSid } };
}

/** The variables the Functions see in tests, as `.env` would give them. */
export function functionsEnv(sandbox: SandboxRef): Record<string, string> {
  return {
    ACCOUNT_SID: TEST_ACCOUNT_SID,
    AUTH_TOKEN: TEST_AUTH_TOKEN,
    API_TOKEN: TEST_API_TOKEN,
    TWILIO_SANDBOX_URL: sandbox.url,
    TWILIO_PHONE_NUMBER: TEST_PHONE_NUMBER,
    SYNC_SERVICE_SID: 'default',
    VERIFY_SERVICE_SID: sandbox.verifyServiceSid,
    VERIFY_CHANNELS: 'sms,call,whatsapp,email',
    ALLOWED_ORIGINS: TEST_ORIGIN,
    // The tests reach the US and UK, and Cuba to see Verify's own geo refusal (60605); the default
    // (TWILIO_PHONE_NUMBER's country only) is tested with ALLOWED_COUNTRIES=''.
    ALLOWED_COUNTRIES: 'US,GB,CU',
  };
}
