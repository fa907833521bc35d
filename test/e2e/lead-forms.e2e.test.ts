/**
 * Lead capture forms (#19) in a real browser against the real, built server: an admin creates a
 * form in Settings → Biểu mẫu thu thập (the starter questions, one more, a campaign), gets its
 * hosted link and embed snippet; a visitor on a phone opens the hosted page with UTM parameters
 * and submits it; the admin sees the submission (a new lead) in the form's list and follows it
 * to the lead, whose timeline shows the answers. One screenshot per step in
 * test-output/e2e/lead-forms/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'lead-forms' });
const { newContext, shot, pageErrors } = e2e;
const formName = 'Đăng ký nhận báo giá';
const visitor = 'Trương Thị Ngọc Ánh';

describe(
  'lead capture forms: built in Settings, submitted on the hosted page',
  { timeout: 180_000 },
  () => {
    let admin: BrowserContext;
    let page: Page;
    let hostedUrl = '';

    it('creates a form in Settings and shows its link and embed snippet', async () => {
      admin = await newContext();
      await e2e.setUpWorkspace(admin);
      page = await admin.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/settings/lead-forms');
      await page.getByRole('heading', { level: 1, name: 'Biểu mẫu thu thập' }).waitFor();
      await page.getByText('Chưa có biểu mẫu nào.').waitFor();
      await page.getByRole('button', { name: 'Tạo biểu mẫu' }).click();
      const dialog = page.getByRole('dialog', { name: 'Tạo biểu mẫu' });
      await dialog.getByRole('textbox', { name: 'Tên biểu mẫu' }).fill(formName);
      // The questions almost every form asks are there; one more is added from the list.
      await expect
        .poll(() => dialog.getByRole('textbox', { name: 'Nhãn tiếng Việt' }).count())
        .toBe(3);
      const add = dialog.getByLabel('Thêm câu hỏi…');
      await add.click();
      await add.fill('Công ty');
      await page.getByRole('option', { name: 'Công ty', exact: true }).click();
      await expect
        .poll(() => dialog.getByRole('textbox', { name: 'Nhãn tiếng Việt' }).count())
        .toBe(4);
      await dialog.getByRole('textbox', { name: 'Chiến dịch' }).fill('Tết 2027');
      await shot(page, 'editor');
      await dialog.getByRole('button', { name: 'Lưu' }).click();

      const share = page.getByRole('dialog', { name: `Liên kết và mã nhúng: ${formName}` });
      await share.waitFor();
      const link = share.getByRole('textbox', { name: 'Trang biểu mẫu' });
      hostedUrl = await link.inputValue();
      expect(hostedUrl).toMatch(/\/f\/[A-Za-z0-9_-]{24}$/);
      const snippet = await share.getByRole('textbox', { name: 'Mã nhúng HTML' }).inputValue();
      expect(snippet).toContain('/api/v1/public/forms/');
      expect(snippet).toContain('name="utm_source"');
      await share.getByRole('button', { name: 'Sao chép mã' }).waitFor();
      await shot(page, 'share');
      await page.keyboard.press('Escape');
      await page.getByRole('table').getByText(formName, { exact: true }).waitFor();
      await expectTranslated(page);
      await shot(page, 'list');
    });

    it('a visitor on a phone submits the hosted page, opened with UTM parameters', async () => {
      const phone = await newContext({ width: 375, height: 740 });
      const form = await phone.newPage();
      form.setDefaultTimeout(20_000);
      await form.goto(`${hostedUrl}?utm_source=zalo&utm_campaign=tet-2027`);
      await form.getByRole('heading', { level: 1, name: formName }).waitFor();
      expect(await form.locator('html').getAttribute('lang')).toBe('vi');
      await form.getByLabel('Họ và tên').fill(visitor);
      await form.getByLabel('Số điện thoại').fill('0934 567 890');
      await form.getByLabel('Email').fill('ngocanh@example.vn');
      await form.getByLabel('Công ty').fill('Mỹ phẩm Ngọc Ánh');
      await shot(form, 'hosted-page');
      await form.getByRole('button', { name: 'Gửi thông tin' }).click();
      await form.getByText('Cảm ơn bạn! Chúng tôi đã nhận được thông tin').waitFor();
      await shot(form, 'thank-you');
      // The switch to English keeps the UTM parameters.
      await form.goto(`${hostedUrl}?utm_source=zalo`);
      await form.getByRole('link', { name: 'English' }).click();
      await form.getByRole('button', { name: 'Submit' }).waitFor();
      expect(form.url()).toContain('utm_source=zalo');
    });

    it('the submission is in the form list and on the new lead', async () => {
      await page.reload();
      await page.getByRole('button', { name: `Xem 1 lượt gửi của biểu mẫu ${formName}` }).click();
      const list = page.getByRole('dialog', { name: `Lượt gửi: ${formName}` });
      await list.getByText('Khách hàng tiềm năng mới').waitFor();
      await list.getByText('UTM nguồn: zalo', { exact: false }).waitFor();
      await expectTranslated(page);
      await shot(page, 'submissions');
      await list.getByRole('link', { name: visitor }).click();
      await page.getByRole('heading', { level: 1, name: visitor }).waitFor();
      await page.getByText(`Gửi biểu mẫu “${formName}”`).first().waitFor();
      await page.getByText('Mỹ phẩm Ngọc Ánh').first().waitFor();
      await expectTranslated(page);
      await shot(page, 'lead');
      expect(pageErrors).toEqual([]);
    });
  },
);
