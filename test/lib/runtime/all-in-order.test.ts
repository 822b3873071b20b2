import { allInOrder } from '../../../src/lib/runtime/all-in-order';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, message: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

test('answers every value in order', async () => {
  await expect(allInOrder([after(20, 'a'), after(1, 2), Promise.resolve(true)])).resolves.toEqual(['a', 2, true]);
});

test('throws the first failing step in the order given, not the first to fail in time', async () => {
  await expect(allInOrder([failAfter(30, 'first'), failAfter(1, 'second')])).rejects.toThrow('first');
});

test('waits for every step to settle before it throws', async () => {
  let finished = false;
  const slow = after(30, null).then(() => (finished = true));
  await expect(allInOrder([failAfter(1, 'fast'), slow])).rejects.toThrow('fast');
  expect(finished).toBe(true);
});
