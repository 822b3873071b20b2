/** What an inbound message asks for, by Twilio's standard single-word keywords. */
export type KeywordIntent = 'opt-out' | 'opt-in' | 'help';

const KEYWORDS: Readonly<Record<string, KeywordIntent>> = {
  STOP: 'opt-out',
  STOPALL: 'opt-out',
  UNSUBSCRIBE: 'opt-out',
  CANCEL: 'opt-out',
  END: 'opt-out',
  QUIT: 'opt-out',
  REVOKE: 'opt-out',
  OPTOUT: 'opt-out',
  START: 'opt-in',
  YES: 'opt-in',
  UNSTOP: 'opt-in',
  HELP: 'help',
  INFO: 'help',
};

/**
 * The intent of a message whose whole text is one keyword, in any case, with surrounding
 * spaces and punctuation ignored ("  Stop! " → opt-out). "Stop texting me" is not a keyword.
 */
export function classifyKeyword(body: string | undefined): KeywordIntent | undefined {
  const word = (body ?? '').replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '').toUpperCase();
  return Object.prototype.hasOwnProperty.call(KEYWORDS, word) ? KEYWORDS[word] : undefined;
}
