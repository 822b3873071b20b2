/** The names of this machine's loopback interface, as a URL's or a Host header's hostname gives them. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a hostname (`localhost`, `127.0.0.1`, `[::1]`) names this machine's loopback interface. */
export const isLoopbackName = (hostname: string): boolean => LOOPBACK_NAMES.has(hostname.toLowerCase());
