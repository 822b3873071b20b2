// The sandbox's fault injection (`/_sandbox/faults`) for tests that make Twilio falter.

export interface FaultRequest {
  method?: string;
  pathPattern: string;
  status?: number;
  code?: number;
  times?: number;
  rate?: number;
  seed?: number;
  delayMs?: number;
  carriedOut?: boolean;
}

export async function addFault(sandboxUrl: string, fault: FaultRequest): Promise<void> {
  const answer = await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (answer.status !== 201) throw new Error(`the sandbox refused the fault: ${answer.status} ${await answer.text()}`);
}

/** The active faults, with how many requests each matched and hit. */
export async function listFaults(sandboxUrl: string): Promise<Array<FaultRequest & { matched: number; fired: number }>> {
  return (await (await fetch(`${sandboxUrl}/_sandbox/faults`)).json()) as Array<FaultRequest & { matched: number; fired: number }>;
}

export async function clearFaults(sandboxUrl: string): Promise<void> {
  await fetch(`${sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
}

/** Sync map items (a POST creates or updates, a GET reads) of the maps whose name starts with `mapPrefix`. */
export const syncItems = (mapPrefix = '[^/]+'): string => `/sync/v1/Services/[^/]+/Maps/${mapPrefix}[^/]*/Items(/[^/]+)?$`;
