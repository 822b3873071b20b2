/**
 * Jest's asymmetric matchers (`expect.any(String)`, `expect.stringMatching(…)`, …), typed.
 * @types/jest declares each as returning `any`, so one inside an expected object is an unsafe
 * `any` to typescript-eslint; these are the same matchers, typed as what they are to the code
 * around them: a value of unknown type that only jest's equality looks into.
 */
export const match = {
  any: (constructor: unknown): unknown => expect.any(constructor),
  anything: (): unknown => expect.anything(),
  arrayContaining: (items: readonly unknown[]): unknown => expect.arrayContaining(items),
  objectContaining: (fields: object): unknown => expect.objectContaining(fields),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
  not: {
    stringContaining: (text: string): unknown => expect.not.stringContaining(text),
  },
};

/**
 * For `.toThrow(…)`: the thrown error has these fields (`expect.objectContaining`). Typed as an
 * Error only because @types/jest's toThrow takes a message, class, pattern or Error; jest itself
 * takes an asymmetric matcher there and matches it against the thrown value.
 */
export function errorWith(fields: object): Error {
  return expect.objectContaining(fields) as Error;
}
