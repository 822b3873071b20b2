import { XMLParser } from 'fast-xml-parser';

interface TwimlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

type Ordered = Record<string, unknown>;
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

function toNode(entry: Ordered): TwimlNode | undefined {
  const name = Object.keys(entry).find((key) => key !== ':@' && key !== '#text');
  if (!name) return undefined;
  const content = entry[name] as Ordered[];
  const children = content.map(toNode).filter((node): node is TwimlNode => node !== undefined);
  const text = content.map((part) => (typeof part['#text'] === 'string' ? part['#text'] : '')).join('');
  return { name, attributes: (entry[':@'] as Record<string, string>) ?? {}, text, children };
}

/** Parses a TwiML document (independently of the sandbox) into its root <Response> element. */
function parseTwiml(xml: string): TwimlNode {
  const root = (parser.parse(xml) as Ordered[]).map(toNode).find((node) => node?.name === 'Response');
  if (!root) throw new Error(`not TwiML: ${xml}`);
  return root;
}

/** The <Message> verbs of a messaging response, as { to?, body, media }. */
export function messagesOf(xml: string): Array<{ to?: string; body: string; media: string[] }> {
  return parseTwiml(xml)
    .children.filter((node) => node.name === 'Message')
    .map((message) => ({
      ...(message.attributes.to ? { to: message.attributes.to } : {}),
      body:
        message.text +
        message.children
          .filter((c) => c.name === 'Body')
          .map((c) => c.text)
          .join(''),
      media: message.children.filter((c) => c.name === 'Media').map((c) => c.text),
    }));
}
