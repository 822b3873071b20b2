/** The sandbox phone's walk of one call, as `/_sandbox/phone/call` answers it. */
interface CallStep {
  verb: string;
  attributes: Record<string, string>;
  text?: string;
  children?: Array<{ verb: string; attributes: Record<string, string>; text?: string }>;
  request?: { url: string; params: Record<string, string>; status: number | null };
  /** What the phone did at this verb (a Dial's dialCallStatus and the numbers and clients it rang, …). */
  outcome?: Record<string, string | number | boolean>;
}

export interface CallWalk {
  callSid: string;
  steps: CallStep[];
  endedBy: string;
  recordings: Array<{ sid: string; durationSeconds: number }>;
  messages: Array<{ to: string; body: string }>;
  recordingEvents: Array<{ recordingSid: string; status: string }>;
}

export type CallInput = { digits: string } | { speech: string } | { silence: true };

export interface CallScript {
  from: string;
  to: string;
  inputs?: CallInput[];
  dialOutcome?: 'completed' | 'busy' | 'no-answer' | 'failed';
  recording?: { durationSeconds: number; transcription?: string | null };
  payResult?: string;
}

/** A person calling a sandbox number; answers how the call went, step by step. */
export async function callNumber(sandboxUrl: string, script: CallScript): Promise<CallWalk> {
  const response = await fetch(`${sandboxUrl}/_sandbox/phone/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(script),
  });
  if (!response.ok) throw new Error(`sandbox phone: ${response.status} ${await response.text()}`);
  return (await response.json()) as CallWalk;
}

/** What the caller heard, in order. */
export const heard = (walk: CallWalk): string[] =>
  walk.steps.flatMap((step) => [
    ...(step.verb === 'Say' && step.text ? [step.text] : []),
    ...(step.children ?? []).filter((c) => c.verb === 'Say' && c.text).map((c) => c.text as string),
  ]);

/** The verbs executed, in order (e.g. ['Say', 'Gather', 'Redirect', ...]). */
export const verbs = (walk: CallWalk): string[] => walk.steps.map((step) => step.verb);
