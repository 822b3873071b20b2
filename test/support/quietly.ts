/** Runs `work` (sync or async) with console.error silenced (settings log each broken value they refuse). */
export function quietly<T>(work: () => T): T {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  let result: T;
  try {
    result = work();
  } catch (error) {
    spy.mockRestore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => spy.mockRestore()) as T;
  spy.mockRestore();
  return result;
}
