import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseOption, menuAt, MenuError, readIvrConfig } from '../../../src/lib/voice/menu';

const shipped = (): unknown => JSON.parse(readFileSync(path.join(__dirname, '../../../src/assets/ivr-menu.private.json'), 'utf8'));

describe('readIvrConfig', () => {
  it('accepts the shipped menu, with defaults filled in', () => {
    const config = readIvrConfig(shipped());
    expect(config.menu.options.map((option) => option.digit)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(config.menu.options[5].action).toMatchObject({ type: 'dial', client: 'front_desk' });
    expect(config).toMatchObject({ onNoChoice: 'voicemail', voicemailMaxSeconds: 120 });
  });

  it('lists every problem with where it is', () => {
    const broken = {
      menu: {
        prompt: '',
        options: [
          { digit: '1', action: { type: 'dial', number: '+1 555 123 4567' } },
          { digit: '1', action: { type: 'say' } },
          { digit: '12', action: { type: 'teleport' } },
          { digit: '3', action: { type: 'pay', amount: 'lots' } },
        ],
      },
      voicemailMaxSeconds: 9000,
    };
    let error: unknown;
    try {
      readIvrConfig(broken);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MenuError);
    expect((error as MenuError).problems).toEqual([
      'menu.prompt must be a non-empty text',
      'menu.options[0].action.number "+1 555 123 4567" is not a valid E.164 phone number',
      'menu.options[1].digit 1 is used twice',
      'menu.options[1].action.text must be a non-empty text',
      'menu.options[2].digit must be one key: 0-9, * or #',
      'menu.options[2].action.type must be one of dial, voicemail, say, sms, menu, pay',
      'menu.options[3].action.amount must be a text amount like "25.00"',
      'voicemailMaxSeconds must be 5 to 3600',
    ]);
  });

  it('a dial rings a number or a softphone client, exactly one, each checked', () => {
    const menuWith = (...actions: object[]) => ({
      menu: { prompt: 'p', options: actions.map((action, i) => ({ digit: String(i + 1), action: { type: 'dial', ...action } })) },
    });
    expect(
      readIvrConfig(menuWith({ client: 'support_desk' }, { client: 'client:alice@example.com' })).menu.options.map((o) => o.action),
    ).toEqual([
      { type: 'dial', client: 'support_desk' },
      { type: 'dial', client: 'alice@example.com' },
    ]);
    let error: unknown;
    try {
      readIvrConfig(
        menuWith({ client: 'has space' }, { client: 'a'.repeat(122) }, {}, { number: '+12025550199', client: 'desk' }, { client: 7 }),
      );
    } catch (caught) {
      error = caught;
    }
    const rule = 'must be a softphone identity: letters, digits and _ . @ - only (at most 121)';
    expect((error as MenuError).problems).toEqual([
      `menu.options[0].action.client ${rule}`,
      `menu.options[1].action.client ${rule}`,
      'menu.options[2].action must have either "number" (a phone number) or "client" (a softphone identity)',
      'menu.options[3].action must have either "number" (a phone number) or "client" (a softphone identity)',
      `menu.options[4].action.client ${rule}`,
    ]);
  });

  it('refuses sub-menus nested more than 3 deep', () => {
    const leaf = { prompt: 'p', options: [{ digit: '1', action: { type: 'voicemail' } }] };
    const nest = (menu: object, depth: number): object =>
      depth === 0 ? menu : { prompt: 'p', options: [{ digit: '1', action: { type: 'menu', menu: nest(menu, depth - 1) } }] };
    expect(() => readIvrConfig({ menu: nest(leaf, 3) })).not.toThrow();
    expect(() => readIvrConfig({ menu: nest(leaf, 4) })).toThrow(/nest at most 3 deep/);
  });
});

describe('menuAt and chooseOption', () => {
  const config = readIvrConfig(shipped());

  it('finds sub-menus by path and options by key or spoken keyword', () => {
    expect(menuAt(config, '')).toBe(config.menu);
    expect(menuAt(config, '5')?.prompt).toMatch(/pay your bill/);
    expect(menuAt(config, '9')).toBeUndefined();
    expect(chooseOption(config.menu, '3', undefined)?.action).toMatchObject({ type: 'say' });
    expect(chooseOption(config.menu, undefined, 'I want to talk to Sales please')?.digit).toBe('1');
    expect(chooseOption(config.menu, '7', undefined)).toBeUndefined();
    expect(chooseOption(config.menu, undefined, 'banana')).toBeUndefined();
  });
});
