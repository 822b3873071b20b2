import { readMessagingTwiml, TwimlError } from '../../sandbox/twiml/messaging';
import { parseXml, XmlSyntaxError } from '../../sandbox/twiml/xml';

describe('TwiML reader', () => {
  it('reads text, <Body>, <Media>, attributes, entities and CDATA', () => {
    const twiml = readMessagingTwiml(
      '<?xml version="1.0"?>\n<!-- reply --><Response>' +
        '<Message to="+12025550123" from="+14155550142" statusCallback="https://x.test/s">A &lt;b&gt; &#x1F600;</Message>' +
        '<Message><Body><![CDATA[5 < 6 & 7]]></Body><Media> https://x.test/a.png </Media></Message>' +
        '<Redirect>https://x.test/next</Redirect></Response>',
    );
    expect(twiml.messages).toEqual([
      { body: 'A <b> 😀', mediaUrls: [], to: '+12025550123', from: '+14155550142', statusCallback: 'https://x.test/s' },
      { body: '5 < 6 & 7', mediaUrls: ['https://x.test/a.png'] },
    ]);
    expect(twiml.redirect).toEqual({ url: 'https://x.test/next', method: 'POST' });
    expect(twiml.warnings).toEqual([]);
  });

  it('stops at the first <Redirect>: verbs after it are unreachable', () => {
    const twiml = readMessagingTwiml(
      '<Response><Message>before</Message><Redirect method="get">next</Redirect><Message>after</Message><Redirect>other</Redirect></Response>',
    );
    expect(twiml.messages.map((m) => m.body)).toEqual(['before']);
    expect(twiml.redirect).toEqual({ url: 'next', method: 'GET' });
  });

  it('accepts an empty response', () => {
    expect(readMessagingTwiml('<Response/>')).toEqual({ messages: [], warnings: [] });
  });

  it.each([
    ['<Response><Message>x</Response>'],
    ['<Response>'],
    ['<Response a=1/>'],
    ['<Response>&bogus;</Response>'],
    ['<Response/><Response/>'],
    ['<Say>hi</Say>'],
    ['not xml'],
  ])('rejects %s with 12100', (source) => {
    expect(() => readMessagingTwiml(source)).toThrow(TwimlError);
    try {
      readMessagingTwiml(source);
    } catch (error) {
      expect((error as TwimlError).code).toBe(12100);
    }
  });

  it('reports where XML breaks', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<a><b></a>')).toThrow(/<\/a> does not close <b> at offset/);
  });
});
