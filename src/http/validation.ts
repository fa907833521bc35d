import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import type { FieldError, Locale } from '../core/errors.js';

/**
 * Request validation with zod, keeping each issue whole so the error handler can translate it
 * (zod's own vi and en locales) and name the offending field.
 */
export class RequestValidationError extends Error {
  constructor(
    readonly issues: z.core.$ZodIssue[],
    readonly part: string,
  ) {
    super('Request validation failed');
  }
}

/** A value findBadText refused, found after parsing (see validatorCompiler). */
export class TextError extends Error {
  constructor(readonly field: FieldError) {
    super('Request validation failed');
  }
}

const locales = { vi: z.locales.vi().localeError, en: z.locales.en().localeError };

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) {
      // The preValidation hook checked the raw input; values the query schemas parse out of
      // strings (a JSON `filter=`) get the same check here. Bodies and params are parsed
      // before the hook, so they are not walked twice.
      if (httpPart === 'querystring') {
        const bad = findBadText(result.data, httpPart);
        if (bad) return { error: new TextError(bad) };
      }
      return { value: result.data };
    }
    return { error: new RequestValidationError(result.error.issues, httpPart ?? 'body') };
  };

function translate(issue: z.core.$ZodIssue, locale: Locale): string {
  const out = locales[locale](issue as never);
  return typeof out === 'string' ? out : (out?.message ?? issue.message);
}

/** One field error per issue, and one per unknown key (`{ path, message, text, reason, in }`). */
export function fieldErrors(err: RequestValidationError): FieldError[] {
  return err.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    const one = (i: z.core.$ZodIssue, path: string[]): FieldError => ({
      path: path.join('.') || err.part,
      message: translate(i, 'en'),
      text: { vi: translate(i, 'vi'), en: translate(i, 'en') },
      reason: i.code,
      in: err.part,
    });
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => one({ ...issue, keys: [key] }, [...base, key]));
    }
    return [one(issue, base)];
  });
}

/** Deeper than this, a JSON body or query is refused (nothing Sen accepts nests past 10). */
export const MAX_DEPTH = 32;

const textProblems = {
  nul: {
    vi: 'Chứa ký tự NUL (\\u0000), không được phép.',
    en: 'Contains a NUL character (\\u0000), which is not allowed.',
  },
  surrogate: {
    vi: 'Chứa ký tự Unicode không hợp lệ (surrogate lẻ).',
    en: 'Contains invalid Unicode (a lone surrogate).',
  },
  depth: {
    vi: `Dữ liệu lồng nhau quá sâu (tối đa ${MAX_DEPTH} cấp).`,
    en: `Nested too deeply (at most ${MAX_DEPTH} levels).`,
  },
} as const;

/**
 * Whether findBadText would find something: a recursion bounded by MAX_DEPTH (so a hostile
 * depth cannot overflow the stack), with no allocation on the way.
 */
function hasBadText(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return badText(value) !== null;
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (hasBadText(v, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (badText(key) !== null) return true;
    if (hasBadText((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function badText(s: string): keyof typeof textProblems | null {
  if (s.includes('\u0000')) return 'nul';
  if (!s.isWellFormed()) return 'surrogate';
  return null;
}

/**
 * The first string (value or object key) in `value` that no database column can hold as typed
 * (PostgreSQL refuses NUL in text and JSONB; a lone surrogate would be stored as U+FFFD, a
 * silent change), or a nesting deeper than MAX_DEPTH. Iterative, so a hostile depth cannot
 * overflow the stack. Run on every request's body, query and params before validation
 * (`app.ts`), so no route and no later field type can forget it.
 */
export function findBadText(value: unknown, part: string): FieldError | null {
  // The common case (nothing wrong) without allocating: the path is built only for a problem.
  if (!hasBadText(value, 0)) return null;
  const stack: [unknown, string[]][] = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    const fail = (reason: keyof typeof textProblems, at: string[]): FieldError => ({
      path: at.join('.') || part,
      message: textProblems[reason].en,
      text: textProblems[reason],
      reason: reason === 'depth' ? 'too_deep' : 'invalid_character',
      in: part,
    });
    if (typeof v === 'string') {
      const bad = badText(v);
      if (bad) return fail(bad, path);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= MAX_DEPTH) return fail('depth', path);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, String(i)]]);
      continue;
    }
    for (const key of Object.keys(v)) {
      const bad = badText(key);
      // The path echoes the key: printable, well-formed and short.
      if (bad)
        return fail(bad, [
          ...path,
          key
            .toWellFormed()
            .replace(/\p{Cc}/gu, '?')
            .slice(0, 64),
        ]);
      stack.push([(v as Record<string, unknown>)[key], [...path, key]]);
    }
  }
  return null;
}
