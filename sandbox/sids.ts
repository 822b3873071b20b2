import { randomBytes } from 'node:crypto';

/** Two-letter resource prefixes Twilio uses for the SIDs the sandbox mints. */
export type SidPrefix =
  | 'SM'
  | 'MM'
  | 'ME'
  | 'PN'
  | 'IS'
  | 'MP'
  | 'MG'
  | 'VA'
  | 'VE'
  | 'VL'
  | 'HX'
  | 'CA'
  | 'RE'
  | 'TR'
  | 'SC'
  // UsageTrigger (twilio_api_v2010.json, api.v2010.account.usage.usage_trigger: ^UT[0-9a-fA-F]{32}$).
  | 'UT'
  // Serverless (twilio_serverless_v1.json's sid patterns): Service, Environment, Function/Asset,
  // Version, Build, Deployment, Variable, Log; RQ is a Function invocation's request.
  | 'ZS'
  | 'ZE'
  | 'ZH'
  | 'ZN'
  | 'ZB'
  | 'ZD'
  | 'ZV'
  | 'NO'
  | 'RQ'
  // Conversations (twilio_conversations_v1.json's sid patterns): Conversation, Participant, Message,
  // delivery Receipt, conversation-scoped Webhook, Address Configuration (the Service is IS).
  | 'CH'
  | 'MB'
  | 'IM'
  | 'DY'
  | 'WH'
  | 'IG'
  // Messaging v1 compliance (twilio_messaging_v1.json): a US A2P campaign (QE), its Brand (BN), a toll-free verification (HH).
  | 'QE'
  | 'BN'
  | 'HH';

/** A Twilio-style SID: prefix + 32 lowercase hex digits. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

/** True when `value` is a SID with the given prefix. */
export function isSid(value: string, prefix: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}
