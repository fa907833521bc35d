import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets kept in the database (an e-invoice provider's password) are encrypted with AES-256-GCM
 * under a key derived (HKDF-SHA256) from SEN_SECRETS_KEY. The stored text is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the additional data binds it to its workspace and
 * purpose, so a ciphertext copied into another workspace's row does not decrypt.
 */
const VERSION = 'v1';

function keyFrom(secretsKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretsKey, 'sen-secrets', 'sen-secrets-v1', 32));
}

export function encryptSecret(secretsKey: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secretsKey), iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export class SecretDecryptError extends Error {}

/** Throws SecretDecryptError when the key or the context is not the one it was sealed with. */
export function decryptSecret(secretsKey: string, sealed: string, context: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ct === undefined) {
    throw new SecretDecryptError('Not a sealed secret');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFrom(secretsKey),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    throw new SecretDecryptError('The secret cannot be decrypted with this key', { cause: error });
  }
}
