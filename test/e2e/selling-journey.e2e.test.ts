/**
 * The selling journey (#20) in a real browser against the real, built server. The admin sees
 * Settings → Duyệt chiết khấu (sales may give 10 % without approval). From a won deal, a
 * salesperson creates a quote for its company and contact, adds two products at 10 % and 5 % VAT
 * through the line items panel (a wrong quantity is refused on its own cell), gives 15 % off one
 * line and saves: the totals per VAT rate, the total and the amount in words. Sending asks for a
 * manager's approval; the manager, in a second browser context, approves it with a comment; the
 * salesperson downloads the quote's PDF (rendered to PNG by pdf.js in the browser), sends it (its
 * lines are then locked) and records the customer's acceptance. Then: an order from the quote,
 * confirmed and delivered in part; an invoice for what was delivered, issued by the manager, its
 * PDF with the VietQR code (decoded from the rendered page); a partial payment. The receivables
 * page puts the balance in the right ages (this invoice not due, an old customer's > 90 days);
 * the contact's "Tổng đã mua" and "Công nợ" follow; the quote's timeline tells its lines' change
 * in words; a saved view "Không mua hàng 90 ngày" of the contacts (the relative date filter)
 * lists exactly the customers whose last order is older. Last, the quote, order and invoice
 * pages on a 375 px phone (lines as cards, read-only and editable) never scroll sideways. One
 * screenshot per step in test-output/e2e/selling-journey/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import fs from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import type { BrowserContext, Download, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { pdfPageTexts } from '../support/pdf-text.js';
import { expectTranslated } from '../support/untranslated.js';

// jsqr is CommonJS whose types say `export default`: under NodeNext the default import is the
// module object for the type checker, the function itself at run time.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

const e2e = browserJourney({ shots: 'selling-journey' });
const { newContext, shot, pageErrors } = e2e;

const manager = { name: 'Lê Văn Cường', email: 'cuong@hoasen.vn', password: 'Hoa-sen-2024!cuong' };
const company = 'Công ty TNHH Mỹ phẩm Thu Hà';
const cream = 'Kem dưỡng da Sen Hồng';
const book = 'Sổ tay chăm sóc da';
const contact = 'Nguyễn Thu Hà';
const deal = 'Mỹ phẩm quý I cho Thu Hà';
/** Customers of the admin's: two whose last order is ~4 months old, one who ordered last month. */
const oldCustomers = ['Phạm Thị Lan', 'Đỗ Văn Hùng'];
const recentCustomer = 'Vũ Minh Tâm';
const bank = { bankBin: '970436', bankAccountNumber: '0071000123456' };
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
  return page.evaluate<number>('document.scrollingElement.scrollWidth - window.innerWidth');
}

/**
 * What goes sideways on a phone inside `selector` (the lines panel): every visible element
 * whose right edge is past the screen's, and every box that scrolls sideways inside itself.
 */
async function sideways(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const width = window.innerWidth;
    const name = (el) =>
      el.getAttribute('aria-label') || el.getAttribute('name') || el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0];
    for (const root of document.querySelectorAll(${JSON.stringify(selector)})) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        if (/auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
          out.push('scrolls: ' + name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 0.5)
          out.push('past the edge: ' + name(el) + ' ' + Math.round(r.right));
      }
    }
    return out;
  })()`);
}

async function expectNoIds(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(UUID)?.[0] ?? null).toBeNull();
}

/** A calendar date `days` before today (YYYY-MM-DD, local time as the server's). */
function daysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Money as the UI shows it: "1.078.400 ₫". */
const money = (n: number) => `${n.toLocaleString('de-DE')} ₫`;

/** A download's bytes. */
async function downloaded(download: Download): Promise<Buffer> {
  return fs.promises.readFile((await download.path())!);
}

/**
 * A PDF's first page drawn by pdf.js in a browser page (the viewer a person would use), for a
 * screenshot and to read back what it shows: returns the page and the canvas as a PNG.
 */
async function pdfInBrowser(
  context: BrowserContext,
  pdf: Buffer,
): Promise<{ page: Page; png: Buffer }> {
  const pdfjs = path.resolve(import.meta.dirname, '../../node_modules/pdfjs-dist/build');
  const html = `<!doctype html><body style="margin:0;background:#777">
<canvas id="page" style="display:block;margin:8px auto;box-shadow:0 0 6px #000"></canvas>
<script type="module">
import * as pdfjs from '/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
const doc = await pdfjs.getDocument('/document.pdf').promise;
const page = await doc.getPage(1);
const viewport = page.getViewport({ scale: 2 });
const canvas = document.getElementById('page');
canvas.width = viewport.width;
canvas.height = viewport.height;
canvas.style.width = viewport.width / 2 + 'px';
await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
window.rendered = true;
</script></body>`;
  const page = await context.newPage();
  await page.route('http://pdf.viewer/**', (route) => {
    const file = new URL(route.request().url()).pathname.slice(1);
    if (file === 'document.pdf')
      return route.fulfill({ body: pdf, contentType: 'application/pdf' });
    if (file === 'index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    return route.fulfill({ path: path.join(pdfjs, file), contentType: 'text/javascript' });
  });
  await page.goto('http://pdf.viewer/index.html');
  await page.waitForFunction('window.rendered === true');
  const dataUrl = await page.evaluate<string>(
    "document.getElementById('page').toDataURL('image/png')",
  );
  return { page, png: Buffer.from(dataUrl.split(',')[1]!, 'base64') };
}

/** The text of the QR code drawn on a PNG, or null. */
function qrText(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/**
 * Waits for the toasts to go (4 s each): stacked at the top right, they cover the record header's
 * buttons, and a person waits for them too. A toast under the pointer stays (Mantine pauses it
 * while hovered), and the pointer is where the button just clicked was: it moves away first.
 */
async function toastsGone(page: Page): Promise<void> {
  await page.mouse.move(300, 700);
  await expect
    .poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 15_000 })
    .toBe(0);
}

interface Signed {
  context: BrowserContext;
  csrf: string;
}

describe(
  'selling: a won deal → quote approved by a manager → order, delivery, invoice, payment → receivables, customer figures, saved view',
  { timeout: 600_000 },
  () => {
    let admin: Signed;
    let sales: Signed;
    let boss: Signed;
    let page: Page;
    let quotePath = '';
    let orderPath = '';
    let invoicePath = '';
    let contactId = '';
    let orderDate = '';
    let managerPage: Page;

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
      // The business's bank account: invoices carry a VietQR code for it.
      await api(admin, 'PUT', '/settings/company-profile', {
        legalName: 'Công ty TNHH Hoa Sen',
        ...bank,
        bankAccountName: 'CONG TY TNHH HOA SEN',
      });
      const products = (await api(admin, 'GET', '/products')).items as {
        id: string;
        name: string;
      }[];
      const creamId = products.find((p) => p.name === cream)!.id;
      const warehouse = (await api(admin, 'GET', '/stock/warehouses')).items[0];
      await api(admin, 'POST', '/stock/receipts', {
        warehouseId: warehouse.id,
        lines: products.map((p) => ({ productId: p.id, quantity: 100 })),
        reason: 'Nhập hàng đầu kỳ',
      });
      // Earlier customers of the admin's, each with one confirmed order: two ~4 months ago, one
      // last month. Lan's goods were delivered and invoiced then; the invoice is long overdue.
      for (const [name, age] of [
        [oldCustomers[0]!, 120],
        [oldCustomers[1]!, 100],
        [recentCustomer, 30],
      ] as const) {
        const buyer = await api(admin, 'POST', '/contacts', { fullName: name });
        const order = await api(admin, 'POST', '/orders', {
          contactId: buyer.id,
          orderDate: daysAgo(age),
          subject: `Đơn hàng của ${name}`,
        });
        await api(admin, 'PUT', `/orders/${order.id}/line-items`, {
          items: [{ productId: creamId, quantity: '2' }],
        });
        await api(admin, 'POST', `/orders/${order.id}/confirm`);
        if (name !== oldCustomers[0]) continue;
        await api(admin, 'POST', `/orders/${order.id}/deliveries`, { deliveredOn: daysAgo(118) });
        const old = await api(admin, 'POST', `/orders/${order.id}/invoice`, {});
        await api(admin, 'PATCH', `/invoices/${old.id}`, {
          issueDate: daysAgo(120),
          dueDate: daysAgo(105),
        });
        await api(admin, 'POST', `/invoices/${old.id}/issue`);
      }

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
      const customer = await api(sales, 'POST', '/companies', { name: company });
      const person = await api(sales, 'POST', '/contacts', { fullName: contact });
      contactId = person.id;
      await api(sales, 'POST', '/deals', {
        name: deal,
        amount: 3_000_000,
        companyId: customer.id,
        status: 'won',
      });
      // Nothing bought yet.
      const before = await api(sales, 'GET', `/contacts/${contactId}`);
      expect([before.totalSpent, before.openBalance, before.lastOrderDate]).toEqual([0, 0, null]);
      page = await sales.context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/quotes');
      await page.getByRole('heading', { level: 1, name: 'Báo giá' }).waitFor();
      await page.getByRole('button', { name: 'Thêm báo giá' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Thêm báo giá' });
      await pick(labelled(dialog, 'Cơ hội bán hàng'), 'my pham', deal);
      await pick(labelled(dialog, 'Công ty'), 'thu ha', company);
      await pick(labelled(dialog, 'Người liên hệ'), 'thu ha', contact);
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
      managerPage = await boss.context.newPage();
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

      // The quote as the customer gets it: its PDF, drawn as a page.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Tải PDF' }).click(),
      ]);
      const pdf = await downloaded(download);
      const text = (await pdfPageTexts(pdf)).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain('BÁO GIÁ');
      expect(text).toMatch(/BG-\d{4}-0001/);
      expect(text).toContain(company);
      expect(text).toContain('3.178.400');
      expect(text).toContain('Ba triệu một trăm bảy mươi tám nghìn bốn trăm đồng');
      const viewer = await pdfInBrowser(sales.context, pdf);
      await shot(viewer.page, 'quote-pdf');
      await viewer.page.close();

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

    it('the accepted quote becomes an order, confirmed and delivered in part', async () => {
      await page.getByRole('button', { name: 'Tạo đơn hàng' }).click();
      await page.getByText('Đã tạo đơn hàng').waitFor();
      await page.waitForURL(/\/orders\/[\w-]+$/);
      orderPath = new URL(page.url()).pathname;
      await page.getByRole('heading', { level: 1, name: /^DH-\d{4}-\d{4}$/ }).waitFor();
      const panel = page.getByRole('region', { name: 'Hàng hoá, dịch vụ' });
      // A draft order's lines are the quote's, still editable.
      await expect
        .poll(() => panel.getByRole('textbox', { name: 'Tên hàng dòng 1' }).inputValue())
        .toBe(cream);
      await expect
        .poll(async () => plain(await panel.getByRole('region', { name: 'Tổng tiền' }).innerText()))
        .toMatch(/Tổng cộng\s+3\.178\.400 ₫/);
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'order-draft');

      await toastsGone(page);
      await page.getByRole('button', { name: 'Xác nhận đơn' }).click();
      await page.getByText('Đã xác nhận đơn').waitFor();
      await toastsGone(page);
      await page.getByRole('button', { name: 'Giao hàng' }).click();
      const deliver = page.getByRole('dialog', { name: 'Giao hàng' });
      // 6 of the 10 creams now, all 4 books.
      const creams = deliver.getByRole('textbox', { name: `Giao lần này: ${cream}` });
      await expect.poll(() => creams.inputValue()).toBe('10');
      await creams.fill('6');
      await shot(page, 'delivery');
      await deliver.getByRole('button', { name: 'Ghi nhận giao hàng' }).click();
      await page.getByText('Đã ghi nhận giao hàng').waitFor();
      const deliveries = page.getByRole('region', { name: 'Giao hàng' });
      const creamRow = deliveries.getByRole('row').filter({ hasText: cream });
      await expect.poll(async () => plain(await creamRow.innerText())).toMatch(/6\/10\s+4$/);
      const bookRow = deliveries.getByRole('row').filter({ hasText: book });
      await expect.poll(async () => plain(await bookRow.innerText())).toMatch(/4\/4\s+0$/);
      await deliveries.getByText(`${cream} × 6, ${book} × 4`).waitFor();
      const order = await api(sales, 'GET', orderPath);
      expect([order.status, order.deliveryStatus]).toEqual(['confirmed', 'partly_delivered']);
      orderDate = order.orderDate;
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'order-delivered-in-part');
    });

    it('an invoice for what was delivered, issued by the manager, its PDF with VietQR; a partial payment', async () => {
      await toastsGone(page);
      await page.getByRole('button', { name: 'Lập hoá đơn' }).click();
      await page.getByText('Đã lập hoá đơn').waitFor();
      await page.waitForURL(/\/invoices\/[\w-]+$/);
      invoicePath = new URL(page.url()).pathname;
      // 6 × 250.000 + 10 % = 1.650.000; 4 × 120.000 − 15 % = 408.000 + 5 % = 428.400.
      const panel = page.getByRole('region', { name: 'Hàng hoá, dịch vụ' });
      await expect
        .poll(async () => plain(await panel.getByRole('region', { name: 'Tổng tiền' }).innerText()))
        .toMatch(/Tổng cộng\s+2\.078\.400 ₫/);
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'invoice-draft');

      // Issuing is for approvers: the manager does it.
      await managerPage.goto(invoicePath);
      await managerPage.getByRole('button', { name: 'Phát hành' }).click();
      await managerPage.getByText('Đã phát hành hoá đơn').waitFor();
      await shot(managerPage, 'invoice-issued');

      await page.reload();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Tải PDF' }).click(),
      ]);
      const pdf = await downloaded(download);
      const text = (await pdfPageTexts(pdf)).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain('2.078.400');
      expect(text).toContain(bank.bankAccountNumber);
      const viewer = await pdfInBrowser(sales.context, pdf);
      // The VietQR code on the page asks for the invoice's balance into the business's account.
      const qr = qrText(viewer.png);
      expect(qr).not.toBeNull();
      expect(qr).toContain(bank.bankBin);
      expect(qr).toContain(bank.bankAccountNumber);
      expect(qr).toMatch(/54072078400/);
      await shot(viewer.page, 'invoice-pdf-vietqr');
      await viewer.page.close();

      await page.getByRole('button', { name: 'Ghi nhận thanh toán' }).click();
      const pay = page.getByRole('dialog', { name: 'Ghi nhận thanh toán' });
      await pay.getByText(/^Còn phải thu: 2\.078\.400\s₫$/).waitFor();
      const amount = labelled(pay, 'Số tiền (đ)');
      await expect.poll(() => amount.inputValue()).toBe('2.078.400');
      await amount.fill('1000000');
      await shot(page, 'payment');
      await pay.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
      await page.getByText('Đã ghi nhận thanh toán').waitFor();
      await expect
        .poll(async () => (await api(sales, 'GET', invoicePath)).status)
        .toBe('partly_paid');
      const invoice = await api(sales, 'GET', invoicePath);
      expect([invoice.paidAmount, invoice.balance]).toEqual([1_000_000, 1_078_400]);
      await expect
        .poll(async () => plain(await page.locator('main').innerText()))
        .toContain('1.078.400');
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'invoice-partly-paid');
    });

    it("the receivables page ages the balances; the contact's figures follow", async () => {
      await managerPage.goto('/reports/receivables');
      await managerPage.getByRole('heading', { level: 1, name: 'Công nợ' }).waitFor();
      const table = managerPage.getByRole('table');
      // A customer's row as { column header: cell } (read once the table is there).
      const rowOf = async (name: string) => {
        const row = table.getByRole('row').filter({ hasText: name });
        await row.waitFor();
        const columns = (await table.getByRole('columnheader').allInnerTexts()).map(plain);
        const cells = (await row.getByRole('cell').allInnerTexts()).map(plain);
        return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
      };
      // This invoice is not due yet; Lan's, due 105 days ago, is over 90 days.
      const thuHa = await rowOf(company);
      expect(thuHa['Còn phải thu']).toBe(money(1_078_400));
      expect(thuHa['Chưa đến hạn']).toBe(money(1_078_400));
      expect(thuHa['>90 ngày']).toBe(money(0));
      const lan = await rowOf(oldCustomers[0]!);
      expect(lan['Còn phải thu']).toBe(money(550_000));
      expect(lan['>90 ngày']).toBe(money(550_000));
      expect(lan['Chưa đến hạn']).toBe(money(0));
      await managerPage.getByText('1 hoá đơn quá hạn').waitFor();
      await expectTranslated(managerPage);
      await expectNoIds(managerPage);
      await shot(managerPage, 'receivables');

      // The contact's page: what they bought and still owe.
      await page.goto(`/contacts/${contactId}`);
      await page.getByRole('heading', { level: 1, name: contact }).waitFor();
      const body = async () => plain(await page.locator('main').innerText());
      await expect
        .poll(body)
        .toMatch(new RegExp(`Tổng đã mua \\(đ\\)\\s+${money(1_000_000).replaceAll('.', '\\.')}`));
      await expect
        .poll(body)
        .toMatch(new RegExp(`Công nợ \\(đ\\)\\s+${money(1_078_400).replaceAll('.', '\\.')}`));
      const figures = await api(sales, 'GET', `/contacts/${contactId}`);
      expect([figures.totalSpent, figures.openBalance, figures.lastOrderDate]).toEqual([
        1_000_000,
        1_078_400,
        orderDate,
      ]);
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'contact-figures');
    });

    it("the quote's timeline tells its lines in words", async () => {
      await page.goto(quotePath);
      const timeline = page.getByRole('region', { name: 'Dòng thời gian' });
      await timeline
        .getByText(/^Dòng hàng: 2 dòng, thành tiền 2\.908\.000\s₫$/)
        .first()
        .waitFor();
      const text = await timeline.innerText();
      expect(text).not.toMatch(/[{}[\]"]/);
      // The order's changes shown here are worded with the order's fields.
      await timeline
        .getByText(/^Giao hàng: Chưa giao → /)
        .first()
        .waitFor();
      await expectTranslated(page);
      await shot(page, 'quote-timeline');
    });

    it('a saved view "Không mua hàng 90 ngày" lists the customers whose last order is older', async () => {
      await managerPage.goto('/contacts');
      await managerPage.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
      await managerPage.getByRole('button', { name: 'Lọc' }).click();
      await managerPage.getByRole('button', { name: 'Thêm điều kiện' }).click();
      const field = managerPage.getByRole('combobox', { name: 'Trường' }).last();
      await field.click();
      await field.fill('mua gan');
      await managerPage.getByRole('option', { name: 'Ngày mua gần nhất', exact: true }).click();
      const operator = managerPage.getByRole('combobox', { name: 'Phép so sánh' }).last();
      await operator.click();
      await managerPage.getByRole('option', { name: 'cách đây hơn (ngày)', exact: true }).click();
      await managerPage.getByRole('textbox', { name: 'Số ngày' }).last().fill('90');
      const names = async () =>
        (await managerPage.locator('tbody tr td:nth-child(2) a').allInnerTexts()).sort();
      await expect.poll(names).toEqual([...oldCustomers].sort());
      await shot(managerPage, 'filter-no-order-90-days');
      await managerPage.keyboard.press('Escape');
      await managerPage.getByRole('button', { name: 'Lưu chế độ xem' }).click();
      const save = managerPage.getByRole('dialog', { name: 'Lưu chế độ xem' });
      await save.getByRole('textbox', { name: 'Tên chế độ xem' }).fill('Không mua hàng 90 ngày');
      await save.getByRole('button', { name: 'Lưu' }).click();
      await managerPage
        .getByRole('button', { name: 'Chế độ xem: Không mua hàng 90 ngày' })
        .waitFor();
      await managerPage.reload();
      await managerPage
        .getByRole('button', { name: 'Chế độ xem: Không mua hàng 90 ngày' })
        .waitFor();
      await expect.poll(names).toEqual([...oldCustomers].sort());
      expect(await names()).not.toContain(recentCustomer);
      expect(await names()).not.toContain(contact);
      await expectTranslated(managerPage);
      await shot(managerPage, 'saved-view-no-order-90-days');
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
      // The price being edited, and a second line being added: nothing goes sideways.
      await card.getByRole('textbox', { name: 'Đơn giá dòng 1' }).fill('1234567890');
      await panel.getByRole('button', { name: 'Thêm dòng' }).click();
      await pick(panel.getByLabel('Sản phẩm dòng 2', { exact: true }), 'so tay', book);
      const content = 'main';
      expect(await sideways(small, content)).toEqual([]);
      expect(
        await small.evaluate<number>('document.scrollingElement.scrollWidth'),
      ).toBeLessThanOrEqual(375);
      await shot(small, 'phone-draft');

      // The order and the invoice on the phone: their lines and actions fit too.
      for (const path of [orderPath, invoicePath]) {
        await small.goto(path);
        await panel.getByRole('article', { name: 'Dòng 2' }).getByText(book).waitFor();
        expect(await sideways(small, content)).toEqual([]);
        expect(
          await small.evaluate<number>('document.scrollingElement.scrollWidth'),
        ).toBeLessThanOrEqual(375);
        await expectTranslated(small);
        await shot(small, `phone-${path.split('/')[1]}`);
      }
      expect(pageErrors).toEqual([]);
    });
  },
);
