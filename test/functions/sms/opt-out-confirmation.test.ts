// "Never twice": one confirmation per opt-out. A STOP, or an opt-out in words, from a number that
// has already opted out of everything on the channel changes nothing and is not confirmed again;
// a STOP after a START is a new opt-out, confirmed again.
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { textFromPhone } from '../../support/sandbox-phone';

// The defaults of OPT_OUT_MESSAGE and OPT_IN_MESSAGE are not asserted: these are set here.
const CONFIRMED = 'Bye.';
const WELCOME = 'Welcome back.';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack({ OPT_OUT_REPLIES: 'ours', OPT_OUT_MESSAGE: CONFIRMED, OPT_IN_MESSAGE: WELCOME });
});
afterAll(() => own.close());

let line = 0;
const uniquePhone = () => `+1202555${String(100 + line++).padStart(4, '0')}`;

/** A person texting our number through this stack's sandbox phone; the bodies of what came back. */
async function text(from: string, body: string): Promise<string[]> {
  return (await textFromPhone(from, body, { sandboxUrl: own.sandbox.url })).replies.map((reply) => reply.body);
}

describe('one opt-out confirmation, never twice (OPT_OUT_REPLIES=ours)', () => {
  it('confirms the first STOP and not a repeated one', async () => {
    const phone = uniquePhone();
    expect(await text(phone, 'STOP')).toEqual([CONFIRMED]);
    expect(await text(phone, 'STOP')).toEqual([]);
  });

  it('does not confirm an opt-out in words from a number that already sent STOP', async () => {
    const phone = uniquePhone();
    expect(await text(phone, 'STOP')).toEqual([CONFIRMED]);
    expect(await text(phone, 'please stop texting me')).toEqual([]);
  });

  it('does not confirm a marketing-only opt-out after a full one', async () => {
    const phone = uniquePhone();
    expect(await text(phone, 'STOP')).toEqual([CONFIRMED]);
    expect(await text(phone, 'stop sending me promotions')).toEqual([]);
  });

  it('confirms a STOP after a START again: a new opt-out', async () => {
    const phone = uniquePhone();
    expect(await text(phone, 'STOP')).toEqual([CONFIRMED]);
    expect(await text(phone, 'START')).toEqual([WELCOME]);
    expect(await text(phone, 'STOP')).toEqual([CONFIRMED]);
  });
});
