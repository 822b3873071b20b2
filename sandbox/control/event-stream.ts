import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventTopic, SandboxEvent, SandboxEvents } from '../events';

export interface EventStreamOptions {
  /** Events within this window go out as one message (a burst of status steps = one refresh). */
  coalesceMs?: number;
  /** A comment line this often keeps proxies and the browser from timing the stream out. */
  heartbeatMs?: number;
}

/** One Server-Sent Events message: the topics that changed and any notices, since the last one. */
interface EventBatch {
  topics: EventTopic[];
  notices: Array<NonNullable<SandboxEvent['notice']>>;
}

/**
 * `GET /_sandbox/events`: a Server-Sent Events stream (text/event-stream) of what changed, for the
 * console. The first message is `event: ready`; then each `data:` line is an EventBatch. Ends when
 * the client goes away or the sandbox closes.
 */
export function serveEventStream(req: IncomingMessage, res: ServerResponse, events: SandboxEvents, options: EventStreamOptions = {}): void {
  const coalesceMs = options.coalesceMs ?? 50;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
  });
  res.write('retry: 1000\nevent: ready\ndata: {}\n\n');

  const topics = new Set<EventTopic>();
  const notices: EventBatch['notices'] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    const batch: EventBatch = { topics: [...topics], notices: notices.splice(0) };
    topics.clear();
    res.write(`data: ${JSON.stringify(batch)}\n\n`);
  };
  const unsubscribe = events.subscribe((event) => {
    topics.add(event.topic);
    if (event.notice) notices.push(event.notice);
    timer ??= setTimeout(flush, coalesceMs);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  heartbeat.unref();
  const stop = (): void => {
    unsubscribe();
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
  };
  req.on('close', stop);
  res.on('error', stop);
}
