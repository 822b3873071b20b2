export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__testStack;
  if (!running) return;
  await running.functions.close();
  await running.sandbox.close();
}
