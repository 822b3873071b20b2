// npm start runs the local Functions in its own process (sandbox/edge's in-process runner), beside
// the sandbox. A Function that throws outside its request (in a timer, or a promise nobody awaits)
// would end that process, and every Function and all the sandbox's state with it. On Twilio such an
// invocation fails and the service goes on serving; here the error is logged (its message, never a
// stack with paths) and the process goes on. The request itself gets the edge's 504 at 10 s.

const messageOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);

/** Installs the handlers once per process; returns a function that removes them. */
export function keepServingThroughStrayErrors(log: (line: string) => void = (line) => console.error(line)): () => void {
  const onError = (error: unknown, origin: string) =>
    log(
      `A Function threw outside its request (${origin}): ${messageOf(error)}. The server keeps serving; on Twilio that invocation fails.`,
    );
  const onException = (error: Error) => onError(error, 'uncaught exception');
  const onRejection = (reason: unknown) => onError(reason, 'unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
