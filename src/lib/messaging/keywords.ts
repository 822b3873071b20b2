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

/** Twilio's `OptOutType` webhook parameter (Advanced Opt-Out) and the intent it names. */
const OPT_OUT_TYPES: Readonly<Record<string, KeywordIntent>> = { STOP: 'opt-out', START: 'opt-in', HELP: 'help' };

/**
 * The keyword Twilio already recognised, from the inbound webhook's `OptOutType` (`STOP`, `START`,
 * `HELP`): with Advanced Opt-Out a Messaging Service's own keywords (say ARRET) arrive with it, "an
 * extra parameter OptOutType, which will indicate whether the message is a STOP, HELP or START
 * message" (https://support.twilio.com/hc/en-us/articles/360034798533). Anything else: undefined.
 */
export function keywordOfOptOutType(optOutType: string | undefined): KeywordIntent | undefined {
  return optOutType !== undefined && Object.prototype.hasOwnProperty.call(OPT_OUT_TYPES, optOutType)
    ? OPT_OUT_TYPES[optOutType]
    : undefined;
}

/**
 * Characters a phone shows as nothing: format characters (zero-width space and joiners, soft
 * hyphen, BOM, direction marks) and every Default_Ignorable_Code_Point, which Unicode asks
 * renderers to show as nothing: variation selectors, emoji tags, and the Hangul fillers
 * (U+115F, U+1160, U+3164, U+FFA0) that would otherwise hide a STOP.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Spaces, punctuation, symbols and emoji (with their skin tones) around a word. */
const EDGE = /^[\s\p{P}\p{S}\p{Extended_Pictographic}\p{Emoji_Modifier}]+|[\s\p{P}\p{S}\p{Extended_Pictographic}\p{Emoji_Modifier}]+$/gu;

/**
 * The text as a person meant it: Unicode compatibility forms folded (full-width `ＳＴＯＰ` → `STOP`,
 * ligatures, circled letters) and invisible characters removed (`S\u00adTOP` → `STOP`), before the
 * folding and after it (U+3164 folds to U+1160, both fillers).
 */
const canonicalText = (text: string): string => text.replace(INVISIBLE, '').normalize('NFKC').replace(INVISIBLE, '');

/**
 * Letters without their accents and dots, for keywords only (all are plain Latin words): `STOṔ`,
 * the Turkish keyboard's `QUİT` and `ınfo` read as STOP, QUIT and INFO.
 */
const withoutMarks = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0131/g, 'i');

/**
 * The intent of a message whose whole text is one keyword, in any case, width or script form,
 * with invisible characters and surrounding spaces, punctuation and emoji ignored
 * ("  Stop! ", "ＳＴＯＰ", "STOP❤️" → opt-out). "Stop texting me" is not a keyword.
 */
export function classifyKeyword(body: string | undefined): KeywordIntent | undefined {
  const word = withoutMarks(canonicalText(body ?? ''))
    .replace(EDGE, '')
    .toUpperCase();
  return Object.prototype.hasOwnProperty.call(KEYWORDS, word) ? KEYWORDS[word] : undefined;
}

/** Lower case, punctuation dropped, single spaces: how the WhatsApp keyword router compares text. */
export const normaliseKeyword = (text: string): string =>
  canonicalText(text)
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Words as a person meant them, for reading sentences (the opt-out intent classifier): the same
 * folding as keywords (compatibility forms, invisible characters, accents), lower case, `ß` as
 * `ss`, every punctuation mark (apostrophes too: `don't` → `don t`, `m'envoyer` → `m envoyer`),
 * symbol and emoji a space, single spaces.
 */
export const foldWords = (text: string): string =>
  withoutMarks(canonicalText(text))
    .toLowerCase()
    .replace(/\u00df/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
