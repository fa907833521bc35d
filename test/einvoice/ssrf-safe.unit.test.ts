import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAllowedAddress,
  isIpOrCidr,
  OutboundError,
  safeRequest,
} from '../../src/lib/http/ssrf-safe.js';

/**
 * The SSRF guard (src/lib/http/ssrf-safe.ts). A real server listens on 127.0.0.1, so a request
 * the guard let through would get an answer: each refusal below is the guard's, not a failed
 * connection (the error's kind says so).
 */
let server: http.Server;
let base: string;
let port: number;
const seen: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/redirect') {
      res.writeHead(302, { location: u.searchParams.get('to') ?? '/' }).end();
    } else if (u.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (u.pathname === '/hang') {
      // never answers
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${u.pathname}`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

/** A DNS answer chosen by the test, counted. */
function fakeDns(address: string, family: 4 | 6 = 4) {
  const calls: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    calls.push(hostname);
    if (options.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
  return { lookup, calls };
}

describe('safeRequest refuses private destinations', () => {
  it('lets 127.0.0.1 through only when allow-listed', async () => {
    const error = await refusal(safeRequest({ url: `${base}/a` }));
    expect(error.kind).toBe('blocked');
    const ok = await safeRequest({ url: `${base}/a`, allow: ['127.0.0.1'] });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('ok /a');
    // a CIDR works as well
    const viaCidr = await safeRequest({ url: `${base}/b`, allow: ['127.0.0.0/8'] });
    expect(viaCidr.status).toBe(200);
  });

  it.each([
    ['10.x', 'http://10.1.2.3/'],
    ['192.168.x', 'http://192.168.1.1/'],
    ['172.16.x', 'http://172.16.0.1/'],
    ['cloud metadata 169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT 100.64.x', 'http://100.64.0.1/'],
    ['multicast', 'http://224.0.0.1/'],
    ['unspecified 0.0.0.0', 'http://0.0.0.0/'],
    ['decimal 127.0.0.1', 'http://2130706433/'],
    ['IPv6 loopback [::1]', 'http://[::1]/'],
    ['IPv6 unique-local', 'http://[fd00::1]/'],
    ['IPv6 link-local', 'http://[fe80::1]/'],
    ['IPv4-mapped ::ffff:127.0.0.1', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped ::ffff:169.254.169.254', 'http://[::ffff:169.254.169.254]/'],
  ])('%s', async (_name, url) => {
    const error = await refusal(safeRequest({ url, timeoutMs: 3000 }));
    expect(error.kind).toBe('blocked');
  });

  it('refuses the loopback on another port of an allow-listed address family', async () => {
    // 127.0.0.1 allowed does not allow ::1 nor ::ffff:127.0.0.1
    for (const url of [`http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      const error = await refusal(safeRequest({ url, allow: ['127.0.0.1'] }));
      expect(error.kind).toBe('blocked');
    }
  });

  it('refuses a host name that resolves to a private address (checked at connect time)', async () => {
    const error = await refusal(safeRequest({ url: `http://localhost:${port}/` }));
    expect(error.kind).toBe('blocked');

    const dns = fakeDns('10.0.0.7');
    const viaDns = await refusal(
      safeRequest({ url: 'http://provider.example/api', lookup: dns.lookup }),
    );
    expect(viaDns.kind).toBe('blocked');
    expect(dns.calls).toEqual(['provider.example']);

    // DNS rebinding: whatever the name resolved to before, the address the socket is about to
    // use is the one checked.
    const rebound = fakeDns('169.254.169.254');
    expect(
      (await refusal(safeRequest({ url: 'http://rebind.example/', lookup: rebound.lookup }))).kind,
    ).toBe('blocked');
    const mapped = fakeDns('::ffff:127.0.0.1', 6);
    expect(
      (await refusal(safeRequest({ url: 'http://mapped.example/', lookup: mapped.lookup }))).kind,
    ).toBe('blocked');
  });

  it('connects through a name whose address is allow-listed', async () => {
    const dns = fakeDns('127.0.0.1');
    const res = await safeRequest({
      url: `http://einvoice.lan:${port}/named`,
      lookup: dns.lookup,
      allow: ['127.0.0.1'],
    });
    expect(res.status).toBe(200);
    expect(dns.calls).toEqual(['einvoice.lan']);
  });

  it('refuses schemes other than http and https', async () => {
    expect((await refusal(safeRequest({ url: 'file:///etc/passwd' }))).kind).toBe('blocked');
    expect((await refusal(safeRequest({ url: 'ftp://example.com/' }))).kind).toBe('blocked');
  });
});

describe('redirects', () => {
  const allow = ['127.0.0.1'];

  it('re-checks each hop: a redirect to a private address is refused', async () => {
    for (const to of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      const error = await refusal(
        safeRequest({ url: `${base}/redirect?to=${encodeURIComponent(to)}`, allow }),
      );
      expect(error.kind).toBe('blocked');
    }
  });

  it('follows an allowed redirect and drops credentials when it leaves the origin', async () => {
    const other = http.createServer((req, res) => {
      seen.push({ url: `other${req.url ?? ''}`, authorization: req.headers.authorization });
      res.end('other');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      seen.length = 0;
      const same = await safeRequest({
        url: `${base}/redirect?to=/target`,
        headers: { authorization: 'Basic c2VjcmV0' },
        allow,
      });
      expect(same.body.toString()).toBe('ok /target');
      expect(seen.map((s) => s.authorization)).toEqual(['Basic c2VjcmV0', 'Basic c2VjcmV0']);

      seen.length = 0;
      const cross = await safeRequest({
        url: `${base}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${otherPort}/x`)}`,
        headers: { authorization: 'Basic c2VjcmV0' },
        allow,
      });
      expect(cross.body.toString()).toBe('other');
      expect(seen).toEqual([
        { url: expect.stringContaining('/redirect') as string, authorization: 'Basic c2VjcmV0' },
        { url: 'other/x', authorization: undefined },
      ]);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('stops after maxRedirects', async () => {
    const error = await refusal(safeRequest({ url: `${base}/loop`, allow, maxRedirects: 2 }));
    expect(error.kind).toBe('redirect');
    const raw = await safeRequest({ url: `${base}/loop`, allow, maxRedirects: 0 });
    expect(raw.status).toBe(302);
  });
});

describe('limits', () => {
  it('times out a server that does not answer', async () => {
    const started = Date.now();
    const error = await refusal(
      safeRequest({ url: `${base}/hang`, allow: ['127.0.0.1'], timeoutMs: 300 }),
    );
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const error = await refusal(
      safeRequest({
        url: `${base}/${'x'.repeat(100)}`,
        allow: ['127.0.0.1'],
        maxResponseBytes: 10,
      }),
    );
    expect(error.kind).toBe('too_large');
  });
});

describe('address rules', () => {
  it('classifies addresses as the agents do', () => {
    expect(isAllowedAddress('8.8.8.8')).toBe(true);
    expect(isAllowedAddress('2001:4860:4860::8888')).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '100.64.1.1',
      '::1',
      'fd12::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.251',
    ]) {
      expect(isAllowedAddress(a), a).toBe(false);
    }
    expect(isAllowedAddress('192.168.1.20', ['192.168.1.0/24'])).toBe(true);
    expect(isAllowedAddress('192.168.2.20', ['192.168.1.0/24'])).toBe(false);
    expect(isAllowedAddress('::1', ['127.0.0.0/8'])).toBe(false);
  });

  it('validates allow-list entries', () => {
    expect(isIpOrCidr('127.0.0.1')).toBe(true);
    expect(isIpOrCidr('10.0.0.0/8')).toBe(true);
    expect(isIpOrCidr('fd00::/8')).toBe(true);
    expect(isIpOrCidr('example.com')).toBe(false);
    expect(isIpOrCidr('10.0.0.0/33')).toBe(false);
  });
});
