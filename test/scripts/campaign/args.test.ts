import { connectionWarnings, parseCommand, type ArgsEnvironment, type Command } from '../../../scripts/campaign/args';
import { CliError, EXIT } from '../../../scripts/campaign/errors';

const TOKEN = 'env-token-0123456789';
const environment: ArgsEnvironment = {
  env: { CAMPAIGN_TOKEN: TOKEN },
  dotenv: () => ({ API_TOKEN: 'dotenv-token' }),
  localTimeZone: 'Europe/Paris',
  now: () => new Date('2025-06-01T09:30:00Z'),
};
const parse = (...argv: string[]): Command => parseCommand(argv, environment);

/** The message of the usage error (exit 2) that argv gives. */
function usageError(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.badInput) return error.message;
    throw error;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('npm run campaign arguments', () => {
  it('reads a campaign with documented defaults: sms, transactional, a name from the file, localhost, the token from CAMPAIGN_TOKEN', () => {
    expect(parse('lists/april.csv', '--body', 'Hi {{name}}')).toEqual({
      mode: 'create',
      csvPath: 'lists/april.csv',
      dryRun: false,
      request: { name: 'april.csv 2025-06-01 09:30', channel: 'sms', kind: 'transactional', body: 'Hi {{name}}' },
      connection: { token: TOKEN, tokenSource: 'CAMPAIGN_TOKEN' },
    });
  });

  it('reads every option, a template with variables from columns, quiet hours in a zone, a send time', () => {
    const command = parse(
      'r.csv',
      '--template',
      `HX${'0a'.repeat(16)}`,
      '--var',
      '1=name',
      '--var=2=Dr. {{last}}',
      '--channel',
      'whatsapp',
      '--kind',
      'marketing',
      '--name',
      'Spring sale',
      '--send-at',
      '2025-06-02T09:00:00-04:00',
      '--quiet-hours',
      '21:00-08:00',
      '--time-zone',
      'America/New_York',
      '--url',
      'https://comms-1234.twil.io/',
      '--dry-run',
      '--force',
    );
    expect(command).toEqual({
      mode: 'create',
      csvPath: 'r.csv',
      dryRun: true,
      request: {
        name: 'Spring sale',
        channel: 'whatsapp',
        kind: 'marketing',
        contentSid: `HX${'0a'.repeat(16)}`,
        contentVariables: { '1': '{{name}}', '2': 'Dr. {{last}}' },
        sendAt: '2025-06-02T13:00:00.000Z',
        quietHours: { start: '21:00', end: '08:00', timeZone: 'America/New_York' },
        force: true,
      },
      connection: { url: 'https://comms-1234.twil.io', token: TOKEN, tokenSource: 'CAMPAIGN_TOKEN' },
    });
  });

  it('takes quiet hours in this machine’s zone when none is given', () => {
    const command = parse('r.csv', '--body', 'Hi', '--quiet-hours', '22:30-07:00');
    expect(command.mode === 'create' && command.request.quietHours).toEqual({ start: '22:30', end: '07:00', timeZone: 'Europe/Paris' });
  });

  it('reads --resume with an optional CSV, and refuses what is fixed at creation', () => {
    expect(parse('--resume', 'CP0123456789abcdef0123456789abcdef')).toEqual({
      mode: 'resume',
      id: 'CP0123456789abcdef0123456789abcdef',
      connection: { token: TOKEN, tokenSource: 'CAMPAIGN_TOKEN' },
    });
    expect(parse('r.csv', '--resume', 'CP1')).toMatchObject({ mode: 'resume', id: 'CP1', csvPath: 'r.csv' });
    expect(usageError('--resume', 'CP1', '--body', 'Hi', '--kind', 'marketing')).toBe(
      '--resume continues a campaign as it was created; drop --body, --kind',
    );
    expect(usageError('--resume', '../../etc/passwd')).toMatch(/^--resume takes a campaign id/);
  });

  it('takes the token from --token (with a warning about ps), else CAMPAIGN_TOKEN, else API_TOKEN in .env, else says where to put one', () => {
    const fromFlag = parse('r.csv', '--body', 'Hi', '--token', 'flag-token');
    expect(fromFlag.mode === 'create' && fromFlag.connection).toEqual({ token: 'flag-token', tokenSource: '--token' });
    if (fromFlag.mode !== 'create') throw new Error('create expected');
    const warnings = connectionWarnings(fromFlag.connection, 'http://localhost:3000');
    expect(warnings).toEqual([
      expect.stringContaining('visible to other users of this machine (ps, shell history); prefer CAMPAIGN_TOKEN'),
    ]);
    expect(warnings.join('')).not.toContain('flag-token');

    const fromDotenv = parseCommand(['r.csv', '--body', 'Hi'], { ...environment, env: {} });
    expect(fromDotenv.mode === 'create' && fromDotenv.connection.tokenSource).toBe('.env API_TOKEN');
    // During a rotation API_TOKEN lists two tokens: the first one is sent, not the list.
    const rotating = parseCommand(['r.csv', '--body', 'Hi'], {
      ...environment,
      env: {},
      dotenv: () => ({ API_TOKEN: 'new-token, old-token' }),
    });
    expect(rotating.mode === 'create' && rotating.connection.token).toBe('new-token');
    expect(() => parseCommand(['r.csv', '--body', 'Hi'], { ...environment, env: {}, dotenv: () => ({}) })).toThrow(
      /no API token: set CAMPAIGN_TOKEN/,
    );
  });

  it('warns when the token would cross the network unencrypted', () => {
    const connection = { token: TOKEN, tokenSource: 'CAMPAIGN_TOKEN' as const };
    expect(connectionWarnings(connection, 'http://comms.example.com')).toEqual([
      'warning: the API token goes to comms.example.com over plain HTTP; use https',
    ]);
    expect(connectionWarnings(connection, 'https://comms.example.com')).toEqual([]);
    expect(connectionWarnings(connection, 'http://127.0.0.1:3000')).toEqual([]);
  });

  it.each([
    [['--body', 'Hi'], 'give the recipients CSV'],
    [['a.csv', 'b.csv', '--body', 'Hi'], 'give one CSV file, not 2'],
    [['r.csv'], 'give the message: --body'],
    [['r.csv', '--body', 'Hi', '--template', `HX${'0'.repeat(32)}`], 'give --body or --template, not both'],
    [['r.csv', '--body', '  '], '--body is empty'],
    [['r.csv', '--template', 'HX123'], '--template takes a Content template SID'],
    [['r.csv', '--body', 'Hi', '--var', '1=name'], '--var sets template variables'],
    [['r.csv', '--template', `HX${'0'.repeat(32)}`, '--var', 'name'], '--var is <n>=<column>'],
    [['r.csv', '--template', `HX${'0'.repeat(32)}`, '--var', '1=a', '--var', '1=b'], '--var 1 is given twice'],
    [['r.csv', '--body', 'Hi', '--channel', 'rcs'], '--channel is sms or whatsapp, not "rcs"'],
    [['r.csv', '--body', 'Hi', '--kind', 'promo'], '--kind is transactional or marketing'],
    [['r.csv', '--body', 'Hi', '--channel', 'whatsapp'], 'needs an approved template'],
    [['r.csv', '--body', 'Hi', '--send-at', 'tomorrow'], '--send-at takes an ISO time'],
    [['r.csv', '--body', 'Hi', '--quiet-hours', '9pm-8am'], '--quiet-hours is HH:MM-HH:MM'],
    [['r.csv', '--body', 'Hi', '--quiet-hours', '21:00-21:00'], 'starts and ends at the same time'],
    [['r.csv', '--body', 'Hi', '--quiet-hours', '21:00-08:00', '--time-zone', 'Mars/Olympus'], '--time-zone takes an IANA zone'],
    [['r.csv', '--body', 'Hi', '--time-zone', 'UTC'], '--time-zone goes with --quiet-hours'],
    [['r.csv', '--body', 'Hi', '--url', 'localhost:3000'], '--url must be http or https'],
    [['r.csv', '--body', 'Hi', '--url', 'https://user:secret@x.example'], '--url must not carry credentials'],
    [['r.csv', '--body', 'Hi', '--name', 'x'.repeat(101)], '--name is longer than 100 characters'],
    [['r.csv', '--body', 'Hi', '--nope'], "Unknown option '--nope'"],
    [['r.csv', '--body'], "Option '--body <value>' argument missing"],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(...argv)).toContain(message);
  });

  it('answers --help', () => {
    expect(parse('--help')).toEqual({ mode: 'help' });
    expect(parse('-h', '--body', 'x')).toEqual({ mode: 'help' });
  });
});
