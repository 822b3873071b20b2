/**
 * A small, strict XML reader for TwiML: elements, attributes, text, CDATA, comments, the XML
 * declaration and the five predefined plus numeric entities. No DTDs, no namespaces.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | { text: string };

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at offset ${position}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, at: number): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);|&/g, (whole, entity: string | undefined) => {
    if (!entity) throw new XmlSyntaxError("bare '&' (use &amp;)", at);
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const value = ENTITIES[entity];
    if (value === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`, at);
    return value;
  });
}

export function parseXml(source: string): XmlElement {
  let pos = 0;

  const fail = (message: string): never => {
    throw new XmlSyntaxError(message, pos);
  };
  const skipWhitespace = (): void => {
    while (pos < source.length && /\s/.test(source[pos])) pos += 1;
  };
  const skipPast = (terminator: string, what: string): void => {
    const end = source.indexOf(terminator, pos);
    if (end < 0) fail(`unterminated ${what}`);
    pos = end + terminator.length;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  /** Comments, processing instructions and whitespace between markup. */
  const skipMisc = (): void => {
    for (;;) {
      skipWhitespace();
      if (source.startsWith('<!--', pos)) skipPast('-->', 'comment');
      else if (source.startsWith('<?', pos)) skipPast('?>', 'processing instruction');
      else if (source.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE is not allowed in TwiML');
      else return;
    }
  };

  const readElement = (): XmlElement => {
    if (source[pos] !== '<') fail("expected '<'");
    pos += 1;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      skipWhitespace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [] };
      }
      if (source[pos] === '>') {
        pos += 1;
        break;
      }
      const attribute = readName();
      skipWhitespace();
      if (source[pos] !== '=') fail(`expected '=' after attribute ${attribute}`);
      pos += 1;
      skipWhitespace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${attribute}`);
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail(`unterminated value of attribute ${attribute}`);
      if (attribute in attributes) fail(`duplicate attribute ${attribute}`);
      attributes[attribute] = decodeEntities(source.slice(pos + 1, end), pos);
      pos = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (pos >= source.length) fail(`unclosed element <${name}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> does not close <${name}>`);
        skipWhitespace();
        if (source[pos] !== '>') fail("expected '>'");
        pos += 1;
        return { name, attributes, children };
      }
      if (source.startsWith('<!--', pos)) skipPast('-->', 'comment');
      else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA section');
        children.push({ text: source.slice(pos + 9, end) });
        pos = end + 3;
      } else if (source.startsWith('<?', pos)) skipPast('?>', 'processing instruction');
      else if (source[pos] === '<') children.push(readElement());
      else {
        const end = source.indexOf('<', pos);
        const stop = end < 0 ? source.length : end;
        children.push({ text: decodeEntities(source.slice(pos, stop), pos) });
        pos = stop;
      }
    }
  };

  if (source.charCodeAt(0) === 0xfeff) pos = 1;
  skipMisc();
  if (pos >= source.length) fail('no root element');
  const root = readElement();
  skipMisc();
  if (pos < source.length) fail('content after the root element');
  return root;
}

export function isElement(node: XmlNode): node is XmlElement {
  return 'name' in node;
}

/** Concatenated text of a node's direct text children. */
export function ownText(element: XmlElement): string {
  return element.children.map((child) => ('text' in child ? child.text : '')).join('');
}
