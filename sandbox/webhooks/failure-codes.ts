import type { AttemptAnswer } from './http-attempt';

/** Twilio's error for a webhook request that failed, as its Debugger and a fallback's ErrorCode report it. */
export interface WebhookFailure {
  code: number;
  message: string;
}

/**
 * The Twilio error a failed delivery stands for, or `null` for a 2xx answer:
 * - 11200 HTTP retrieval failure: an answer with a 4xx or 5xx status (the 11200 page lists
 *   "Web server returned a 4xx or 5xx HTTP response" first among its causes);
 * - 11202 TCP connection refused ("Your web server rejected our two connection attempts");
 * - 11203 HTTP communication total time out triggered (only when the URL set `tt`: the page says
 *   "You set the total timeout using the tt parameter");
 * - 11205 HTTP connection failure (no connection in time, no answer in time, a cut connection);
 * - 11210 HTTP bad host name.
 */
export function failureOf(answer: AttemptAnswer, totalTimeoutSet: boolean): WebhookFailure | null {
  switch (answer.failure) {
    case 'connect-refused':
      return { code: 11202, message: `TCP connection refused: ${answer.error ?? ''}`.trim() };
    case 'bad-host':
      return { code: 11210, message: `HTTP bad host name: ${answer.error ?? ''}`.trim() };
    case 'total-timeout':
      return totalTimeoutSet
        ? { code: 11203, message: 'HTTP communication total time out triggered' }
        : { code: 11205, message: 'HTTP connection failure: no answer in time' };
    case 'connect-timeout':
    case 'read-timeout':
    case 'network':
      return { code: 11205, message: `HTTP connection failure: ${answer.error ?? ''}`.trim() };
    default:
      break;
  }
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) return null;
  return { code: 11200, message: `HTTP retrieval failure: status ${String(answer.status)}` };
}
