import { readResponseRoot } from './response';
import { isElement, ownText, type XmlElement } from './xml';

/** The Voice TwiML verbs the sandbox executes (https://www.twilio.com/docs/voice/twiml). */
const VOICE_VERBS = ['Say', 'Play', 'Pause', 'Gather', 'Redirect', 'Dial', 'Record', 'Pay', 'Message', 'Hangup', 'Reject'] as const;
export type VoiceVerb = (typeof VOICE_VERBS)[number];

const KNOWN: ReadonlySet<string> = new Set(VOICE_VERBS);

/** One verb (or noun) of a Voice TwiML document, as the walk transcript reports it. */
export interface VoiceNode {
  verb: string;
  attributes: Record<string, string>;
  /** The element's own text, trimmed (Say's words, Play's URL, Dial's number, Redirect's URL). */
  text?: string;
  children?: VoiceNode[];
}

export function isVoiceVerb(name: string): name is VoiceVerb {
  return KNOWN.has(name);
}

/** An element as a transcript node: name, attributes, trimmed text, element children. */
export function describeNode(element: XmlElement): VoiceNode {
  const node: VoiceNode = { verb: element.name, attributes: { ...element.attributes } };
  const text = ownText(element).trim();
  if (text !== '') node.text = text;
  const children = element.children.filter(isElement);
  if (children.length > 0) node.children = children.map(describeNode);
  return node;
}

/**
 * Reads a Voice TwiML answer: the verbs of `<Response>`, in order. Malformed XML or a root other
 * than `<Response>` is Twilio's 12100 (Document parse failure). Unknown verbs are kept: the walker
 * reports them (Twilio's 12200 schema validation warning) and skips them.
 */
export function readVoiceTwiml(source: string): XmlElement[] {
  return readResponseRoot(source).children.filter(isElement);
}

/** A boolean TwiML attribute (`true`/`false`, any case). */
export function boolAttribute(element: XmlElement, name: string, fallback: boolean): boolean {
  const raw = element.attributes[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.toLowerCase() === 'true';
}

/** A non-negative integer TwiML attribute; anything else falls back (Twilio would warn). */
export function intAttribute(element: XmlElement, name: string, fallback: number): number {
  const raw = element.attributes[name];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return fallback;
  return Number(raw.trim());
}
