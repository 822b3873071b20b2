// Twilio round trips per route (counted through the sandbox's request log, with a latency injected
// into every Twilio request), beside the product's own overhead: the route wrapper against an empty
// Function in the same runtime, and cold start against requiring `twilio` alone. Writes
// bench/results/latency.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { injectLatency } from './latency/measure';
import { measureRoutes, type RouteFigures } from './latency/routes';
import { startLatencyStack } from './latency/stack';
import { measureColdStart, measureHandlerOverhead, sharedAssetSize } from './latency/overhead';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 80);
const RESULTS = path.join(__dirname, 'results', 'latency.json');

function table(figures: RouteFigures[]): string {
  const rows = figures.map((f) => [
    f.route,
    String(f.requests),
    String(f.criticalPath),
    `≤ ${f.target}`,
    f.criticalPath <= f.target ? 'met' : 'MISSED',
    `${f.ms.toFixed(0)} ms`,
  ]);
  const head = ['route', 'requests', 'critical path', 'target', '', `time at ${LATENCY_MS} ms`];
  const widths = head.map((_, i) => Math.max(head[i].length, ...rows.map((row) => row[i].length)));
  return [head, ...rows].map((row) => '  ' + row.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

export async function run(): Promise<void> {
  const stack = await startLatencyStack();
  let routes: RouteFigures[];
  try {
    await injectLatency(stack.sandbox.url, LATENCY_MS);
    routes = await measureRoutes(stack);
  } finally {
    await stack.close();
  }
  const overhead = await measureHandlerOverhead();
  const coldStart = measureColdStart();
  const asset = sharedAssetSize();

  console.log(`latency: Twilio round trips per route, ${LATENCY_MS} ms injected into every Twilio request (sandbox request log)`);
  console.log(table(routes));
  console.log(
    `  handler overhead: a webhook through the route wrapper p50 ${overhead.wrapperMs.toFixed(2)} ms vs an empty Function ` +
      `${overhead.emptyMs.toFixed(2)} ms in the same runtime (+${(overhead.wrapperMs - overhead.emptyMs).toFixed(2)} ms, ${overhead.requests} requests each)`,
  );
  console.log(
    `  cold start: requiring a built Function plus the asset ${coldStart.functionMs.toFixed(0)} ms vs requiring twilio alone ` +
      `${coldStart.twilioMs.toFixed(0)} ms (ratio ${(coldStart.functionMs / coldStart.twilioMs).toFixed(2)}x, median of ${coldStart.runs} fresh processes)`,
  );
  console.log(`  shared asset: ${(asset.bytes / 1024).toFixed(1)} KiB (${(asset.gzipBytes / 1024).toFixed(1)} KiB gzipped)`);

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const results = {
    latencyMsPerTwilioRequest: LATENCY_MS,
    routes: routes.map(({ route, requests, criticalPath, target, ms, afterAnswer, trace }) => ({
      route,
      requests,
      criticalPath,
      target,
      met: criticalPath <= target,
      ms: Math.round(ms),
      afterAnswer,
      trace,
    })),
    handlerOverhead: overhead,
    coldStart,
    sharedAsset: asset,
  };
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  console.log(`  written to ${path.relative(process.cwd(), RESULTS)}`);
}
