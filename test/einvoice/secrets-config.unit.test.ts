import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_SECRETS_KEY, loadConfig } from '../../src/config/env.js';
import { decryptSecret, encryptSecret, SecretDecryptError } from '../../src/lib/secrets.js';

describe('SEN_SECRETS_KEY and SEN_OUTBOUND_ALLOW', () => {
  it('defaults to the development key, flagged as such', () => {
    const c = loadConfig({});
    expect(c.secretsKey).toBe(DEV_SECRETS_KEY);
    expect(c.secretsKeyIsDefault).toBe(true);
    expect(c.outboundAllow).toEqual([]);
    const set = loadConfig({ SEN_SECRETS_KEY: 'x'.repeat(40) });
    expect(set.secretsKeyIsDefault).toBe(false);
  });

  it('refuses a short key and an allow-list entry that is not an IP or CIDR', () => {
    expect(() => loadConfig({ SEN_SECRETS_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SEN_OUTBOUND_ALLOW: '10.0.0.0/8, example.com' })).toThrow(
      /SEN_OUTBOUND_ALLOW/,
    );
  });

  it('reads the allow-list', () => {
    expect(
      loadConfig({ SEN_OUTBOUND_ALLOW: ' 127.0.0.1, 192.168.1.0/24 ,fd00::/8' }).outboundAllow,
    ).toEqual(['127.0.0.1', '192.168.1.0/24', 'fd00::/8']);
  });
});

describe('secrets at rest', () => {
  const key = 'k'.repeat(32);

  it('round-trips, differs each time, and never shows the plaintext', () => {
    const a = encryptSecret(key, 'mật khẩu', 'ctx');
    const b = encryptSecret(key, 'mật khẩu', 'ctx');
    expect(a).not.toBe(b);
    expect(a).not.toContain('mật');
    expect(decryptSecret(key, a, 'ctx')).toBe('mật khẩu');
  });

  it('refuses another key, another context, a tampered text', () => {
    const s = encryptSecret(key, 'secret', 'ctx');
    expect(() => decryptSecret('z'.repeat(32), s, 'ctx')).toThrow(SecretDecryptError);
    expect(() => decryptSecret(key, s, 'other')).toThrow(SecretDecryptError);
    const parts = s.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(key, parts.join('.'), 'ctx')).toThrow(SecretDecryptError);
    expect(() => decryptSecret(key, 'plain', 'ctx')).toThrow(SecretDecryptError);
  });
});
