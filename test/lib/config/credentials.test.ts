import { alphabetBits, estimatedBits, weakSecret } from '../../../src/lib/config/credentials';
import { checkSettings, readSettings } from '../../../src/lib/config/settings';
import { match } from '../../support/match';
import { quietly } from '../../support/quietly';

// Fixed vectors: random tokens made once with crypto.randomBytes, then written down.
const RANDOM_BASE64URL = 'ZE7jzo-zPQ3bGvdv3kwlNNpOHU4Q47nJ3K6E-BJ3_jE';
const RANDOM_HEX_32 = '053623842b139008802318f5f12e83b4';
const MORE_RANDOM = [
  'XBy2S6ViQH7Ph75imXWPM7-K800hJ-rKqguhkyexWNo',
  'rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE',
  '6dda7bd2bdd6bcb146e91aeab266781df3f788569b0e1d73',
];

describe('weakSecret (API_TOKEN)', () => {
  it.each([
    ['32 × "a"', 'a'.repeat(32), /too little entropy \(about 0 bits/],
    ['a word padded with one letter', 'test-api-token-'.padEnd(48, 'x'), /too little entropy/],
    ['a short pattern repeated', 'Ab3$Cd7!'.repeat(6), /repeated/],
    ['a typed sequence', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF', /typed sequence/],
    ['a placeholder', 'my-Secret-Api-Key-For-Production-9QzR', /placeholder/],
    ['32 random digits (106 bits at most)', '40718529630284719365027184936501', /too short for its alphabet \(at most 106 bits/],
    ['a random start padded with one character', `Xk9$mQ2#vL7@pR4!${'a'.repeat(200)}`, /repeats one character/],
    ['a run inside random text', `rYFqXd32xUDeA2fXH4biUEEMwyvHxz8vo${'Z'.repeat(8)}HscofiU`, /repeats one character/],
    ['the word apitoken', 'rYFqXd32xUDeA2fXH4biUEEMwyvH-apitoken-9QzRwL', /placeholder/],
  ])('refuses %s, saying why without the value', (_name, token, reason) => {
    const why = weakSecret(token);
    expect(why).toMatch(reason);
    expect(why).not.toContain(token);
  });

  it("accepts random tokens: 32 bytes in base64url (npm start's), 32 random hex characters", () => {
    expect(Math.round(estimatedBits(RANDOM_BASE64URL))).toBeGreaterThan(150);
    expect(weakSecret(RANDOM_BASE64URL)).toBeUndefined();
    expect(weakSecret(RANDOM_HEX_32)).toBeUndefined();
    for (const token of MORE_RANDOM) expect(weakSecret(token)).toBeUndefined();
  });

  it('alphabetBits: length × log2(the alphabet drawn from): hex 4 bits a character, digits 3.3, base64url 6', () => {
    expect(alphabetBits(RANDOM_HEX_32)).toBe(128);
    expect(alphabetBits('1'.repeat(39))).toBeCloseTo(39 * Math.log2(10));
    expect(alphabetBits(RANDOM_BASE64URL)).toBeCloseTo(43 * Math.log2(10 + 26 + 26 + 33));
  });
});

describe('the deployed checks in the schema', () => {
  it('API_TOKEN: a list of tokens during a rotation; deployed, a weak one is refused and API actions close', () => {
    const local = readSettings({ API_TOKEN: `${RANDOM_BASE64URL}, ${'k'.repeat(43)}` });
    expect(local.apiTokens).toEqual([RANDOM_BASE64URL, 'k'.repeat(43)]);
    expect(local.apiToken).toBe(RANDOM_BASE64URL);
    expect(local.problems).toEqual([]);
    const deployed = quietly(() =>
      readSettings({ API_TOKEN: `${RANDOM_BASE64URL},${'k'.repeat(43)}`, DOMAIN_NAME: 'comms-1234-dev.twil.io' }),
    );
    expect(deployed.problems).toEqual(['API_TOKEN']);
    expect(deployed.apiTokens).toEqual([]);
    expect(checkSettings({ API_TOKEN: 'k'.repeat(43) }, { deployed: true })).toEqual([
      { name: 'API_TOKEN', problem: match.stringMatching(/too little entropy/), fix: match.stringMatching(/randomBytes/) },
    ]);
  });

  it('PUBLIC_BASE_URL: deployed, a tunnel is refused and callbacks use the Service domain', () => {
    const settings = quietly(() => readSettings({ PUBLIC_BASE_URL: 'https://abc.ngrok.app', DOMAIN_NAME: 'comms-1234-dev.twil.io' }));
    expect(settings.problems).toEqual(['PUBLIC_BASE_URL']);
    expect(settings.publicBaseUrl).toBe('https://comms-1234-dev.twil.io');
    expect(readSettings({ PUBLIC_BASE_URL: 'https://abc.ngrok.app', DOMAIN_NAME: 'localhost:3000' }).publicBaseUrl).toBe(
      'https://abc.ngrok.app',
    );
  });
});
