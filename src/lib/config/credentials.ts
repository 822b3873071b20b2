/**
 * Checks a deployed service makes on its credentials (and every deploy path before the upload;
 * reachable-url.ts checks its public URL). Messages say what is wrong, never the value.
 */

/**
 * What a shared secret must be able to hold: 128 bits, the strength of a 128-bit key (32 random hex
 * characters exactly; npm start's 43 base64url characters hold 256).
 */
const MIN_ALPHABET_BITS = 128;
/**
 * What its own character frequencies must show: a random 32-byte base64url token estimates at
 * ~200 bits, 32 random hex characters at ~120; repeats and skewed text far less.
 */
const MIN_SECRET_BITS = 100;

/** Bits estimated from the token's own character frequencies (Shannon): low for repeats and small alphabets. */
export function estimatedBits(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...token].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}

/**
 * The most a token of its length could hold if each character were drawn at random from the
 * alphabet it draws from: hex digits (16), else the classes it uses (digits 10, lower 26, upper 26,
 * symbols 33, anything else 100). A long token in a short alphabet holds little.
 */
export function alphabetBits(token: string): number {
  const chars = [...token];
  const hex = chars.every((char) => /[0-9a-f]/.test(char)) || chars.every((char) => /[0-9A-F]/.test(char));
  if (hex && !chars.every((char) => /[0-9]/.test(char))) return chars.length * 4;
  const classes: Array<[RegExp, number]> = [
    [/[0-9]/, 10],
    [/[a-z]/, 26],
    [/[A-Z]/, 26],
    [/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/, 33],
    [/[^\x21-\x7e]/, 100],
  ];
  const size = classes.reduce((sum, [pattern, count]) => sum + (chars.some((char) => pattern.test(char)) ? count : 0), 0);
  return chars.length * Math.log2(size);
}

/** The longest run of one character repeated (aaaaaa): a random token of 64 characters has one of 6 about once in 18,000 (hex). */
function longestRun(token: string): number {
  let longest = 1;
  let run = 1;
  for (let i = 1; i < token.length; i += 1) {
    run = token[i] === token[i - 1] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** The longest run of characters that step by one (abcdef, 98765): typed, not random. */
function longestStep(token: string): number {
  let longest = 1;
  for (const direction of [1, -1]) {
    let run = 1;
    for (let i = 1; i < token.length; i += 1) {
      run = token.charCodeAt(i) - token.charCodeAt(i - 1) === direction ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
  }
  return longest;
}

/** Words of six letters or more (shorter ones turn up in random tokens too often to refuse them). */
const PLACEHOLDERS = /password|changeme|changeit|secret|example|qwerty|letmein|apitoken|default|replace|sample|placeholder/i;

/**
 * Why a shared secret (API_TOKEN) is too easy to guess, or undefined. Both estimates must pass:
 * what its alphabet allows (length × log2(alphabet) ≥ 128: 39 digits, 32 hex, 28 letters) and
 * what its own frequencies show (Shannon ≥ 100: 32 × "a" is 0 bits); and it may hold no run of
 * one character, no repeated pattern, no typed sequence and no placeholder word.
 */
export function weakSecret(token: string): string | undefined {
  const ceiling = Math.floor(alphabetBits(token));
  if (ceiling < MIN_ALPHABET_BITS)
    return `is too short for its alphabet (at most ${ceiling} bits in its characters; at least ${MIN_ALPHABET_BITS} needed)`;
  const bits = Math.round(estimatedBits(token));
  if (bits < MIN_SECRET_BITS) return `has too little entropy (about ${bits} bits estimated; at least ${MIN_SECRET_BITS} needed)`;
  if (longestRun(token) >= 6) return 'repeats one character six times or more in a row';
  if (/^(.{1,24}?)\1+$/s.test(token)) return 'is a short pattern repeated';
  if (longestStep(token) >= 6) return 'contains a typed sequence (abcdef…)';
  if (PLACEHOLDERS.test(token)) return 'contains a placeholder word (secret, password, changeme…)';
  return undefined;
}
