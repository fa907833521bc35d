/**
 * The load generator, run on its own thread so that autocannon does not share an event loop
 * with the servers it measures (both servers run on the main thread). Started by run.ts.
 *
 * Responses are counted and timed here from autocannon's per-response event, latencies in
 * fractional ms: autocannon's own histogram only resolves whole milliseconds, too coarse here.
 */
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';
import { summarize, type Summary } from './stats.js';

export interface LoadRequest {
  id: number;
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  id: number;
  error?: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latency: Summary;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

async function runLoad(req: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  const instance = autocannon({
    url: req.url,
    headers: req.headers,
    connections: req.connections,
    duration: req.durationSeconds,
    timeout: 10,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    if (status < 200 || status > 299) non2xx++;
  });
  const result = await instance;
  return {
    id: req.id,
    requests: latencies.length,
    seconds: result.duration,
    requestsPerSecond: latencies.length / result.duration,
    latency: summarize(Float64Array.from(latencies)),
    non2xx: Math.max(non2xx, result.non2xx),
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

const port = parentPort;
if (!port) throw new Error('load-worker.ts must run in a worker thread');
port.on('message', (req: LoadRequest) => {
  runLoad(req).then(
    (result) => port.postMessage(result),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
  );
});
