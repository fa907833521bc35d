/**
 * The import wizard (issue #18) in a real browser against the real, built server, whose job
 * runner (on by default, SEN_JOBS) runs the import: from the empty companies list's "import" link
 * and the contacts toolbar, a file the server refuses (its message shown), then a CSV with
 * Vietnamese headers ("Họ và tên", "SĐT", "Email", "Công ty", "Ngày sinh"), two bad rows and one
 * row matching an existing contact: what was detected, the suggested mapping, the preview (outcome
 * badges, normalised values, errors in Vietnamese), the run's progress bar to the end, the counts
 * (adding up to the rows), the error file downloaded and read, the new contacts and companies in
 * their lists, then the import history and undo: the imported contacts are gone, the one that was
 * there before stays. Every page shown is checked for untranslated keys. One screenshot per step
 * in test-output/e2e/imports/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'imports' });
const { newContext, shot, pageErrors } = e2e;

const fileName = 'khach-hang-hoi-cho.csv';
const HEADERS = ['Họ và tên', 'SĐT', 'Email', 'Công ty', 'Ngày sinh'];
/** The rows that become contacts. */
const good = ['Nguyễn Thị Hồng Nhung', 'Trần Văn Đức', 'Lê Thị Thu Trang', 'Phạm Quốc Bảo'];
const CSV = [
  HEADERS.join(','),
  'Nguyễn Thị Hồng Nhung,0912 345 678,nhung@minhphat.vn,Công ty TNHH Minh Phát,17/05/1990',
  'Trần Văn Đức,0987.654.321,duc@minhphat.vn,Công ty TNHH Minh Phát,1985-02-03',
  'Lê Thị Thu Trang,0903 222 111,trang@example.vn,,',
  // A phone number that is not one: the row fails.
  'Lê Văn Sai Số,12345,saiso@example.vn,,',
  'Phạm Quốc Bảo,0977 888 999,bao@saomai.vn,Công ty CP Sao Mai,02/09/1988',
  // 31 February: the row fails.
  'Vũ Ngày Sai,0904 555 666,ngaysai@example.vn,,31/02/1990',
  // The contact seeded before the import (same email): skipped.
  'Khách Cũ,0933 333 333,old@example.vn,,',
].join('\r\n');
const existing = 'Khách Cũ';
/** The wizard names the vCard format as it is spelled. */
const allow = ['vCard'];

describe('import wizard: CSV with Vietnamese headers, progress, report, error file, undo', () => {
  let context: BrowserContext;
  let page: Page;
  let csrf = '';

  async function api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown) {
    const res = await context.request.fetch(`/api/v1${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
      ...(body !== undefined ? { data: body } : {}),
    });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const contactCount = async () => (await api<{ count: number }>('GET', '/contacts/count')).count;

  /** Chooses a file in the upload step's file input (through the "Chọn tệp" button). */
  async function chooseFile(name: string, content: string | Buffer) {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Chọn tệp' }).click(),
    ]);
    await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  }

  it('seeds a workspace and one contact; an empty list offers the import', async () => {
    context = await newContext();
    const setup = await e2e.setUpWorkspace(context);
    csrf = setup.csrfToken;
    await api('POST', '/contacts', { fullName: existing, emails: [{ value: 'old@example.vn' }] });
    expect(await contactCount()).toBe(1);

    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // No company yet: the list says so and offers both ways to start.
    await page.goto('/companies');
    await page.getByRole('heading', { level: 1, name: 'Công ty' }).waitFor();
    const empty = page.locator('[data-empty-list]');
    await empty.getByText('Chưa có công ty nào.', { exact: false }).waitFor();
    const emptyImport = empty.getByRole('link', { name: 'Nhập danh sách từ tệp' });
    expect(await emptyImport.getAttribute('href')).toBe('/companies/import');
    await expectTranslated(page, { allow });
    await shot(page, 'companies-empty');
  });

  it('opens the wizard from the contacts toolbar; a refused file shows the server’s message', async () => {
    await page.goto('/contacts');
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await page.getByRole('link', { name: 'Nhập dữ liệu' }).click();
    await page.waitForURL('**/contacts/import');
    await page.getByRole('heading', { level: 1, name: 'Nhập liên hệ từ tệp' }).waitFor();
    await page.getByText('Kéo thả tệp vào đây').waitFor();
    await expectTranslated(page, { allow });
    await shot(page, 'wizard-upload');

    // A file with a header and no rows: refused, with the server's own words.
    await chooseFile('chi-tieu-de.csv', HEADERS.join(',') + '\r\n');
    const alert = page.getByRole('alert').filter({ hasText: 'Không nhập được tệp này' });
    await alert.getByText('Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.').waitFor();
    await shot(page, 'wizard-upload-refused');
  });

  it('uploads the CSV and shows what was detected', async () => {
    await chooseFile(fileName, CSV);
    await page.getByText('Các dòng đầu của tệp').waitFor();
    for (const fact of [fileName, 'CSV', 'UTF-8', 'Dấu phẩy (,)', '7 dòng']) {
      await page.getByText(fact, { exact: true }).first().waitFor();
    }
    await expectTranslated(page, { allow });
    await shot(page, 'wizard-detected');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
  });

  it('suggests the mapping from the Vietnamese headers and saves it as a template', async () => {
    const suggested: Record<string, string> = {
      'Họ và tên': 'Họ và tên',
      SĐT: 'Điện thoại',
      Email: 'Email',
      'Công ty': 'Công ty',
      'Ngày sinh': 'Ngày sinh',
    };
    for (const [column, target] of Object.entries(suggested)) {
      const select = page.getByRole('combobox', { name: `Trường cho cột ${column}` });
      await expect.poll(() => select.inputValue()).toBe(target);
    }
    await page.getByText('5/5 cột sẽ được nhập.').waitFor();
    // The required name is fed by the full-name column: no warning.
    expect(await page.locator('[data-required-missing]').count()).toBe(0);
    await page
      .getByRole('textbox', { name: 'Lưu cách ghép cột thành mẫu (không bắt buộc)' })
      .fill('Khách hội chợ');
    await expectTranslated(page, { allow });
    await shot(page, 'wizard-mapping');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
  });

  it('previews the rows as they would be stored, with the errors in Vietnamese', async () => {
    const table = page.getByRole('table', { name: 'Xem trước' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(7);
    const outcomes = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-outcome')));
    expect(outcomes).toEqual([
      'created',
      'created',
      'created',
      'failed',
      'created',
      'failed',
      'skipped',
    ]);
    // Normalised values: the phone as the list shows it, the date in Vietnamese order, the company.
    const first = rows.nth(0);
    await first.getByText('Tạo mới', { exact: true }).waitFor();
    await first.getByText('0912 345 678', { exact: true }).waitFor();
    await first.getByText('17/05/1990', { exact: true }).waitFor();
    await first.getByText('Công ty TNHH Minh Phát', { exact: true }).waitFor();
    await rows.nth(3).getByText('Lỗi', { exact: true }).waitFor();
    await rows
      .nth(3)
      .getByText(/^SĐT: /)
      .waitFor();
    await rows
      .nth(5)
      .getByText(/^Ngày sinh: /)
      .waitFor();
    await rows.nth(6).getByText('Bỏ qua', { exact: true }).waitFor();
    await rows.nth(6).getByText(`Trùng với "${existing}"`, { exact: false }).waitFor();
    // The duplicate policy: skip, on every match key.
    expect(await page.getByRole('radio', { name: 'Bỏ qua dòng đó' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Email' }).isChecked()).toBe(true);
    // Nothing was written by the preview.
    expect(await contactCount()).toBe(1);
    await expectTranslated(page, { allow });
    await shot(page, 'wizard-preview');
  });

  it('runs the import: the progress bar reaches the end, the counts add up', async () => {
    await page.getByRole('button', { name: 'Bắt đầu nhập 7 dòng' }).click();
    const bar = page.getByRole('progressbar', { name: 'Tiến độ nhập' });
    await bar.waitFor();
    await shot(page, 'wizard-running');
    await page.getByText('Đã nhập xong', { exact: true }).waitFor({ timeout: 60_000 });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('100');
    const count = async (key: string) =>
      Number(await page.locator(`[data-count="${key}"] p`).last().innerText());
    expect(await count('created')).toBe(4);
    expect(await count('updated')).toBe(0);
    expect(await count('skipped')).toBe(1);
    expect(await count('failed')).toBe(2);
    await page.getByText('Tổng cộng 7 dòng.').waitFor();
    expect(await contactCount()).toBe(5);
    await expectTranslated(page, { allow });
    await shot(page, 'wizard-report');
  });

  it('downloads the error file: the failed and skipped rows with their reasons', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải tệp lỗi' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^import-errors-[0-9a-f]{8}\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(`Dòng,${HEADERS.join(',')},Lý do`);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^5,Lê Văn Sai Số,12345,saiso@example\.vn,,,SĐT: /);
    expect(lines[2]).toMatch(/^7,Vũ Ngày Sai,.*,31\/02\/1990,Ngày sinh: /);
    expect(lines[3]).toMatch(/^8,Khách Cũ,.*Trùng với ""Khách Cũ"" \(Email: old@example\.vn\)/);
  });

  it('shows the imported contacts and companies in their lists', async () => {
    await page.getByRole('link', { name: 'Xem danh sách liên hệ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    for (const name of [...good, existing]) {
      await page.getByRole('link', { name, exact: true }).waitFor();
    }
    expect(await page.getByRole('link', { name: 'Lê Văn Sai Số' }).count()).toBe(0);
    await shot(page, 'contacts-imported');
    await page.goto('/companies');
    await page.getByRole('link', { name: 'Công ty TNHH Minh Phát', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Công ty CP Sao Mai', exact: true }).waitFor();
  });

  it('exports the searched view of contacts to Excel: its rows, in its columns', async () => {
    await page.goto('/contacts');
    await page.getByRole('textbox', { name: 'Tìm trong danh sách' }).fill('minhphat');
    await page.getByRole('link', { name: 'Trần Văn Đức', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Lê Thị Thu Trang' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Xuất', exact: true }).click();
    await shot(page, 'export-menu');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    // The header in Vietnamese (the list's columns), then the two contacts the search finds.
    expect(rows[0]).toContain('Họ và tên');
    expect(rows[0]).toContain('Email');
    const names = rows.slice(1).map((r) => r[rows[0]!.indexOf('Họ và tên')]);
    expect(names.sort()).toEqual(['Nguyễn Thị Hồng Nhung', 'Trần Văn Đức']);
  });

  it('lists the import in the history and undoes it: the imported contacts are gone', async () => {
    await page.goto('/contacts/import');
    await page.getByRole('link', { name: 'Lịch sử nhập' }).click();
    await page.waitForURL('**/contacts/imports');
    await page.getByRole('heading', { level: 1, name: 'Lịch sử nhập liên hệ' }).waitFor();
    const row = page.locator(`tr[data-import="${fileName}"]`);
    await row.getByText('Đã nhập xong', { exact: true }).waitFor();
    await row.getByText('Tạo mới: 4', { exact: true }).waitFor();
    await row.getByText('Lỗi: 2', { exact: true }).waitFor();
    await expectTranslated(page, { allow });
    await shot(page, 'history');

    await row.getByRole('button', { name: `Hoàn tác lần nhập ${fileName}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Hoàn tác lần nhập?' });
    await dialog.getByText('4 liên hệ đã tạo sẽ bị xoá hẳn', { exact: false }).waitFor();
    await shot(page, 'undo-confirm');
    await dialog.getByRole('button', { name: 'Hoàn tác' }).click();
    await row.getByText('Đã hoàn tác', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await row.getByRole('button', { name: /^Hoàn tác/ }).count()).toBe(0);
    await shot(page, 'history-undone');
    await expect.poll(contactCount).toBe(1);

    await page.goto('/contacts');
    await page.getByRole('link', { name: existing, exact: true }).waitFor();
    for (const name of good) {
      expect(await page.getByRole('link', { name, exact: true }).count()).toBe(0);
    }
    await expectTranslated(page, { allow });
    await shot(page, 'contacts-after-undo');
    expect(pageErrors).toEqual([]);
  });
});
