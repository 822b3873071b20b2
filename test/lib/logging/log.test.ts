import { readSettings } from '../../../src/lib/config/settings';
import { log } from '../../../src/lib/logging/log';
import { quietly } from '../../support/quietly';

/** What `work` writes to the console, as one string (nothing reaches the real console). */
function captured(work: () => void): string {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  );
  try {
    work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('\n');
}

const SAID = 'My chest hurts since Tuesday, call me back';

describe('log: content fields and PHI_MODE', () => {
  afterAll(() => readSettings({}));

  it('in PHI mode drops content fields by name (any case or separator), keeping their length and every other field', () => {
    readSettings({ PHI_MODE: 'true' });
    const output = captured(() =>
      log('warn', 'inbound_seen', { sid: 'SM' + 'a'.repeat(32), body: SAID, TranscriptionText: SAID, profile_name: 'Ada', attempt: 2 }),
    );
    expect(output).not.toContain('chest');
    expect(output).not.toContain('Ada');
    expect(JSON.parse(output)).toEqual({
      level: 'warn',
      event: 'inbound_seen',
      sid: 'SM' + 'a'.repeat(32),
      body: `(withheld: ${SAID.length} characters)`,
      TranscriptionText: `(withheld: ${SAID.length} characters)`,
      profile_name: '(withheld: 3 characters)',
      attempt: 2,
    });
    // Outside PHI mode the same field is logged as before: bounded, phone numbers masked.
    readSettings({ PHI_MODE: 'false' });
    expect(JSON.parse(captured(() => log('info', 'x', { body: `${SAID} +14155550142` })))).toEqual({
      level: 'info',
      event: 'x',
      body: `${SAID} +1415*****42`,
    });
  });

  it('a PHI_MODE that is neither true nor false fails closed: content is withheld', () => {
    quietly(() => readSettings({ PHI_MODE: 'yes please' }));
    expect(captured(() => log('info', 'x', { text: SAID }))).not.toContain('chest');
  });
});
