/**
 * A small typed fetch client for the Sen API. It sends the session cookie (same origin), the CSRF
 * token on every non-GET request, and the UI language as Accept-Language so that the server
 * localises its error messages. Errors come back as `ApiError` carrying the server's error body.
 */

export const API_BASE = '/api/v1';

export interface FieldError {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details: ({ fields?: FieldError[] } & Record<string, unknown>) | null;
  requestId: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorBody['details'];
  readonly requestId: string | null;

  constructor(status: number, body: Partial<ApiErrorBody>, fallbackMessage: string) {
    super(body.message ?? fallbackMessage);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    this.details = body.details ?? null;
    this.requestId = body.requestId ?? null;
  }

  get fieldErrors(): FieldError[] {
    return this.details?.fields ?? [];
  }
}

/** Thrown when the server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : 'Network error');
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;
let language = 'vi';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  language = lang;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function buildUrl(path: string, query?: Query): string {
  const url = `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** Fetches a fresh CSRF token (e.g. after the session was renewed in another tab). */
async function refreshCsrfToken(): Promise<boolean> {
  try {
    const res = await fetch(`${API_BASE}/auth/session`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { csrfToken?: string };
    if (!body.csrfToken) return false;
    csrfToken = body.csrfToken;
    return true;
  } catch {
    return false;
  }
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: RequestOptions = {},
  retried = false,
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': language,
    ...options.headers,
  };
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body:
        options.body === undefined
          ? undefined
          : isForm
            ? (options.body as FormData)
            : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const body = (data as { error?: Partial<ApiErrorBody> } | null)?.error ?? {};
    if (body.code === 'CSRF_FAILED' && method !== 'GET' && !retried && (await refreshCsrfToken())) {
      return request<T>(method, path, options, true);
    }
    throw new ApiError(response.status, body, response.statusText || `HTTP ${response.status}`);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    request<T>('PATCH', path, { body, ...(headers ? { headers } : {}) }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  /** Multipart upload (the browser sets the boundary). */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form }),
};

export function isApiError(err: unknown, ...codes: string[]): err is ApiError {
  return err instanceof ApiError && (codes.length === 0 || codes.includes(err.code));
}
