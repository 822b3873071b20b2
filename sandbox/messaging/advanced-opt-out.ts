/**
 * Advanced Opt-Out: a Messaging Service's own keywords and replies for opt-out, opt-in and help
 * (Twilio support, "Getting Started with Advanced Opt-Out for Messaging Services",
 * https://support.twilio.com/hc/en-us/articles/360034798533): "Add additional keywords for
 * opt-out, opt-in and help messages; Customize your reply messages for keywords … these customized
 * opt-out settings will automatically be used in response to any keyword messages received to the
 * short code and long code numbers associated with the Messaging Service", and the webhook gets
 * them "with an extra parameter OptOutType, which will indicate whether the message is a STOP, HELP
 * or START message". Twilio configures it in the Console only (no REST resource in
 * twilio_messaging_v1.json), so the sandbox takes it on its control plane
 * (`POST /_sandbox/messaging/advanced-opt-out`).
 */

export type OptOutType = 'STOP' | 'START' | 'HELP';

/** One keyword group: extra keywords (upper case) and the reply Twilio sends to them. */
export interface KeywordGroup {
  keywords: string[];
  reply?: string;
}

export interface AdvancedOptOutConfig {
  optOut?: KeywordGroup;
  optIn?: KeywordGroup;
  help?: KeywordGroup;
}

const GROUPS: ReadonlyArray<[keyof AdvancedOptOutConfig, OptOutType]> = [
  ['optOut', 'STOP'],
  ['optIn', 'START'],
  ['help', 'HELP'],
];

/** Each Messaging Service's Advanced Opt-Out settings (none: Twilio's defaults only). */
export class AdvancedOptOutStore {
  private readonly byService = new Map<string, AdvancedOptOutConfig>();

  set(serviceSid: string, config: AdvancedOptOutConfig): void {
    const upper = (group: KeywordGroup | undefined): KeywordGroup | undefined =>
      group && { keywords: group.keywords.map((k) => k.trim().toUpperCase()), ...(group.reply ? { reply: group.reply } : {}) };
    this.byService.set(serviceSid, { optOut: upper(config.optOut), optIn: upper(config.optIn), help: upper(config.help) });
  }

  get(serviceSid: string): AdvancedOptOutConfig | undefined {
    return this.byService.get(serviceSid);
  }

  /** The first of `serviceSids` with Advanced Opt-Out on, and its settings. */
  configOf(serviceSids: readonly string[]): AdvancedOptOutConfig | undefined {
    for (const sid of serviceSids) {
      const config = this.byService.get(sid);
      if (config) return config;
    }
    return undefined;
  }

  all(): Array<{ serviceSid: string } & AdvancedOptOutConfig> {
    return [...this.byService.entries()].map(([serviceSid, config]) => ({ serviceSid, ...config }));
  }
}

/** The type of a custom keyword (`word` already upper case, trimmed of punctuation), or `null`. */
export function customKeywordType(config: AdvancedOptOutConfig, word: string): OptOutType | null {
  for (const [group, type] of GROUPS) if (config[group]?.keywords.includes(word)) return type;
  return null;
}

/** The service's own reply to a keyword of `type`, when it set one. */
export function customReply(config: AdvancedOptOutConfig, type: OptOutType): string | undefined {
  return GROUPS.map(([group, t]) => (t === type ? config[group]?.reply : undefined)).find((reply) => reply !== undefined);
}
