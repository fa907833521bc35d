/**
 * Bulk changes on every matching record (issue #18) in a real browser against the real, built
 * server, whose job runner runs the operation: the contacts list with more records than a page,
 * every loaded row selected, "Chọn tất cả 125 bản ghi khớp" (Gmail-style), assign an owner: the
 * job's progress in a modal to the end with its counts, every contact reassigned (read back
 * through the API), then Undo: every contact back with its owner. One screenshot per step in
 * test-output/e2e/bulk/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'bulk' });
const { newContext, shot, pageErrors } = e2e;
const COUNT = 125;

async function choose(page: Page, input: Locator, option: string): Promise<void> {
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

describe(
  'bulk change on all matching records: assign, progress, undo',
  { timeout: 180_000 },
  () => {
    let context: BrowserContext;
    let page: Page;
    let csrf = '';
    let adminId = '';
    let memberId = '';

    async function api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const res = await context.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    }
    const ownedBy = async (userId: string) =>
      (
        await api<{ count: number }>(
          'GET',
          `/contacts/count?filter=${encodeURIComponent(
            JSON.stringify({ field: 'ownerId', op: 'is', value: userId }),
          )}`,
        )
      ).count;

    it('seeds more contacts than a page and a colleague', async () => {
      context = await newContext();
      const setup = await e2e.setUpWorkspace(context);
      const session = setup;
      csrf = session.csrfToken;
      adminId = session.user.id;
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
      memberId = ((await accepted.json()) as { user: { id: string } }).user.id;
      for (let i = 1; i <= COUNT; i++) {
        await api('POST', '/contacts', { fullName: `Khách Hội Chợ ${i}` });
      }
      expect(await ownedBy(adminId)).toBe(COUNT);
    });

    it('selects every loaded row, then all matching, and assigns them as a job with its progress', async () => {
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/contacts');
      await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
      await page.getByRole('checkbox', { name: 'Chọn tất cả dòng đã tải' }).check();
      const bar = page.getByRole('region', { name: 'Thao tác hàng loạt' });
      const all = bar.getByRole('button', { name: `Chọn tất cả ${COUNT} bản ghi khớp` });
      await all.waitFor();
      await shot(page, 'page-selected');
      await all.click();
      await bar.getByText(`Đã chọn tất cả ${COUNT} bản ghi khớp`).waitFor();
      await expectTranslated(page);
      await shot(page, 'all-selected');

      await bar.getByRole('button', { name: 'Giao người phụ trách' }).click();
      const ownerDialog = page.getByRole('dialog', { name: 'Giao người phụ trách' });
      await ownerDialog.getByText(`Áp dụng cho tất cả ${COUNT} bản ghi khớp bộ lọc.`).waitFor();
      await choose(
        page,
        ownerDialog.getByRole('combobox', { name: 'Người phụ trách' }),
        colleague.name,
      );
      await ownerDialog.getByRole('button', { name: 'Áp dụng' }).click();

      const progress = page.getByRole('dialog', { name: 'Thao tác hàng loạt' });
      await progress.getByRole('progressbar', { name: 'Tiến độ thao tác hàng loạt' }).waitFor();
      await shot(page, 'progress');
      await progress.getByText('Đã xong', { exact: true }).waitFor({ timeout: 60_000 });
      await progress.getByText(`${COUNT} / ${COUNT} bản ghi`).waitFor();
      await progress.getByText(`Đã thay đổi ${COUNT} bản ghi.`).waitFor();
      await expectTranslated(page);
      await shot(page, 'done');
      expect(await ownedBy(memberId)).toBe(COUNT);
      expect(await ownedBy(adminId)).toBe(0);
    });

    it('undoes it: every contact back with its owner', async () => {
      const progress = page.getByRole('dialog', { name: 'Thao tác hàng loạt' });
      await progress.getByRole('button', { name: 'Hoàn tác' }).click();
      await progress.getByText('Đã hoàn tác', { exact: true }).waitFor({ timeout: 60_000 });
      await progress.getByText(`Đã hoàn tác ${COUNT} bản ghi.`).waitFor();
      await shot(page, 'undone');
      expect(await ownedBy(adminId)).toBe(COUNT);
      expect(await ownedBy(memberId)).toBe(0);
      // The modal's own Close button (its header's × has the same name).
      await progress.getByRole('button', { name: 'Đóng' }).last().click();
      await expect.poll(() => progress.count()).toBe(0);
      // The bar is gone with the selection, and the list shows the owner again.
      await expect
        .poll(() => page.getByRole('region', { name: 'Thao tác hàng loạt' }).count())
        .toBe(0);
      expect(pageErrors).toEqual([]);
    });
  },
);
