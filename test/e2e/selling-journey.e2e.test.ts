/**
 * Quotes (#20) in a real browser against the real, built server: the admin sees Settings →
 * Duyệt chiết khấu (sales may give 10 % without approval); a salesperson creates a quote for a
 * company, adds two products at 10 % and 5 % VAT through the line items panel (a wrong quantity
 * is refused on its own cell), gives 15 % off one line and saves: the totals per VAT rate, the
 * total and the amount in words. Sending asks for a manager's approval; the manager, in a second
 * browser context, approves it with a comment; the salesperson sends the quote (its lines are
 * then locked) and records the customer's acceptance. Last, the quote pages on a 375 px phone
 * (lines as cards, read-only and editable) never scroll sideways. One screenshot per step in
 * test-output/e2e/quotes/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'quotes' });
const { newContext, shot, pageErrors } = e2e;

const manager = { name: 'Lê Văn Cường', email: 'cuong@hoasen.vn', password: 'Hoa-sen-2024!cuong' };
const company = 'Công ty TNHH Mỹ phẩm Thu Hà';
const cream = 'Kem dưỡng da Sen Hồng';
const book = 'Sổ tay chăm sóc da';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Visible text with no-break spaces as plain ones ("3.178.400 ₫", "10 %"). */
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

/** A labelled input, its label read with or without the required mark. */
const labelled = (scope: Page | Locator, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`)).first();

/** Pick an option of a server-searched select by typing part of it. */
async function pick(input: Locator, typed: string, option: string): Promise<void> {
  await input.click();
  await input.fill(typed);
  const listbox = await input.getAttribute('aria-controls');
  await input
    .page()
    .locator(`[id="${listbox}"]`)
    .getByRole('option', { name: option, exact: true })
    .click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
}

async function expectNoIds(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(UUID)?.[0] ?? null).toBeNull();
}

interface Signed {
  context: BrowserContext;
  csrf: string;
}

describe(
  'quotes: lines with VAT per rate, discount approval by a manager, sent and accepted',
  { timeout: 300_000 },
  () => {
    let admin: Signed;
    let sales: Signed;
    let boss: Signed;
    let page: Page;
    let quotePath = '';

    async function api<T = any>(who: Signed, method: string, path: string, body?: unknown) {
      const res = await who.context.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': who.csrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    }

    async function signedIn(
      person: { email: string; password: string },
      viewport?: { width: number; height: number },
    ): Promise<Signed> {
      const context = await newContext(viewport);
      const res = await context.request.post('/api/v1/auth/sign-in', {
        data: { email: person.email, password: person.password },
      });
      expect(res.ok()).toBe(true);
      return { context, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    }

    async function invite(person: { name: string; email: string; password: string }, role: string) {
      const roles = await api(admin, 'GET', '/roles');
      const roleId = roles.items.find((r: { key: string | null }) => r.key === role).id;
      const invitation = await api(admin, 'POST', '/invitations', { email: person.email, roleId });
      const token = String(invitation.url).split('/invite/')[1];
      const accepted = await fetch(`${e2e.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, name: person.name, password: person.password }),
      });
      expect(accepted.status).toBe(200);
    }

    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail' && page)
        await shot(page, `failed-${task.name.slice(0, 40)}`);
    });

    it('the admin sees the discount limits per role in Settings → Duyệt chiết khấu', async () => {
      const context = await newContext();
      const setup = await e2e.setUpWorkspace(context);
      admin = { context, csrf: setup.csrfToken };
      await invite(colleague, 'sales');
      await invite(manager, 'manager');
      await api(admin, 'POST', '/products', {
        name: cream,
        sku: 'KD-01',
        unit: 'hộp',
        unitPrice: 250_000,
        vatRate: '10',
      });
      await api(admin, 'POST', '/products', {
        name: book,
        sku: 'ST-02',
        unit: 'bộ',
        unitPrice: 120_000,
        vatRate: '5',
      });

      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/settings/profile');
      await page.getByRole('link', { name: 'Duyệt chiết khấu' }).click();
      await page.getByRole('heading', { level: 1, name: 'Duyệt chiết khấu' }).waitFor();
      const salesLimit = page.getByRole('textbox', { name: 'Chiết khấu tối đa của Kinh doanh' });
      await expect.poll(() => salesLimit.inputValue()).toBe('10');
      // Approvers need no limit: no input, a word instead.
      const managerRow = page.getByRole('row').filter({ hasText: 'Quản lý' });
      await managerRow.getByText('Được duyệt').waitFor();
      expect(await managerRow.getByRole('textbox').count()).toBe(0);
      await expectTranslated(page);
      await shot(page, 'discount-limits');
    });

    it('a salesperson builds a quote: two products, two VAT rates, 15 % off one line', async () => {
      sales = await signedIn(colleague);
      // Sales people work their own customers: the company is the salesperson's.
      await api(sales, 'POST', '/companies', { name: company });
      page = await sales.context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/quotes');
      await page.getByRole('heading', { level: 1, name: 'Báo giá' }).waitFor();
      await page.getByRole('button', { name: 'Thêm báo giá' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Thêm báo giá' });
      await pick(labelled(dialog, 'Công ty'), 'thu ha', company);
      await labelled(dialog, 'Tiêu đề').fill('Mỹ phẩm quý I');
      await dialog.getByRole('button', { name: 'Tạo báo giá' }).click();
      const number = page.getByRole('heading', { level: 1, name: /^BG-\d{4}-0001$/ });
      await number.waitFor();
      quotePath = new URL(page.url()).pathname;
      expect(quotePath).toMatch(/^\/quotes\/[\w-]+$/);

      const panel = page.getByRole('region', { name: 'Hàng hoá, dịch vụ' });
      await panel.getByText('Chưa có dòng hàng nào.').waitFor();
      await panel.getByRole('button', { name: 'Thêm dòng' }).click();
      await pick(panel.getByLabel('Sản phẩm dòng 1', { exact: true }), 'kem', cream);
      await panel.getByRole('textbox', { name: 'Số lượng dòng 1' }).fill('0');
      await panel.getByRole('button', { name: 'Thêm dòng' }).click();
      await pick(panel.getByLabel('Sản phẩm dòng 2', { exact: true }), 'so tay', book);
      await panel.getByRole('textbox', { name: 'Số lượng dòng 2' }).fill('4');
      await panel.getByRole('textbox', { name: 'Chiết khấu dòng 2' }).fill('15');
      expect(
        await panel.getByRole('combobox', { name: 'Kiểu chiết khấu dòng 2' }).inputValue(),
      ).toBe('percent');
      await shot(page, 'lines-typed');

      // A quantity of 0 is refused on its own cell, nothing is saved.
      await panel.getByRole('button', { name: 'Lưu các dòng' }).click();
      const quantity1 = panel.getByRole('textbox', { name: 'Số lượng dòng 1' });
      await expect.poll(() => quantity1.getAttribute('aria-invalid')).toBe('true');
      await panel.getByText('Số lượng phải lớn hơn 0.').waitFor();
      expect(
        await panel.getByRole('textbox', { name: 'Số lượng dòng 2' }).getAttribute('aria-invalid'),
      ).not.toBe('true');
      await shot(page, 'line-error');

      await quantity1.fill('10');
      await expect.poll(() => quantity1.getAttribute('aria-invalid')).not.toBe('true');
      await panel.getByRole('button', { name: 'Lưu các dòng' }).click();
      await page.getByText('Đã lưu các dòng hàng.').waitFor();
      // The server filled in the products' names, units, prices and VAT rates.
      await expect
        .poll(() => panel.getByRole('textbox', { name: 'Đơn giá dòng 1' }).inputValue())
        .toBe('250.000');
      expect(await panel.getByRole('textbox', { name: 'Tên hàng dòng 2' }).inputValue()).toBe(book);
      expect(await panel.getByRole('textbox', { name: 'Đơn vị tính dòng 2' }).inputValue()).toBe(
        'bộ',
      );
      expect(await panel.getByRole('combobox', { name: 'Thuế GTGT dòng 2' }).inputValue()).toBe(
        '5',
      );

      // 10 × 250.000 at 10 %; 4 × 120.000 − 15 % = 408.000 at 5 %.
      const totals = plain(await panel.getByRole('region', { name: 'Tổng tiền' }).innerText());
      for (const [label, amount] of [
        ['Cộng tiền hàng', '2.980.000 ₫'],
        ['Chiết khấu', '−72.000 ₫'],
        ['Thuế GTGT 10 %', '250.000 ₫'],
        ['Thuế GTGT 5 %', '20.400 ₫'],
        ['Tổng cộng', '3.178.400 ₫'],
      ] as const) {
        expect(totals).toMatch(new RegExp(`${label}\\s+${amount.replaceAll('.', '\\.')}`));
      }
      expect(totals).toContain('Bằng chữ: Ba triệu một trăm bảy mươi tám nghìn bốn trăm đồng');
      // The header's facts follow (the record was refetched).
      const header = page.locator('h1').locator('xpath=ancestor::div[contains(@class,"Card")][1]');
      await expect.poll(async () => plain(await header.innerText())).toContain('3.178.400');
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'lines-saved');

      const saved = await api(sales, 'GET', `${quotePath}/line-items`);
      expect(saved.totals.total).toBe(3_178_400);
      expect(saved.items.map((l: { netAmount: number }) => l.netAmount)).toEqual([
        2_500_000, 408_000,
      ]);
    });

    it('sending asks for approval; a manager approves in another browser; then sent, accepted', async () => {
      await page.getByRole('button', { name: 'Gửi báo giá' }).click();
      const ask = page.getByRole('dialog', { name: 'Xin duyệt chiết khấu' });
      await ask.getByText(/Chiết khấu 15 % vượt mức 10 % của bạn/).waitFor();
      await ask.getByRole('textbox', { name: 'Lời nhắn cho quản lý' }).fill('Khách lấy sỉ 10 hộp.');
      await shot(page, 'approval-asked');
      await ask.getByRole('button', { name: 'Xin duyệt' }).click();
      await page.getByText('Đã gửi yêu cầu duyệt chiết khấu cho quản lý.').waitFor();
      await page.getByText(/^Chờ duyệt CK 15\s%$/).waitFor();

      boss = await signedIn(manager);
      const managerPage = await boss.context.newPage();
      managerPage.setDefaultTimeout(20_000);
      await managerPage.goto(quotePath);
      await managerPage.getByRole('button', { name: 'Duyệt', exact: true }).click();
      const approve = managerPage.getByRole('dialog', { name: /^Duyệt chiết khấu 15\s%$/ });
      await approve
        .getByRole('textbox', { name: 'Nhận xét (không bắt buộc)' })
        .fill('Đồng ý, khách quen.');
      await approve.getByRole('button', { name: 'Duyệt', exact: true }).click();
      await managerPage.getByText('Đã duyệt chiết khấu.').waitFor();
      await managerPage.getByText(/^Đã duyệt CK 15\s%$/).waitFor();
      await expectTranslated(managerPage);
      await shot(managerPage, 'manager-approved');

      await page.reload();
      await page.getByText(/^Đã duyệt CK 15\s%$/).waitFor();
      await page.getByRole('button', { name: 'Gửi báo giá' }).click();
      await page.getByText('Đã đánh dấu báo giá là đã gửi.').waitFor();
      const panel = page.getByRole('region', { name: 'Hàng hoá, dịch vụ' });
      // A sent quote's lines are fixed: the reason, and no inputs.
      await panel.getByText(/Báo giá đã gửi không sửa trực tiếp được/).waitFor();
      expect(await panel.getByRole('button', { name: 'Thêm dòng' }).count()).toBe(0);
      expect(await panel.getByRole('textbox').count()).toBe(0);
      await shot(page, 'sent');

      await page.getByRole('button', { name: 'Khách đồng ý' }).click();
      await page.getByText('Đã ghi nhận khách đồng ý.').waitFor();
      await expect.poll(async () => (await api(sales, 'GET', quotePath)).status).toBe('accepted');
      expect(await page.getByRole('button', { name: 'Gửi báo giá' }).count()).toBe(0);
      await expectTranslated(page);
      await shot(page, 'accepted');
      const quote = await api(sales, 'GET', quotePath);
      expect(quote.approvalStatus).toBe('approved');
      expect(quote.approvedBy.name).toBe(manager.name);
      expect(quote.approvalComment).toBe('Đồng ý, khách quen.');
    });

    it('on a 375 px phone the lines are cards and the page never scrolls sideways', async () => {
      const phone = await signedIn(colleague, { width: 375, height: 812 });
      const small = await phone.context.newPage();
      small.setDefaultTimeout(20_000);
      await small.goto(quotePath);
      const panel = small.getByRole('region', { name: 'Hàng hoá, dịch vụ' });
      await panel.getByRole('article', { name: 'Dòng 2' }).getByText(book).waitFor();
      expect(await sidewaysOverflow(small)).toBeLessThanOrEqual(0);
      await expectTranslated(small);
      await shot(small, 'phone-accepted');

      // A draft on the phone: every input of a line fits the screen.
      const { companyId } = await api(phone, 'GET', quotePath);
      const draft = await api(phone, 'POST', '/quotes', {
        companyId,
        subject: 'Báo giá thử trên điện thoại',
      });
      await small.goto(`/quotes/${draft.id}`);
      await panel.getByRole('button', { name: 'Thêm dòng' }).click();
      const card = panel.getByRole('article', { name: 'Dòng 1' });
      await pick(card.getByLabel('Sản phẩm dòng 1', { exact: true }), 'kem', cream);
      await card.getByRole('textbox', { name: 'Chiết khấu dòng 1' }).fill('5');
      await panel.getByRole('button', { name: 'Lưu các dòng' }).click();
      await small.getByText('Đã lưu các dòng hàng.').waitFor();
      await expect
        .poll(async () => plain(await panel.getByRole('region', { name: 'Tổng tiền' }).innerText()))
        .toMatch(/Tổng cộng\s+261\.250 ₫/);
      const box = await card.getByRole('textbox', { name: 'Đơn giá dòng 1' }).boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      expect(await sidewaysOverflow(small)).toBeLessThanOrEqual(0);
      await shot(small, 'phone-draft');
      expect(pageErrors).toEqual([]);
    });
  },
);
