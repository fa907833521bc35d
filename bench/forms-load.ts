/**
 * The forms bench's load generator (bench/forms.ts), on its own thread so that it does not share
 * an event loop with the server it measures: `connections` clients over keep-alive HTTP, each
 * posting one public form submission after another for `durationSeconds`, every body a new
 * person (name, email, phone, UTM), as a website's visitors would.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { percentile, summarize, type Summary } from './stats.js';

export interface FormLoadRequest {
  id: number;
  url: string;
  connections: number;
  durationSeconds: number;
  /** A prefix that makes this run's people unique (emails, phones). */
  run: number;
}

export interface FormLoadResult {
  id: number;
  error?: string;
  requests: number;
  seconds: number;
  perSecond: number;
  latency: Summary;
  p95: number;
  statusCodes: Record<string, number>;
  errors: number;
}

const givenNames = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hoa', 'Khánh', 'Lan', 'Minh', 'Ngọc'];
const familyNames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];

function body(run: number, n: number): string {
  const given = givenNames[n % givenNames.length]!;
  const family = familyNames[Math.floor(n / givenNames.length) % familyNames.length]!;
  // 09x xxx xxxx: a Vietnamese mobile number unique in the run.
  const phone = `09${String(run % 10)}${String(n).padStart(7, '0')}`;
  return JSON.stringify({
    fullName: `${family} Thị ${given}`,
    email: `khach.${run}.${n}@example.vn`,
    phone,
    companyName: `Cửa hàng ${given}`,
    utm_source: 'facebook',
    utm_medium: 'cpc',
    utm_campaign: 'tet-2027',
    referrer: 'https://www.facebook.com/',
    landing_page: 'https://shop.example.vn/khuyen-mai',
    website: '',
  });
}

async function runLoad(req: FormLoadRequest): Promise<FormLoadResult> {
  const url = new URL(req.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: req.connections });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const until = started + req.durationSeconds * 1000;

  const post = (payload: string) =>
    new Promise<number>((resolve, reject) => {
      const r = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      r.on('error', reject);
      r.end(payload);
    });

  const client = async () => {
    while (performance.now() < until) {
      const payload = body(req.run, next++);
      const t0 = performance.now();
      try {
        const status = await post(payload);
        latencies.push(performance.now() - t0);
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: req.connections }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    id: req.id,
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    ...(() => {
      const sorted = Float64Array.from(latencies);
      const latency = summarize(sorted);
      return { latency, p95: percentile(sorted, 95) };
    })(),
    statusCodes,
    errors,
  };
}

const port = parentPort;
if (!port) throw new Error('forms-load.ts must run in a worker thread');
port.on('message', (req: FormLoadRequest) => {
  runLoad(req).then(
    (result) => port.postMessage(result),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
  );
});
