import { z } from 'zod';

/** Shared request/response building blocks. Request bodies are strict: unknown fields → 400. */
export const idParams = z.strictObject({ id: z.uuid() });

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const personName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .transform((s) => s.normalize('NFC'));
export const password = z.string().min(1).max(1024);
export const locale = z.enum(['vi', 'en']);
export const currency = z.enum(['VND', 'USD', 'EUR']);
export const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone');

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string(),
  }),
});

/** Error responses documented on every route. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  413: errorResponse,
  429: errorResponse,
} as const;

/** Timestamps leave the API as ISO 8601 strings; presenters convert with iso(). */
export const isoDate = z.string().describe('ISO 8601 timestamp');
export const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d).toISOString();
export const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));
export const noContent = z.null().describe('No content');
