/**
 * The load generator, run on its own thread so that autocannon does not share an event loop
 * with the servers it measures (both servers run on the main thread). Started by run.ts.
 *
 * Latencies are recorded here from autocannon's per-response event, in fractional ms:
 * autocannon's own histogram only resolves whole milliseconds, too coarse for this benchmark.
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
  const instance = autocannon({
    url: req.url,
    headers: req.headers,
    connections: req.connections,
    duration: req.durationSeconds,
    timeout: 10,
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const result = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    id: req.id,
    requests: result.totalCompletedRequests,
    seconds: result.duration,
    requestsPerSecond: result.totalCompletedRequests / result.duration,
    latency: summarize(Float64Array.from(latencies)),
    non2xx: result.non2xx,
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
