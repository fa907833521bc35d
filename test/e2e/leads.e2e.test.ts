/**
 * Leads and lead scoring (#19) in a real browser against the real, built server: an admin adds
 * a scoring rule in Settings → Chấm điểm khách hàng tiềm năng with the filter builder's pickers
 * (source is Referral, +20), adds a lead through the generic record form, sees its score, grade
 * and reason on its page, finds it on the status kanban, then raises grade C's threshold and
 * sees the lead regraded; then converts it into a contact, company and deal (landing on the
 * deal) and sees the converted lead read-only with links to what it became. One screenshot per
 * step in test-output/e2e/leads/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'leads' });
const { newContext, shot, pageErrors } = e2e;
const leadName = 'Phạm Thị Thu Hà';

/**
 * Pick an option of a searchable select by typing part of it: the option is looked up in the
 * listbox the input controls (aria-controls), so a list still closing elsewhere does not count.
 */
async function pick(scope: Page, label: string, typed: string, option: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true }).first();
  await input.click();
  await input.fill(typed);
  const listbox = await input.getAttribute('aria-controls');
  const choice = listbox
    ? scope.locator(`[id="${listbox}"]`).getByRole('option', { name: option, exact: true })
    : scope.getByRole('option', { name: option, exact: true });
  await choice.click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

describe(
  'leads: a scoring rule, a lead scored by it, its panel and the board',
  { timeout: 180_000 },
  () => {
    let context: BrowserContext;
    let page: Page;
    let leadPath = '';

    it('adds a field rule in Settings → Chấm điểm khách hàng tiềm năng', async () => {
      context = await newContext();
      await e2e.setUpWorkspace(context);
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/settings/scoring');
      await page
        .getByRole('heading', { level: 1, name: 'Chấm điểm khách hàng tiềm năng' })
        .waitFor();
      await page.getByText('Chưa có quy tắc chấm điểm nào.').waitFor();
      await page.getByRole('button', { name: 'Thêm quy tắc' }).click();
      const dialog = page.getByRole('dialog', { name: 'Thêm quy tắc' });
      await dialog.getByRole('button', { name: 'Thêm điều kiện' }).click();
      await pick(page, 'Trường', 'nguon', 'Nguồn');
      await pick(page, 'Giá trị', 'gioi thieu', 'Giới thiệu');
      await dialog.getByRole('textbox', { name: 'Điểm' }).fill('20');
      await shot(page, 'new-rule');
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await page.getByText('Nguồn: Giới thiệu', { exact: true }).waitFor();
      await page.getByText('+20', { exact: true }).waitFor();
      await expectTranslated(page);
      await shot(page, 'rules');
    });

    it('adds a lead through the record form and sees its score, grade and reason', async () => {
      await page.getByRole('link', { name: 'Khách hàng tiềm năng', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Khách hàng tiềm năng' }).waitFor();
      await page.getByRole('button', { name: 'Thêm khách hàng tiềm năng' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Thêm khách hàng tiềm năng' });
      await dialog.getByRole('textbox', { name: 'Họ và tên' }).fill(leadName);
      await dialog.getByRole('textbox', { name: 'Số điện thoại 1' }).fill('0903 456 789');
      await dialog.getByRole('textbox', { name: 'Công ty' }).fill('Mỹ phẩm Thu Hà');
      await pick(page, 'Nguồn', 'gioi thieu', 'Giới thiệu');
      await shot(page, 'new-lead');
      await dialog.getByRole('button', { name: 'Tạo khách hàng tiềm năng' }).click();
      await page.getByRole('heading', { level: 1, name: leadName }).waitFor();
      leadPath = new URL(page.url()).pathname;
      expect(leadPath).toMatch(/^\/leads\/[\w-]+$/);
      const panel = page.getByRole('region', { name: 'Điểm tiềm năng' });
      await panel.getByText('Nguồn: Giới thiệu').waitFor();
      await panel.getByText('+20').waitFor();
      await panel.getByText('Hạng C').waitFor();
      await expectTranslated(page);
      await shot(page, 'lead-scored');
    });

    it('finds the lead on the status kanban', async () => {
      await page.goto('/leads?view=kanban');
      const column = (name: string) => page.getByRole('region', { name, exact: true });
      await column('Mới').getByRole('link', { name: leadName }).waitFor();
      await column('Đủ điều kiện').waitFor();
      await expectTranslated(page);
      await shot(page, 'kanban');
    });

    it('raises grade C’s threshold: the lead is regraded', async () => {
      await page.goto('/settings/scoring');
      const section = page.getByRole('region', { name: 'Xếp hạng và giảm điểm' });
      await section.getByRole('textbox', { name: 'Ngưỡng hạng C' }).fill('25');
      await section.getByRole('button', { name: 'Lưu' }).click();
      await page.getByText('Đã chấm lại điểm 1 khách hàng tiềm năng.').waitFor();
      await shot(page, 'thresholds');
      await page.goto(leadPath);
      const panel = page.getByRole('region', { name: 'Điểm tiềm năng' });
      await panel.getByText('Hạng D').waitFor();
      await shot(page, 'lead-regraded');
    });

    it('converts the lead into a contact, company and deal and lands on the deal', async () => {
      await page.getByRole('button', { name: 'Chuyển đổi', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Chuyển đổi ${leadName}` });
      await expect
        .poll(() => dialog.getByRole('radio', { name: `Tạo liên hệ mới: ${leadName}` }).isChecked())
        .toBe(true);
      await expect
        .poll(() => dialog.getByRole('radio', { name: 'Tạo công ty mới' }).isChecked())
        .toBe(true);
      await expect
        .poll(() => dialog.getByRole('textbox', { name: 'Tên công ty' }).inputValue())
        .toBe('Mỹ phẩm Thu Hà');
      const dealName = await dialog.getByRole('textbox', { name: 'Tên cơ hội' }).inputValue();
      expect(dealName).toMatch(/^Mỹ phẩm Thu Hà – \d{2}\/\d{2}\/\d{4}$/);
      await dialog.getByRole('textbox', { name: 'Giá trị' }).fill('25000000');
      await dialog.getByRole('textbox', { name: 'Vai trò của liên hệ' }).fill('Người quyết định');
      await expectTranslated(page);
      await shot(page, 'convert-dialog');
      await dialog.getByRole('button', { name: 'Chuyển đổi', exact: true }).click();

      // Landed on the new deal: its company and its contact in their role.
      await page.getByRole('heading', { level: 1, name: dealName }).waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/deals\/[\w-]+$/);
      await page.getByRole('link', { name: 'Mỹ phẩm Thu Hà' }).first().waitFor();
      await page.getByRole('link', { name: leadName }).first().waitFor();
      await page.getByText('Người quyết định').first().waitFor();
      await page.getByText('đã chuyển đổi khách hàng tiềm năng').first().waitFor();
      await expectTranslated(page);
      await shot(page, 'converted-deal');
    });

    it('shows the converted lead read-only, linking to what it became', async () => {
      await page.goto(leadPath);
      await page.getByRole('heading', { level: 1, name: leadName }).waitFor();
      const banner = page.getByRole('alert').filter({ hasText: 'Đã chuyển đổi' });
      await banner.getByRole('link', { name: leadName }).waitFor();
      await banner.getByRole('link', { name: 'Mỹ phẩm Thu Hà', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Sửa' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Chuyển đổi', exact: true }).count()).toBe(0);
      await page.getByText('đã chuyển đổi khách hàng tiềm năng').first().waitFor();
      await expectTranslated(page);
      await shot(page, 'lead-converted');
      expect(pageErrors).toEqual([]);
    });
  },
);
