/**
 * Working together (#21) in a real browser against the real, built server: on a contact's page
 * the admin types a note with "@", picks a colleague in the picker and saves; the colleague, with
 * Sen already open in a second browser context, sees the bell count rise without reloading and
 * reads "Nguyễn Văn An nhắc đến bạn trong ghi chú ở liên hệ …". One screenshot per step in
 * test-output/e2e/mentions/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'mentions' });
const { newContext, shot, pageErrors } = e2e;
const contactName = 'Phạm Thị Nhung';

describe('a mention in a note reaches the colleague live', { timeout: 180_000 }, () => {
  let admin: BrowserContext;
  let page: Page;
  let colleaguePage: Page;
  let contactId = '';

  it('sets up a colleague and a contact; the colleague has Sen open', async () => {
    admin = await newContext();
    const setup = await e2e.setUpWorkspace(admin);
    const csrf = setup.csrfToken;
    const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await admin.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
      return res.json();
    };
    const roles = await api('GET', '/roles');
    const manager = roles.items.find((r: { key: string | null }) => r.key === 'manager');
    const invitation = await api('POST', '/invitations', {
      email: colleague.email,
      roleId: manager.id,
    });
    const token = String(invitation.url).split('/invite/')[1];
    const accepted = await fetch(`${e2e.baseUrl}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, name: colleague.name, password: colleague.password }),
    });
    expect(accepted.status).toBe(200);
    contactId = (await api('POST', '/contacts', { fullName: contactName })).id;

    const other = await newContext();
    const signIn = await other.request.post('/api/v1/auth/sign-in', {
      data: { email: colleague.email, password: colleague.password },
    });
    expect(signIn.ok()).toBe(true);
    colleaguePage = await other.newPage();
    colleaguePage.setDefaultTimeout(20_000);
    await colleaguePage.goto('/');
    await colleaguePage.getByRole('button', { name: 'Thông báo', exact: true }).waitFor();
  });

  it('writes a note with @ and a colleague picked from the list', async () => {
    page = await admin.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`/contacts/${contactId}`);
    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Ghi chú' });
    await editor.click();
    await editor.pressSequentially('Chị xem giúp em khách này nhé ');
    await editor.press('@');
    const picker = page.getByPlaceholder('Nhắc đến ai?');
    await picker.waitFor();
    await picker.fill('binh');
    await page.getByRole('option', { name: colleague.name }).click();
    await editor.pressSequentially('cảm ơn chị!');
    await shot(page, 'note-with-mention');
    await page.getByRole('button', { name: 'Thêm ghi chú' }).click();
    await page.getByText('Đã thêm ghi chú.').waitFor();
    const saved = page.locator(`[data-mention]`).filter({ hasText: `@${colleague.name}` });
    await saved.first().waitFor();
    await expectTranslated(page);
    await shot(page, 'note-saved');
  });

  it('the colleague’s bell rises without a reload and names the contact', async () => {
    const bell = colleaguePage.getByRole('button', { name: 'Thông báo: 1 chưa đọc' });
    await bell.waitFor({ timeout: 10_000 });
    await shot(colleaguePage, 'bell');
    await bell.click();
    const item = colleaguePage.getByRole('button', {
      name: `Nguyễn Văn An nhắc đến bạn trong ghi chú ở liên hệ ${contactName}`,
    });
    await item.waitFor();
    await shot(colleaguePage, 'notification');
    await item.click();
    await colleaguePage.getByRole('heading', { level: 1, name: contactName }).waitFor();
    await colleaguePage.getByText('Chị xem giúp em khách này nhé').waitFor();
    await shot(colleaguePage, 'opened');
    expect(pageErrors).toEqual([]);
  });
});
