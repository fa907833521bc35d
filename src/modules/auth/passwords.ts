import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { fieldError } from '../../core/errors.js';

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const options = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verified against when the email is unknown, to keep timing flat. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`sen-dummy-${Math.random()}`);
  return dummyHash;
}

const vietnameseCommon = [
  'matkhau',
  'matkhau123',
  'anhyeuem',
  'emyeuanh',
  'yeuemnhieu',
  'vietnam',
  'vietnam123',
  'hanoi123',
  'saigon123',
  'admin123',
  'sen12345',
];
const common = new Set([...dictionary['passwords-common'], ...vietnameseCommon]);

export const MIN_PASSWORD_LENGTH = 8;

/** Throws a field error for `path` when the password is too short or too common. */
export function assertStrongPassword(password: string, path = 'password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw fieldError(path, {
      vi: `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`,
      en: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
  }
  if (common.has(password.toLowerCase())) {
    throw fieldError(path, {
      vi: 'Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.',
      en: 'This password is too common and easy to guess. Choose another one.',
    });
  }
}
