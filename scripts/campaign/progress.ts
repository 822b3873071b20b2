// Progress on the terminal: a cli-progress bar when stdout is a TTY, a plain line every few
// seconds when it is not (CI logs, pipes), where a redrawn bar would be noise.
import { Presets, SingleBar } from 'cli-progress';

export interface Snapshot {
  phase: 'upload' | 'send';
  /** Rows uploaded, or recipients settled (sent + refused + failed). */
  done: number;
  total: number;
  sent: number;
  refused: number;
  failed: number;
  etaSeconds?: number;
}

export interface ProgressView {
  update(snapshot: Snapshot): void;
  /** A passing remark (a retry, a wait); shown until the next update. */
  note(text: string): void;
  /** Leaves the last state on screen and the cursor visible. */
  stop(): void;
}

/** `45s`, `3m 05s`, `2h 07m`, `3d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h ${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3_600)}h`;
}

const number = (value: number): string => value.toLocaleString('en-US');
const percent = (done: number, total: number): number => (total === 0 ? 100 : Math.floor((done / total) * 100));

function detail(snapshot: Snapshot): string {
  const eta = snapshot.etaSeconds === undefined ? '' : ` | ETA ${formatDuration(snapshot.etaSeconds)}`;
  if (snapshot.phase === 'upload') return `refused ${number(snapshot.refused)}${eta}`;
  return `sent ${number(snapshot.sent)} · refused ${number(snapshot.refused)} · failed ${number(snapshot.failed)}${eta}`;
}

/** One line of the plain output: `send 1,200/5,000 (24%) sent 1,100 · refused 80 · failed 20 | ETA 3m 10s`. */
export function progressLine(snapshot: Snapshot): string {
  return `${snapshot.phase} ${number(snapshot.done)}/${number(snapshot.total)} (${percent(snapshot.done, snapshot.total)}%) ${detail(snapshot)}`;
}

const LABEL: Record<Snapshot['phase'], string> = { upload: 'upload', send: 'send  ' };

class BarView implements ProgressView {
  private bar: SingleBar | undefined;
  private phase: Snapshot['phase'] | undefined;
  private last: Snapshot | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(snapshot: Snapshot): void {
    if (this.phase !== snapshot.phase) {
      this.bar?.stop();
      this.bar = new SingleBar(
        {
          format: '{label} {bar} {percentage}% | {value}/{total} | {detail}{note}',
          formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? number(value) : String(value)),
          stream: this.stream,
          hideCursor: true,
          fps: 5,
          barsize: 30,
        },
        Presets.shades_classic,
      );
      this.bar.start(snapshot.total, snapshot.done, { label: LABEL[snapshot.phase], detail: detail(snapshot), note: '' });
      this.phase = snapshot.phase;
    } else {
      this.bar?.setTotal(snapshot.total);
      this.bar?.update(snapshot.done, { detail: detail(snapshot), note: '' });
    }
    this.last = snapshot;
  }

  note(text: string): void {
    if (this.bar && this.last) this.bar.update(this.last.done, { note: ` | ${text}` });
    else this.stream.write(`${text}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.phase = undefined;
  }
}

class LineView implements ProgressView {
  private lastPrinted = -Infinity;
  private pending: Snapshot | undefined;
  private phase: Snapshot['phase'] | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  update(snapshot: Snapshot): void {
    const newPhase = snapshot.phase !== this.phase;
    if (newPhase) this.flush();
    this.phase = snapshot.phase;
    if (newPhase || this.now() - this.lastPrinted >= this.intervalMs) this.print(snapshot);
    else this.pending = snapshot;
  }

  note(text: string): void {
    this.flush();
    this.stream.write(`${text}\n`);
  }

  stop(): void {
    this.flush();
    this.phase = undefined;
  }

  private flush(): void {
    if (this.pending) this.print(this.pending);
  }

  private print(snapshot: Snapshot): void {
    this.stream.write(`${progressLine(snapshot)}\n`);
    this.lastPrinted = this.now();
    this.pending = undefined;
  }
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** Plain lines at most this often (the last state is always printed at the end). */
  intervalMs?: number;
  now?: () => number;
}

/** The bar on a terminal, plain lines elsewhere. */
export function createProgress({ stream, intervalMs = 5_000, now = Date.now }: ProgressOptions): ProgressView {
  return stream.isTTY ? new BarView(stream) : new LineView(stream, intervalMs, now);
}
