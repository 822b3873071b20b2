/**
 * Checks a deployed service makes on its credentials (and every deploy path before the upload;
 * reachable-url.ts checks its public URL). Messages say what is wrong, never the value.
 */

/** Estimated entropy a shared secret needs: a random 32-byte token estimates at ~200 bits; 32 random hex characters at ~120. */
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
const PLACEHOLDERS = /password|changeme|secret|example|qwerty|letmein/i;

/**
 * Why a shared secret (API_TOKEN) is too easy to guess, or undefined: too little estimated
 * entropy (32 × "a" is 32 characters and 0 bits), a repeated pattern, a typed sequence, or a
 * placeholder word.
 */
export function weakSecret(token: string): string | undefined {
  const bits = Math.round(estimatedBits(token));
  if (bits < MIN_SECRET_BITS) return `has too little entropy (about ${bits} bits estimated; at least ${MIN_SECRET_BITS} needed)`;
  if (/^(.{1,24}?)\1+$/s.test(token)) return 'is a short pattern repeated';
  if (longestStep(token) >= 6) return 'contains a typed sequence (abcdef…)';
  if (PLACEHOLDERS.test(token)) return 'contains a placeholder word (secret, password, changeme…)';
  return undefined;
}
