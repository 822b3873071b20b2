/** The environment variables a Function sees (from `.env` locally, Service variables when deployed). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The runtime context of one invocation, typed to what the product reads. */
export interface RuntimeContext extends Env {
  readonly DOMAIN_NAME?: string;
  readonly PATH?: string;
}

export interface Settings {
  accountSid?: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Set when the product talks to the local sandbox instead of Twilio. */
  sandboxUrl?: string;
  /** Bearer token for API actions. */
  apiToken?: string;
  /** The account's sending number (E.164). */
  phoneNumber?: string;
  /** Sync service SID or unique name holding the product's maps. */
  syncServiceSid: string;
  /** Absolute base URL Twilio uses to reach these Functions (for callback URLs). */
  publicBaseUrl: string;
}

const text = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** Where Twilio reaches this service: PUBLIC_BASE_URL, else the Service's own domain. */
export function publicBaseUrl(context: RuntimeContext): string {
  const configured = text(context.PUBLIC_BASE_URL);
  if (configured) return configured.replace(/\/+$/, '');
  const domain = text(context.DOMAIN_NAME) ?? 'localhost:3000';
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(domain);
  return `${local ? 'http' : 'https'}://${domain}`;
}

/** Reads every setting in one place; routes never read `context.X` themselves. */
export function readSettings(context: RuntimeContext): Settings {
  return {
    accountSid: text(context.ACCOUNT_SID),
    authToken: text(context.AUTH_TOKEN),
    apiKey: text(context.API_KEY),
    apiSecret: text(context.API_SECRET),
    sandboxUrl: text(context.TWILIO_SANDBOX_URL),
    apiToken: text(context.API_TOKEN),
    phoneNumber: text(context.TWILIO_PHONE_NUMBER),
    syncServiceSid: text(context.SYNC_SERVICE_SID) ?? 'default',
    publicBaseUrl: publicBaseUrl(context),
  };
}
