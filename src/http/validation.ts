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

const locales = { vi: z.locales.vi().localeError, en: z.locales.en().localeError };

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(result.error.issues, httpPart ?? 'body') };
  };

function translate(issue: z.core.$ZodIssue, locale: Locale): string {
  const out = locales[locale](issue as never);
  return typeof out === 'string' ? out : (out?.message ?? issue.message);
}

export function fieldErrors(err: RequestValidationError): FieldError[] {
  return err.issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    const path =
      issue.code === 'unrecognized_keys' ? [base, ...issue.keys].filter(Boolean).join('.') : base;
    return {
      path: path || err.part,
      message: translate(issue, 'en'),
      text: { vi: translate(issue, 'vi'), en: translate(issue, 'en') },
      in: err.part,
    };
  });
}
