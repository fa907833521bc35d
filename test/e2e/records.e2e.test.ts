/**
 * The customer records journey in a real browser against the real, built server:
 * setup → create a company (valid tax code) → create a contact with a phone and an address
 * picked without diacritics → find her with Ctrl+K by name and by phone digits → add a note →
 * filter the contacts by province and save the view → move her on the lifecycle kanban →
 * delete her and restore her from the trash. One screenshot per step in test-output/e2e/records/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { admin, browserJourney } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const company = { name: 'Công ty CP Sữa Việt', taxCode: '0100109106' };
const contactName = 'Nguyễn Thị Hồng Nhung';

const e2e = browserJourney({ shots: 'records' });
const { newContext, shot, fill, pageErrors } = e2e;

/** Types into a searchable Mantine select (found by its label) and picks an option. */
async function pick(scope: Page, label: string, typed: string, option: string): Promise<void> {
  // The first match is the input; Mantine's listbox is labelled by the same label.
  const input = scope.getByLabel(label, { exact: true }).first();
  // Pick from the keyboard, as a user would once the one matching option is listed (a click
  // can land while a dropdown inside a popover is still being positioned). A list that closes
  // again before it settles (a re-render of the dialog on a busy CI machine) is typed into again,
  // as a user would.
  for (let attempt = 1; ; attempt++) {
    await input.click();
    await input.fill(typed);
    await scope.getByRole('option', { name: option, exact: true }).waitFor();
    try {
      await expect.poll(() => scope.getByRole('option').count(), { timeout: 3000 }).toBe(1);
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await input.fill('');
    }
  }
  await input.press('ArrowDown');
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(option);
}

describe('customer records journey', () => {
  let context: BrowserContext;
  let page: Page;
  let contactPath = '';

  it('sets up a fresh workspace', async () => {
    context = await newContext();
    page = await context.newPage();
    await page.goto('/');
    await page.waitForURL('**/setup');
    await fill(page, 'Tên không gian làm việc', admin.workspace);
    await fill(page, 'Họ và tên', admin.name);
    await fill(page, 'Email', admin.email);
    await fill(page, 'Mật khẩu', admin.password);
    await page.getByRole('button', { name: 'Tạo không gian làm việc' }).click();
    await page.getByRole('heading', { level: 1, name: `Chào mừng, ${admin.name}` }).waitFor();
    // The sidebar shows the record modules.
    await page.getByRole('link', { name: 'Liên hệ', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Công ty', exact: true }).waitFor();
  });

  it('creates a company with a valid tax code', async () => {
    await page.getByRole('link', { name: 'Công ty', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Công ty' }).waitFor();
    await page.getByRole('button', { name: 'Thêm công ty' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm công ty' });
    await dialog.getByRole('textbox', { name: 'Tên công ty' }).fill(company.name);
    await dialog.getByRole('textbox', { name: 'Mã số thuế' }).fill(company.taxCode);
    // Every field the company page shows, size and parent company behind "more fields".
    await dialog.getByRole('button', { name: 'Hiện thêm các trường' }).click();
    await dialog.getByRole('textbox', { name: 'Quy mô' }).waitFor();
    await dialog.getByRole('combobox', { name: 'Công ty mẹ' }).waitFor();
    await shot(page, 'new-company');
    await dialog.getByRole('button', { name: 'Tạo công ty' }).click();
    await page.getByRole('heading', { level: 1, name: company.name }).waitFor();
    await page.getByText(`Mã số thuế: ${company.taxCode}`).waitFor();
    await shot(page, 'company-page');
  });

  it('creates a contact with a phone and an address picked without diacritics', async () => {
    await page.getByRole('link', { name: 'Liên hệ', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await page.getByRole('button', { name: 'Thêm liên hệ' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm liên hệ' });
    // One box for the whole name, split as the server splits it (and editable).
    await dialog.getByRole('textbox', { name: 'Họ và tên' }).fill(contactName);
    await dialog.getByText('Họ: Nguyễn · Tên đệm: Thị Hồng · Tên: Nhung').waitFor();
    await dialog.getByRole('button', { name: 'Sửa họ, tên đệm, tên' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Họ', exact: true }).inputValue()).toBe(
      'Nguyễn',
    );
    expect(await dialog.getByRole('textbox', { name: 'Tên đệm' }).inputValue()).toBe('Thị Hồng');
    expect(await dialog.getByRole('textbox', { name: 'Tên', exact: true }).inputValue()).toBe(
      'Nhung',
    );
    await dialog.getByRole('textbox', { name: 'Số điện thoại 1' }).fill('0912 345 678');
    await pick(page, 'Công ty', 'sua viet', company.name);
    await dialog.getByRole('textbox', { name: 'Chức danh' }).fill('Kế toán trưởng');
    // The short form: the address and the birthday are behind "more fields".
    expect(await dialog.getByLabel('Tỉnh/Thành phố', { exact: true }).first().isVisible()).toBe(
      false,
    );
    await dialog.getByRole('button', { name: 'Hiện thêm các trường' }).click();
    // Province 01 and ward 00070, typed without diacritics.
    await pick(page, 'Tỉnh/Thành phố', 'ha noi', 'Hà Nội');
    await pick(page, 'Phường/Xã', 'hoan kiem', 'Phường Hoàn Kiếm');
    // The vi-VN date picker takes dd/mm/yyyy (not the browser's native date input).
    const birthday = dialog.getByRole('textbox', { name: 'Ngày sinh' });
    expect(await birthday.getAttribute('type')).not.toBe('date');
    await birthday.fill('05/03/1990');
    await birthday.press('Tab');
    await expect.poll(() => birthday.inputValue()).toBe('05/03/1990');
    await shot(page, 'new-contact');
    await dialog.getByRole('button', { name: 'Tạo liên hệ' }).click();

    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
    contactPath = new URL(page.url()).pathname;
    expect(contactPath).toMatch(/^\/contacts\/[\w-]+$/);
    await page.getByRole('link', { name: '0912 345 678' }).waitFor();
    await page.getByText('Phường Hoàn Kiếm').first().waitFor();
    await page.getByText('05/03/1990').first().waitFor();
    await shot(page, 'contact-page');
  });

  it('warns, with a link to her, when a new contact is given her phone number', async () => {
    await page.getByRole('link', { name: 'Liên hệ', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await page.getByRole('button', { name: 'Thêm liên hệ' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm liên hệ' });
    await dialog.getByRole('textbox', { name: 'Họ và tên' }).fill('Trần Văn Bình');
    const phone = dialog.getByRole('textbox', { name: 'Số điện thoại 1' });
    // Written another way than hers: the server compares the stored (E.164) form.
    await phone.fill('+84 912.345.678');
    await phone.press('Tab');
    await dialog.getByText(`Số điện thoại này đã có ở ${contactName}`).waitFor();
    const link = dialog.getByRole('link', { name: `Mở ${contactName} trong thẻ mới` });
    expect(await link.getAttribute('href')).toBe(contactPath);
    await expectTranslated(page);
    await shot(page, 'duplicate-phone');
    // A warning, not a block: the form can still be left (or saved).
    await dialog.getByRole('button', { name: 'Huỷ' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('finds her with Ctrl+K by name and by phone digits', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: `Chào mừng, ${admin.name}` }).waitFor();
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Tìm kiếm' });
    const input = dialog.getByRole('combobox', { name: 'Tìm kiếm' });
    await input.fill('nhung');
    await dialog.getByRole('option', { name: new RegExp(contactName) }).waitFor();
    await shot(page, 'search-by-name');

    await input.fill('912345678');
    await dialog.getByRole('option', { name: new RegExp(contactName) }).waitFor();
    await shot(page, 'search-by-phone');
    await input.press('Enter');
    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
    expect(new URL(page.url()).pathname).toBe(contactPath);
  });

  it('adds a note to her timeline', async () => {
    const note = 'Gọi lại vào thứ Hai để báo giá sữa hộp.';
    await page.getByRole('textbox', { name: 'Ghi chú' }).fill(note);
    await page.getByRole('button', { name: 'Thêm ghi chú' }).click();
    await page.getByText('Đã thêm ghi chú.').waitFor();
    await page.getByRole('list', { name: 'Dòng thời gian' }).getByText(note).waitFor();
    await shot(page, 'note-added');

    // Her company's timeline shows the note too, saying whose it is, with a link back to her.
    await page.getByRole('link', { name: company.name }).first().click();
    await page.getByRole('heading', { level: 1, name: company.name }).waitFor();
    const item = page
      .getByRole('list', { name: 'Dòng thời gian' })
      .getByRole('listitem')
      .filter({ hasText: note });
    await item.getByText('về', { exact: false }).waitFor();
    await item.getByRole('link', { name: contactName }).click();
    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
  });

  it('filters the contacts by province and saves the view', async () => {
    await page.getByRole('link', { name: 'Liên hệ', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByRole('button', { name: 'Thêm điều kiện' }).click();
    await pick(page, 'Trường', 'tinh/thanh', 'Tỉnh/Thành phố');
    await pick(page, 'Giá trị', 'ha noi', 'Hà Nội');
    await expect
      .poll(() => page.getByRole('link', { name: contactName, exact: true }).count())
      .toBe(1);
    await shot(page, 'filter-by-province');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Lưu chế độ xem' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lưu chế độ xem' });
    await dialog.getByRole('textbox', { name: 'Tên chế độ xem' }).fill('Khách ở Hà Nội');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('button', { name: 'Chế độ xem: Khách ở Hà Nội' }).waitFor();
    await shot(page, 'view-saved');
  });

  it('moves her on the lifecycle kanban', async () => {
    await page.goto('/contacts?view=kanban');
    const column = (name: string) => page.getByRole('region', { name, exact: true });
    await column('Khách tiềm năng').getByRole('link', { name: contactName }).waitFor();
    await shot(page, 'kanban-before');
    // Drag and drop to the next column (HTML5 drag and drop).
    await column('Khách tiềm năng')
      .locator('[data-record-id]')
      .first()
      .dragTo(column('Đang chăm sóc'));
    await column('Đang chăm sóc').getByRole('link', { name: contactName }).waitFor();
    // The move is saved: it is still there after a reload.
    await page.reload();
    await column('Đang chăm sóc').getByRole('link', { name: contactName }).waitFor();
    await shot(page, 'kanban-dragged');

    // The keyboard alternative: the card's "move to" menu.
    await page.getByRole('button', { name: `Chuyển ${contactName} sang cột khác` }).click();
    await page.getByRole('menuitem', { name: 'Khách hàng', exact: true }).click();
    await column('Khách hàng').getByRole('link', { name: contactName }).waitFor();
    await shot(page, 'kanban-moved');
  });

  it('deletes her and restores her from the trash', async () => {
    await page.goto(contactPath);
    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
    await page.getByRole('button', { name: 'Xoá', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xoá', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();

    await page.getByRole('link', { name: 'Thùng rác' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thùng rác' }).waitFor();
    await page.getByRole('cell', { name: contactName, exact: true }).waitFor();
    await page.getByText('30 ngày').first().waitFor();
    await shot(page, 'trash');
    await page.getByRole('button', { name: `Khôi phục ${contactName}` }).click();
    await page.getByText(`Đã khôi phục ${contactName}.`).waitFor();
    await page.getByText('Thùng rác trống.').waitFor();

    await page.goto(contactPath);
    await page.getByRole('heading', { level: 1, name: contactName }).waitFor();
    await shot(page, 'restored');
  });

  it('adds a product to the catalogue through the generic form, and finds it on its pages', async () => {
    // Products have no page or form of their own: the sidebar entry, the table, the form and the
    // record page come from the object's declaration and fields metadata.
    await page.getByRole('link', { name: 'Sản phẩm', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sản phẩm' }).waitFor();
    await page.getByText('Chưa có sản phẩm nào').or(page.getByText('0 sản phẩm')).first().waitFor();
    await page.getByRole('button', { name: 'Thêm sản phẩm' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm sản phẩm' });
    await dialog.getByRole('textbox', { name: 'Tên sản phẩm' }).fill('Sữa tươi Ba Vì 1 lít');
    await dialog.getByRole('textbox', { name: 'Mã SKU' }).fill('SUA-BV-1L');
    // Units are the workspace's option list: picked, typed without diacritics.
    const unit = dialog.getByRole('combobox', { name: 'Đơn vị tính' });
    await unit.click();
    await unit.fill('hop');
    await page.getByRole('option', { name: 'hộp', exact: true }).click();
    await expect.poll(() => unit.inputValue()).toBe('hộp');
    await dialog.getByRole('textbox', { name: 'Đơn giá (đ)' }).fill('32000');
    await expectTranslated(page);
    await shot(page, 'new-product');
    await dialog.getByRole('button', { name: 'Tạo sản phẩm' }).click();
    await page.getByText('Đã tạo sản phẩm Sữa tươi Ba Vì 1 lít.').waitFor();
    // The new record's page.
    await page.getByRole('heading', { level: 1, name: 'Sữa tươi Ba Vì 1 lít' }).waitFor();
    await page.getByText('SUA-BV-1L').first().waitFor();
    await page.getByText('32.000').first().waitFor();
    await expectTranslated(page);
    await shot(page, 'product-page');
    // And a row of the catalogue.
    await page.getByRole('link', { name: 'Sản phẩm', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Sản phẩm' }).waitFor();
    await page.getByRole('link', { name: 'Sữa tươi Ba Vì 1 lít', exact: true }).waitFor();
    await shot(page, 'products');
  });

  it('is usable on a phone-sized screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    await phone.goto('/contacts');
    await phone.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await phone.getByRole('link', { name: contactName }).first().waitFor();
    const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(375);
    await shot(phone, 'contacts-mobile');
    await phone.close();
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
