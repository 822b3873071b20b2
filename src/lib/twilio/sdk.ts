import type TwilioSdk from 'twilio';

/**
 * The twilio helper library's exports (Twilio, RequestClient, twiml, validateRequest, ...).
 * A mapped type on purpose: the runtime's global is a plain object copy, not the callable module.
 */
export type Sdk = { [K in keyof typeof TwilioSdk]: (typeof TwilioSdk)[K] };
export type TwilioClient = TwilioSdk.Twilio;

/**
 * The Functions runtime (deployed and twilio-run alike) exposes the service's own `twilio`
 * dependency as the global `Twilio`, so the bundled asset resolves no module of its own.
 * Outside the runtime (scripts, unit tests) the same package is required normally.
 */
export function twilioSdk(): Sdk {
  const fromRuntime = (globalThis as unknown as { Twilio?: Sdk }).Twilio;
  return fromRuntime ?? (require('twilio') as Sdk);
}
