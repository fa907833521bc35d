import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/**
 * Outbound HTTP that cannot be pointed at Sen's own network (SSRF). Every request Sen sends to an
 * address a workspace typed in (an e-invoice provider's base URL, later webhooks) goes through
 * `safeRequest`.
 *
 * The guard is request-filtering-agent's http/https agents: the destination IP is checked when
 * the socket connects, on the address the connection really uses — an IP literal before
 * connecting, a host name in the agent's DNS lookup hook, every address the lookup returns — so a
 * name that resolved to a public address a moment ago and to 127.0.0.1 now (DNS rebinding) is
 * refused. Anything but public unicast is refused: loopback, RFC 1918, link-local (169.254/16,
 * the cloud metadata service), CGNAT (100.64/10), multicast, broadcast, reserved, unspecified,
 * IPv6 loopback, unique-local (fc00::/7), link-local, IPv4-mapped (::ffff:127.0.0.1), 6to4,
 * Teredo and NAT64 (ipaddr.js `range()` other than `unicast`).
 *
 * Redirects are followed by hand (at most `maxRedirects`, 3 by default), each hop through the same
 * agents, so a redirect to a private address is refused too; an https → http downgrade is
 * refused; credentials (Authorization, Cookie) are dropped when a redirect leaves the origin.
 *
 * `allow` lists IPs or CIDRs that are let through although private: the tests' 127.0.0.1, or a
 * self-hosted provider on the LAN (SEN_OUTBOUND_ALLOW).
 */

export type OutboundErrorKind =
  | 'blocked' // the destination is a private/reserved address (or a scheme other than http/https)
  | 'timeout' // no complete answer within timeoutMs
  | 'network' // connection refused, reset, DNS failure…
  | 'too_large' // the answer exceeds maxResponseBytes
  | 'redirect'; // too many redirects, or an https → http downgrade

export class OutboundError extends Error {
  readonly kind: OutboundErrorKind;
  constructor(kind: OutboundErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundError';
    this.kind = kind;
  }
}

export interface SafeRequestOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, redirects included (default 15 s). */
  timeoutMs?: number;
  /** Default 3; 0 returns a 3xx as it is. */
  maxRedirects?: number;
  /** Default 20 MiB. */
  maxResponseBytes?: number;
  /** IPs or CIDRs let through although private (config.outboundAllow). */
  allow?: readonly string[];
  /** DNS lookup to use (tests point a name at a chosen address); the guard checks its answer. */
  lookup?: LookupFunction;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

/** True when `entry` is an IP address or a CIDR (what SEN_OUTBOUND_ALLOW may hold). */
export function isIpOrCidr(entry: string): boolean {
  if (net.isIP(entry) !== 0) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Sen may connect to this IP address under `allow` (the same rule the agents apply at
 * connect time; exported for validating addresses up front and for tests).
 */
export function isAllowedAddress(address: string, allow: readonly string[] = []): boolean {
  if (net.isIP(address) === 0) return false;
  const parsed = ipaddr.parse(address);
  for (const entry of allow) {
    if (net.isIP(entry) !== 0) {
      if (entry === address) return true;
      continue;
    }
    try {
      const cidr = ipaddr.parseCIDR(entry);
      if (parsed.kind() === cidr[0].kind() && parsed.match(cidr)) return true;
    } catch {
      // config validation refuses a bad entry; ignore here
    }
  }
  return parsed.range() === 'unicast';
}

const agents = new Map<string, { http: http.Agent; https: https.Agent }>();

function agentsFor(allow: readonly string[]) {
  const key = [...allow].sort().join(',');
  let pair = agents.get(key);
  if (!pair) {
    const options = {
      allowPrivateIPAddress: false,
      allowMetaIPAddress: false,
      allowIPAddressList: [...allow],
      denyIPAddressList: [],
      keepAlive: false,
    };
    pair = {
      http: new RequestFilteringHttpAgent(options),
      https: new RequestFilteringHttpsAgent(options),
    };
    agents.set(key, pair);
  }
  return pair;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** One HTTP exchange under the SSRF guard (see the file's comment). */
export async function safeRequest(options: SafeRequestOptions): Promise<SafeResponse> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRedirects = options.maxRedirects ?? 3;
  const deadline = Date.now() + timeoutMs;
  let url = parseUrl(options.url);
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  let headers = { ...(options.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    const res = await once(url, method, headers, body, deadline, options);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || location === undefined || maxRedirects === 0) return res;
    if (hop >= maxRedirects) {
      throw new OutboundError('redirect', `More than ${maxRedirects} redirects from ${url.origin}`);
    }
    const next = parseUrl(new URL(location, url).toString());
    if (url.protocol === 'https:' && next.protocol === 'http:') {
      throw new OutboundError('redirect', `Redirect from https to http refused (${next.origin})`);
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())),
      );
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([k]) => !['content-type', 'content-length'].includes(k.toLowerCase()),
        ),
      );
    }
    url = next;
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new OutboundError('blocked', `Not a URL: ${raw}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('blocked', `Only http and https are allowed (${url.protocol})`);
  }
  return url;
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  deadline: number,
  options: SafeRequestOptions,
): Promise<SafeResponse> {
  const maxBytes = options.maxResponseBytes ?? 20 * 1024 * 1024;
  const pair = agentsFor(options.allow ?? []);
  const isHttps = url.protocol === 'https:';
  const remaining = deadline - Date.now();
  if (remaining <= 0) {
    return Promise.reject(new OutboundError('timeout', `No answer from ${url.origin} in time`));
  }
  return new Promise<SafeResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: SafeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as SafeResponse);
    };
    const requestHeaders: Record<string, string> = { ...headers };
    if (body !== undefined && !hasHeader(requestHeaders, 'content-length')) {
      requestHeaders['content-length'] = String(Buffer.byteLength(body));
    }
    const req = (isHttps ? https : http).request(url, {
      method,
      headers: requestHeaders,
      agent: isHttps ? pair.https : pair.http,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    const timer = setTimeout(() => {
      const error = new OutboundError('timeout', `No answer from ${url.origin} in time`);
      finish(error);
      req.destroy(error);
    }, remaining);
    req.on('error', (error) => finish(classify(error, url)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          const error = new OutboundError('too_large', `Answer from ${url.origin} too large`);
          finish(error);
          req.destroy(error);
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(classify(error, url)));
      res.on('end', () =>
        finish(null, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          url: url.toString(),
        }),
      );
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function classify(error: Error, url: URL): OutboundError {
  if (error instanceof OutboundError) return error;
  // request-filtering-agent's refusals: "DNS lookup 127.0.0.1(…) is not allowed. Because…"
  if (/is not allowed/.test(error.message)) {
    return new OutboundError('blocked', `${url.host}: ${error.message}`, { cause: error });
  }
  return new OutboundError('network', `${url.origin}: ${error.message}`, { cause: error });
}
