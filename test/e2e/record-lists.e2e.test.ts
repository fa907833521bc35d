/**
 * Record lists in a real browser against the real, built server: contacts filtered by company
 * and job title (a company picked by searching), the filtered view saved and opened again after
 * a reload and on another device ("save view" only active when something changed), the pinned
 * selection and name columns after sorting a far-right column, and a phone (375 × 812): cards with
 * a call link, and a record page whose note box is on the first screen. The workspace, companies
 * and contacts are seeded through the HTTP API. One screenshot per step in
 * test-output/e2e/record-lists/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { admin, browserJourney } from '../support/e2e.js';

const e2e = browserJourney({ shots: 'record-lists' });
const { newContext, shot, pageErrors } = e2e;

const hoaSen = 'Công ty TNHH Hoa Sen';
const hoaMai = 'Công ty CP Hoa Mai';
/** name → [company, job title, phone] */
const people: Record<string, [string | null, string | null, string]> = {
  'Lê Minh Khoa': [hoaSen, 'Giám đốc kinh doanh', '0912 345 678'],
  'Phạm Thu Hà': [hoaSen, 'Kế toán', '0903 111 222'],
  'Đỗ Quang Huy': [hoaSen, null, '0988 765 432'],
  'Vũ Ngọc Lan': [hoaMai, 'Giám đốc', '0977 000 111'],
  'Hoàng Gia Bảo': [null, null, '0966 222 333'],
};
const atHoaSen = ['Lê Minh Khoa', 'Phạm Thu Hà', 'Đỗ Quang Huy'];

/** Opens a Mantine select (a combobox), types to search and clicks one of its options. */
async function pick(page: Page, label: string, search: string, option: string): Promise<void> {
  const input = page.getByRole('combobox', { name: label }).last();
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The names the contacts table shows, sorted. */
async function tableNames(page: Page): Promise<string[]> {
  const names = await page.locator('tbody tr td:nth-child(2) a').allInnerTexts();
  return names.sort();
}

async function signIn(context: BrowserContext): Promise<void> {
  const res = await context.request.post('/api/v1/auth/sign-in', {
    data: { email: admin.email, password: admin.password },
  });
  expect(res.status()).toBe(200);
}

describe('record lists: filters, saved views, pinned columns, phone layout', () => {
  let context: BrowserContext;
  let page: Page;
  let save: Locator;

  it('seeds a workspace, two companies and five contacts through the API', async () => {
    context = await newContext();
    const setup = await e2e.setUpWorkspace(context);
    const csrf = setup.csrfToken as string;
    const post = async (path: string, data: unknown) => {
      const res = await context.request.post(`/api/v1${path}`, {
        data,
        headers: { 'x-csrf-token': csrf },
      });
      expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
      return res.json();
    };
    const companies: Record<string, string> = {};
    for (const name of [hoaSen, hoaMai]) companies[name] = (await post('/companies', { name })).id;
    for (const [fullName, [company, jobTitle, phone]] of Object.entries(people)) {
      const contact = await post('/contacts', { fullName, phones: [{ value: phone }] });
      if (company) {
        await post(`/contacts/${contact.id}/companies`, {
          companyId: companies[company],
          jobTitle,
        });
      }
    }

    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/contacts');
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await expect.poll(() => tableNames(page)).toEqual(Object.keys(people).sort());
    save = page.getByRole('button', { name: 'Lưu chế độ xem' });
    // Nothing to save yet.
    expect(await save.isDisabled()).toBe(true);
    await shot(page, 'contacts');
  });

  it('filters the contacts by company (picked by searching) and by job title', async () => {
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByRole('button', { name: 'Thêm điều kiện' }).click();
    await pick(page, 'Trường', 'cong ty', 'Công ty');
    await pick(page, 'Giá trị', 'hoa sen', hoaSen);
    await expect.poll(() => tableNames(page)).toEqual([...atHoaSen].sort());
    // The companies column is marked as filtered; the view can be saved now.
    await page
      .getByRole('columnheader', { name: /Công ty/ })
      .getByLabel('Đang lọc theo cột này')
      .waitFor();
    expect(await save.isDisabled()).toBe(false);
    await shot(page, 'filtered-by-company');

    await page.getByRole('button', { name: 'Thêm điều kiện' }).click();
    await pick(page, 'Trường', 'chuc danh', 'Chức danh');
    await page.getByRole('textbox', { name: 'Giá trị' }).fill('giam doc');
    await expect.poll(() => tableNames(page)).toEqual(['Lê Minh Khoa']);
    await shot(page, 'filtered-by-job-title');
    await page.keyboard.press('Escape');
  });

  it('saves the view, and a reload opens it again', async () => {
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Lưu chế độ xem' });
    await dialog.getByRole('textbox', { name: 'Tên chế độ xem' }).fill('Giám đốc Hoa Sen');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('button', { name: 'Chế độ xem: Giám đốc Hoa Sen' }).waitFor();
    await expect.poll(() => save.isDisabled()).toBe(true);

    await page.reload();
    await page.getByRole('button', { name: 'Chế độ xem: Giám đốc Hoa Sen' }).waitFor();
    await expect.poll(() => tableNames(page)).toEqual(['Lê Minh Khoa']);
    expect(await save.isDisabled()).toBe(true);
    await shot(page, 'view-after-reload');

    // A change enables "save view"; undoing it disables it again.
    await page.getByRole('button', { name: 'Sắp xếp theo Điện thoại' }).click();
    await expect.poll(() => save.isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Hoàn tác thay đổi' }).click();
    await expect.poll(() => save.isDisabled()).toBe(true);
  });

  it('keeps the selection and name columns in view when a far-right column is sorted', async () => {
    await page.getByRole('button', { name: 'Chế độ xem: Giám đốc Hoa Sen' }).click();
    await page.getByRole('menuitem', { name: 'Tất cả' }).click();
    await expect.poll(() => tableNames(page)).toEqual(Object.keys(people).sort());
    const scroller = page.locator('.sen-rt-scroll');
    // Columns off screen on the right: the arrow says so.
    await page.getByRole('button', { name: 'Xem thêm cột bên phải' }).waitFor();
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await page.getByRole('button', { name: 'Sắp xếp theo Cập nhật lúc' }).click();
    await page
      .getByRole('columnheader', { name: /Cập nhật lúc/ })
      .and(page.locator('[aria-sort="ascending"]'))
      .waitFor();
    const area = await scroller.boundingBox();
    const checkbox = await page
      .getByRole('checkbox', { name: 'Chọn tất cả dòng đã tải' })
      .boundingBox();
    const name = await page.getByRole('link', { name: 'Lê Minh Khoa', exact: true }).boundingBox();
    expect(area && checkbox && name).toBeTruthy();
    // Both within the table's visible area, at its left edge.
    expect(checkbox!.x).toBeGreaterThanOrEqual(area!.x);
    expect(checkbox!.x).toBeLessThan(area!.x + 44);
    expect(name!.x).toBeLessThan(area!.x + 44 + 40);
    expect(await scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Xem các cột bên trái' }).waitFor();
    await shot(page, 'sorted-far-right');
    // Back to the saved view for the next device.
    await page.getByRole('button', { name: 'Chế độ xem: Tất cả' }).click();
    await page.getByRole('menuitem', { name: 'Giám đốc Hoa Sen' }).click();
    await expect.poll(() => tableNames(page)).toEqual(['Lê Minh Khoa']);
  });

  it('on a phone: the last used view as cards with a call link, and the note box on the first screen', async () => {
    const phone = await newContext({ width: 375, height: 812 });
    await signIn(phone);
    const mobile = await phone.newPage();
    mobile.setDefaultTimeout(15_000);
    await mobile.goto('/contacts');
    // The view follows the user to another device.
    await mobile.getByRole('button', { name: 'Chế độ xem: Giám đốc Hoa Sen' }).waitFor();
    const cards = mobile.locator('[data-record-cards] > li');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await mobile.locator('table').count()).toBe(0);
    const call = cards.first().getByRole('link', { name: /^Gọi Lê Minh Khoa/ });
    expect(await call.getAttribute('href')).toBe('tel:+84912345678');
    expect(await call.innerText()).toBe('0912 345 678');
    await cards.first().getByText(hoaSen).waitFor();
    expect(
      Number(await mobile.evaluate('document.documentElement.scrollWidth')),
    ).toBeLessThanOrEqual(375);
    await shot(mobile, 'phone-cards');

    await cards.first().getByRole('link', { name: 'Lê Minh Khoa', exact: true }).click();
    await mobile.getByRole('heading', { level: 1, name: 'Lê Minh Khoa' }).waitFor();
    const editor = mobile.locator('[contenteditable="true"]').first();
    await editor.waitFor();
    const top =
      ((await editor.boundingBox())?.y ?? Infinity) +
      Number(await mobile.evaluate('window.scrollY'));
    expect(top).toBeLessThan(812);
    await shot(mobile, 'phone-record');
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
