import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { createSession } from '../../src/modules/auth/auth.repository.js';
import { hashToken, newToken } from '../../src/modules/auth/tokens.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * A browser-like client over app.inject: keeps the session cookie and sends the CSRF token on
 * writes, like the web app does. `bearer` makes it an API-key client instead.
 */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;
  language = 'en';

  constructor(readonly app: FastifyInstance) {}

  async request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'accept-language': this.language, ...extraHeaders };
    if (this.cookie) headers.cookie = `sen_session=${this.cookie}`;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in extraHeaders)) {
      headers['x-csrf-token'] = this.csrf;
    }
    const res = await this.app.inject({
      method,
      url,
      headers,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const setCookie = res.cookies.find((c) => c.name === 'sen_session');
    if (setCookie) this.cookie = setCookie.value || null;
    const parsed =
      res.body && res.headers['content-type']?.toString().includes('json') ? res.json() : res.body;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) {
      this.csrf = (parsed as { csrfToken: string | null }).csrfToken;
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);

  /** A GET whose body is bytes (a PDF, an image): status, headers and the raw payload. */
  async getBytes(url: string) {
    const headers: Record<string, string> = { 'accept-language': this.language };
    if (this.cookie) headers.cookie = `sen_session=${this.cookie}`;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
  }
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  patch = <T = any>(url: string, body: unknown) => this.request<T>('PATCH', url, body);
  put = <T = any>(url: string, body: unknown) => this.request<T>('PUT', url, body);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);
}

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${Date.now()}.${++counter}@example.vn`;

/** Run first-time setup through the API; returns a signed-in admin client. */
export async function setupAdmin(app: FastifyInstance, workspaceName = 'Công ty TNHH Sen') {
  const admin = new Client(app);
  const email = uniqueEmail('admin');
  const res = await admin.post('/api/v1/setup', {
    workspaceName,
    name: 'Nguyễn Văn An',
    email,
    password: PASSWORD,
    locale: 'vi',
  });
  if (res.status !== 201) throw new Error(`setup failed: ${JSON.stringify(res.body)}`);
  return { admin, email, session: res.body };
}

/** Invite and accept: returns a signed-in client for a new member with the given role key. */
export async function addMember(
  app: FastifyInstance,
  admin: Client,
  roleKey: string,
  name = 'Trần Thị Bích',
) {
  const roles = await admin.get('/api/v1/roles');
  const role = roles.body.items.find((r: { key: string | null }) => r.key === roleKey);
  if (!role) throw new Error(`no role ${roleKey}`);
  const email = uniqueEmail(roleKey);
  const inv = await admin.post('/api/v1/invitations', { email, roleId: role.id });
  if (inv.status !== 201) throw new Error(`invite failed: ${JSON.stringify(inv.body)}`);
  const token = inv.body.url.split('/invite/')[1];
  const member = new Client(app);
  const accepted = await member.post('/api/v1/invitations/accept', {
    token,
    name,
    password: PASSWORD,
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  return {
    client: member,
    email,
    userId: accepted.body.user.id as string,
    roleId: role.id as string,
  };
}

/** Create an API key through the API; returns a client authenticating with it (Bearer). */
export async function addApiKey(admin: Client, name: string, scopes: string[]) {
  const created = await admin.post('/api/v1/api-keys', { name, scopes });
  if (created.status !== 201) throw new Error(`api key failed: ${JSON.stringify(created.body)}`);
  const client = new Client(admin.app);
  client.bearer = created.body.secret;
  return { client, id: created.body.apiKey.id as string, secret: created.body.secret as string };
}

/**
 * A signed-in client for a user made by the factories (src/modules/demo/factories.ts): a session
 * row written directly, as sign-in would write it, so no password is needed.
 */
export async function signedIn(
  app: FastifyInstance,
  db: Database,
  user: { id: string; workspaceId: string },
): Promise<Client> {
  const client = new Client(app);
  const token = newToken();
  const csrfToken = newToken(24);
  await db.system((tx) =>
    createSession(tx, {
      tokenHash: hashToken(token),
      csrfToken,
      userId: user.id,
      workspaceId: user.workspaceId,
      expiresAt: new Date(Date.now() + 24 * 3_600_000),
      ip: null,
      userAgent: null,
    }),
  );
  client.cookie = token;
  client.csrf = csrfToken;
  return client;
}
