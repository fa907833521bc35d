/**
 * The Sen server of the export benchmark (bench/export.ts), in a process of its own so that its
 * memory is measured alone: started from the environment the benchmark passes, it reports its
 * address once listening, then `process.memoryUsage().rss` every 100 ms, until told to stop.
 */
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer } from '../src/server.js';

export interface ServerMessage {
  type: 'ready' | 'rss';
  url?: string;
  rss?: number;
  at?: number;
}

const send = (message: ServerMessage) => process.send?.(message);

const config = loadConfig(process.env);
const server = await startServer(config, createLogger(config.logLevel));
send({ type: 'ready', url: server.url });
const timer = setInterval(
  () => send({ type: 'rss', rss: process.memoryUsage().rss, at: Date.now() }),
  100,
);
process.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  void server.close().finally(() => process.exit(0));
});
