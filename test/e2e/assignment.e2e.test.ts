/**
 * Assignment rules and notifications (#19) in a real browser against the real, built server: an
 * admin adds a rule in Settings → Phân công tự động with the filter builder (source is Facebook →
 * the sales team, in turn) and a fallback owner, then adds a Facebook lead with the record form
 * left on "Tự động phân công"; the rep who got it, with Sen already open, sees the bell's count
 * rise without reloading (#21's live push), opens the list, reads
 * "Bạn được giao khách hàng tiềm năng …" and follows it to the lead. One screenshot per step in
 * test-output/e2e/assignment/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'assignment' });
const { newContext, shot, pageErrors } = e2e;
const leadName = 'Đỗ Thị Mai Anh';

/**
 * Pick an option of a searchable select by typing part of it and clicking the option (typed
 * again, up to three times, if the list closes before it settles, as records.e2e does).
 */
async function pick(scope: Page, label: string, typed: string, option: string): Promise<void> {
  // A required select's label ends with its asterisk.
  const input = scope.getByLabel(new RegExp(`^${label}( \\*)?$`)).first();
  for (let attempt = 1; ; attempt++) {
    try {
      await input.click();
      await input.fill(typed);
      await scope.getByRole('option', { name: option, exact: true }).click({ timeout: 5000 });
      await expect.poll(() => input.inputValue(), { timeout: 3000 }).toBe(option);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await input.fill('');
    }
  }
}

describe(
  'assignment: a rule in Settings, a lead it assigns, the rep told by the bell',
  { timeout: 180_000 },
  () => {
    let admin: BrowserContext;
    let page: Page;
    let csrf = '';
    let repId = '';
    let repPage: Page;

    async function api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const res = await admin.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    }

    it('adds a rule (Facebook → the sales team, in turn) and a fallback owner', async () => {
      admin = await newContext();
      const setup = await e2e.setUpWorkspace(admin);
      csrf = setup.csrfToken;
      const roles = await api('GET', '/roles');
      const sales = roles.items.find((r: { key: string | null }) => r.key === 'sales');
      const invitation = await api('POST', '/invitations', {
        email: colleague.email,
        roleId: sales.id,
      });
      const token = String(invitation.url).split('/invite/')[1];
      const accepted = await fetch(`${e2e.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, name: colleague.name, password: colleague.password }),
      });
      expect(accepted.status).toBe(200);
      repId = ((await accepted.json()) as { user: { id: string } }).user.id;
      await api('POST', '/teams', { name: 'Kinh doanh online', memberIds: [repId] });

      page = await admin.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/settings/assignment');
      await page.getByRole('heading', { level: 1, name: 'Phân công tự động' }).waitFor();
      await page.getByText('Chưa có quy tắc nào.').waitFor();
      await page.getByRole('button', { name: 'Thêm quy tắc' }).click();
      const dialog = page.getByRole('dialog', { name: 'Thêm quy tắc' });
      await dialog.getByRole('textbox', { name: 'Tên quy tắc' }).fill('Khách Facebook');
      await dialog.getByRole('button', { name: 'Thêm điều kiện' }).click();
      await pick(page, 'Trường', 'nguon', 'Nguồn');
      await pick(page, 'Giá trị', 'face', 'Facebook');
      await pick(page, 'Nhóm', 'kinh', 'Kinh doanh online');
      await shot(page, 'new-rule');
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      const rules = page.getByRole('table');
      await rules.getByText('Khách Facebook', { exact: true }).waitFor();
      await rules.getByText('Nguồn: Facebook', { exact: true }).waitFor();
      await rules.getByText('Nhóm: Kinh doanh online').waitFor();
      await rules.getByText('Lần lượt (xoay vòng)').waitFor();

      await pick(page, 'Giao cho', 'an', 'Nguyễn Văn An');
      await page.getByText('Đã lưu người nhận dự phòng.').waitFor();
      await expectTranslated(page);
      await shot(page, 'rules');
      const saved = await api('GET', '/settings/assignment/leads');
      expect(saved.rules[0]).toMatchObject({
        name: 'Khách Facebook',
        condition: { and: [{ field: 'source', op: 'is', value: 'facebook' }] },
        targetType: 'team',
        method: 'round_robin',
        active: true,
      });
      expect(saved.fallbackUserId).toBe(setup.user.id);
    });

    it('adds a Facebook lead with the form left on "Tự động phân công": the rep owns it', async () => {
      // The rep is already looking at Sen: the bell must count the lead without a reload.
      const rep = await newContext();
      const signIn = await rep.request.post('/api/v1/auth/sign-in', {
        data: { email: colleague.email, password: colleague.password },
      });
      expect(signIn.ok()).toBe(true);
      repPage = await rep.newPage();
      repPage.setDefaultTimeout(20_000);
      await repPage.goto('/');
      await repPage.getByRole('button', { name: 'Thông báo', exact: true }).waitFor();

      await page.goto('/leads');
      await page.getByRole('heading', { level: 1, name: 'Khách hàng tiềm năng' }).waitFor();
      await page.getByRole('button', { name: 'Thêm khách hàng tiềm năng' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Thêm khách hàng tiềm năng' });
      await dialog.getByRole('textbox', { name: 'Họ và tên' }).fill(leadName);
      await pick(page, 'Nguồn', 'face', 'Facebook');
      const owner = dialog.getByLabel('Người phụ trách', { exact: true });
      expect(await owner.inputValue()).toBe('Tự động phân công');
      await shot(page, 'lead-form');
      await dialog.getByRole('button', { name: 'Tạo khách hàng tiềm năng' }).click();
      await page.getByRole('heading', { level: 1, name: leadName }).waitFor();
      await page.getByText(colleague.name).first().waitFor();
      await shot(page, 'lead-assigned');
    });

    it('tells the rep at once: the bell counts it, the list names the lead, a click opens it', async () => {
      // Pushed by the server (the bell asks by itself only once a minute): well within 10 s.
      const bell = repPage.getByRole('button', { name: 'Thông báo: 1 chưa đọc' });
      await bell.waitFor({ timeout: 10_000 });
      await shot(repPage, 'bell');
      await bell.click();
      const text = `Bạn được giao khách hàng tiềm năng ${leadName} (quy tắc "Khách Facebook")`;
      const item = repPage.getByRole('button', { name: text });
      await item.waitFor();
      await expectTranslated(repPage);
      await shot(repPage, 'notifications');
      await item.click();
      await repPage.getByRole('heading', { level: 1, name: leadName }).waitFor();
      await repPage.getByRole('button', { name: 'Thông báo', exact: true }).waitFor();
      await shot(repPage, 'opened');
      expect(pageErrors).toEqual([]);
    });
  },
);
