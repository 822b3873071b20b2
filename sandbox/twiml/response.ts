import { parseXml, XmlSyntaxError, type XmlElement } from './xml';

/** A TwiML document Twilio cannot execute; `code` is Twilio's debugger error code. */
export class TwimlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwimlError';
  }
}

/** The `<Response>` root of a TwiML document; malformed XML or another root is Twilio's 12100. */
export function readResponseRoot(source: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new TwimlError(12100, `Document parse failure: ${error.message}`);
    throw error;
  }
  if (root.name !== 'Response') throw new TwimlError(12100, `Document parse failure: root element is <${root.name}>, expected <Response>`);
  return root;
}
