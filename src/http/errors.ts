import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type Locale } from '../core/errors.js';
import { pgErrorCode } from '../db/sql.js';
import { safeErrorMessage } from '../lib/logger.js';
import { fieldErrors, RequestValidationError, TextError } from './validation.js';

/** Fastify's own errors that are the client's fault. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

/** Database errors that a request can legitimately cause. */
const pgCodes: Record<string, ErrorCode> = {
  '23505': 'CONFLICT', // unique_violation
  '23503': 'NOT_FOUND', // foreign_key_violation: a referenced id is not in this workspace
  '42501': 'FORBIDDEN', // insufficient_privilege / row-level security
  '22P02': 'VALIDATION_FAILED', // invalid_text_representation
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const cause = (err as { cause?: unknown })?.cause;
  const validation =
    err instanceof RequestValidationError
      ? err
      : cause instanceof RequestValidationError
        ? cause
        : null;
  if (validation)
    return new AppError('VALIDATION_FAILED', { details: { fields: fieldErrors(validation) } });
  const text = err instanceof TextError ? err : cause instanceof TextError ? cause : null;
  if (text) return new AppError('VALIDATION_FAILED', { details: { fields: [text.field] } });
  const fe = err as FastifyError;
  if (fe && typeof fe.code === 'string' && fastifyCodes[fe.code]) {
    return new AppError(fastifyCodes[fe.code] as ErrorCode);
  }
  if (fe && (fe as { type?: string }).type === 'entity.parse.failed')
    return new AppError('BAD_REQUEST');
  if (fe instanceof SyntaxError && fe.statusCode === 400) return new AppError('BAD_REQUEST');
  const pg = pgErrorCode(err);
  if (pg && pgCodes[pg]) return new AppError(pgCodes[pg] as ErrorCode);
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const byStatus: Record<number, ErrorCode> = {
      400: 'BAD_REQUEST',
      401: 'UNAUTHENTICATED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      413: 'PAYLOAD_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      429: 'RATE_LIMITED',
    };
    return new AppError(byStatus[fe.statusCode] ?? 'BAD_REQUEST');
  }
  return new AppError('INTERNAL');
}

export function errorBody(error: AppError, locale: Locale, requestId: string) {
  const details = error.details
    ? {
        ...error.details,
        ...(error.details.fields
          ? {
              fields: error.details.fields.map((f) => ({
                ...f,
                message: f.text?.[locale] ?? f.message,
                text: f.text ?? { vi: f.message, en: f.message },
              })),
            }
          : {}),
      }
    : null;
  return {
    error: { code: error.code, message: error.messageIn(locale), details, requestId },
  };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const locale = request.locale ?? 'vi';
  const appError = toAppError(err);
  if (appError.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: appError.code, err: safeErrorMessage(err) }, 'request rejected');
  const retry = appError.details?.retryAfterSeconds;
  if (typeof retry === 'number') void reply.header('retry-after', String(retry));
  return reply.status(appError.status).send(errorBody(appError, locale, request.id));
}

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers or URL too large,
 * broken request line), answered in the one error shape with a request id of their own. The
 * headers were not parsed, so the message is in the default language (vi).
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: Error & { code?: string },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code]: [number, ErrorCode] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT']
        : [400, 'BAD_REQUEST'];
  const requestId = randomUUID();
  this.log.info({ reqId: requestId, code, err: err.code }, 'request rejected by the HTTP parser');
  const body = JSON.stringify(errorBody(new AppError(code), 'vi', requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
