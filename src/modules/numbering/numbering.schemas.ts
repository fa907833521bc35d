import { z } from 'zod';
import { FORMAT_MAX_LENGTH } from './numbering.format.js';

const text = z.object({ vi: z.string(), en: z.string() });

export const NEXT_VALUE_MAX = 999_999_999_999;

export const typeParams = z.strictObject({ type: z.string().min(1).max(40) });

export const numberingPatchBody = z.strictObject({
  /** The new format ("BG-{YYYY}-{0000}"): tokens {YYYY}, {YY}, {MM} and one counter {0…0}. */
  format: z.string().trim().max(FORMAT_MAX_LENGTH).optional(),
  /**
   * The number the next document gets in the current period (of the format after this change):
   * only higher than the numbers already used, never lower.
   */
  nextValue: z.number().int().min(1).max(NEXT_VALUE_MAX).optional(),
});
export type NumberingPatchInput = z.infer<typeof numberingPatchBody>;

export const numberingTypeView = z.object({
  key: z.string(),
  label: text,
  format: z.string(),
  defaultFormat: z.string(),
  /** The counter period of the format now: the year ('2026') or '' (never restarts). */
  period: z.string(),
  /** The counter the next document takes now. */
  nextValue: z.number().int(),
  /** The next number as the next document of today would get it. */
  nextNumber: z.string(),
  /** This year's counter and the continuous one (''), for previewing another format. */
  counters: z.object({ yearly: z.number().int(), continuous: z.number().int() }),
});
export type NumberingTypeView = z.infer<typeof numberingTypeView>;

export const numberingView = z.object({
  /** Today in the workspace's time zone (what a number taken now is dated). */
  today: z.object({ date: z.string(), year: z.number().int(), month: z.number().int() }),
  types: z.array(numberingTypeView),
});
export type NumberingView = z.infer<typeof numberingView>;
