import type { CampaignStore, Outcome, Recipient } from './store';
import type { Step } from './send';

/** One stored batch as a run works it: who is in it, what was known before, what this run made of each. */
export interface BatchInWork {
  /** Position in the campaign's batch order (see `batchOrder`). */
  index: number;
  page: number;
  batch: number;
  recipients: Recipient[];
  /** Outcomes recorded before this run read the batch. */
  known: Record<string, Outcome>;
  /** This run's steps, by recipient. */
  steps: Map<string, Step>;
  /** Recipients handed out, and how many of those are finished. */
  started: number;
  settled: number;
  /** No more recipients will be handed out from it (all were, or the run stopped). */
  closed: boolean;
}

/**
 * Hands out a campaign's open recipients one at a time, batch after batch, reading `depth`
 * batches ahead so the senders never wait on Sync between batches. Calls `onSettled` once per
 * batch it opened, when the batch is closed and each recipient handed out from it is finished.
 */
export class BatchFeed {
  private readonly ahead: Array<Promise<BatchInWork>> = [];
  private nextToRead: number;
  private current: BatchInWork | undefined;
  private position = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every batch opened, in order. */
  readonly opened: BatchInWork[] = [];

  constructor(
    private readonly store: Pick<CampaignStore, 'batch' | 'outcomes'>,
    private readonly id: string,
    private readonly order: ReadonlyArray<readonly [number, number]>,
    first: number,
    private readonly depth: number,
    private readonly onSettled: (batch: BatchInWork) => void,
  ) {
    this.nextToRead = first;
  }

  /** The next open recipient and its batch; undefined when there is none left. Calls are served in turn. */
  take(): Promise<{ batch: BatchInWork; recipient: Recipient } | undefined> {
    const taken = this.queue.then(() => this.next());
    this.queue = taken.catch(() => undefined);
    return taken;
  }

  /** A recipient handed out is finished. */
  settle(batch: BatchInWork, to: string, step: Step | undefined): void {
    if (step) batch.steps.set(to, step);
    batch.settled += 1;
    this.settleIfDone(batch);
  }

  /** The run hands out no more: the open batch is closed (batches read ahead and never opened are left). */
  close(): void {
    if (!this.current) return;
    this.current.closed = true;
    this.settleIfDone(this.current);
    this.current = undefined;
  }

  private settleIfDone(batch: BatchInWork): void {
    if (batch.closed && batch.settled === batch.started) this.onSettled(batch);
  }

  private async next(): Promise<{ batch: BatchInWork; recipient: Recipient } | undefined> {
    for (;;) {
      const batch = this.current;
      if (batch) {
        while (this.position < batch.recipients.length) {
          const recipient = batch.recipients[this.position++];
          if (batch.known[recipient.to]) continue;
          batch.started += 1;
          return { batch, recipient };
        }
        this.close();
      }
      this.readAhead();
      const read = this.ahead.shift();
      if (!read) return undefined;
      this.current = await read;
      this.position = 0;
      this.opened.push(this.current);
      this.readAhead();
    }
  }

  private readAhead(): void {
    while (this.ahead.length < this.depth && this.nextToRead < this.order.length) {
      const index = this.nextToRead++;
      const [page, batch] = this.order[index];
      const read = Promise.all([this.store.batch(this.id, page, batch), this.store.outcomes(this.id, page, batch)]).then(
        ([recipients, known]): BatchInWork => ({
          index,
          page,
          batch,
          recipients,
          known,
          steps: new Map(),
          started: 0,
          settled: 0,
          closed: false,
        }),
      );
      // A read never taken (the run stopped first) must not fail the process; a taken one still throws.
      read.catch(() => undefined);
      this.ahead.push(read);
    }
  }
}
