/**
 * What the Vietnamese data rules return for user input: never an exception. The caller maps a
 * failure's `reason` (a stable code) to a translated field error.
 */
export type Ok<T> = { ok: true; value: T };
export type Fail<R extends string> = { ok: false; reason: R };
export type Result<T, R extends string> = Ok<T> | Fail<R>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <R extends string>(reason: R): Fail<R> => ({ ok: false, reason });
