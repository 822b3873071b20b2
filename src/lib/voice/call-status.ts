/** Call statuses as Twilio reports them. */
const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Like message statuses, a call's status only moves forward; the outcomes rank last. */
const RANK: Readonly<Record<CallStatus, number>> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  'no-answer': 4,
  canceled: 4,
  failed: 4,
};

export const isCallStatus = (value: string): value is CallStatus => (CALL_STATUSES as readonly string[]).includes(value);

export const callAdvances = (current: CallStatus | undefined, next: CallStatus): boolean =>
  current === undefined || RANK[next] > RANK[current];
