/**
 * The customer-records screens that the records journey does not cover, in a real browser against
 * the real, built server: inline edit in the contacts table → the bulk bar (assign owner, add a
 * tag, change a field, delete to the trash) → Settings → Custom fields (a select field and a
 * unique text field, used in the contact form and the table, with the translated duplicate error)
 * → attachments on the record page (upload, timeline, download, delete). The workspace and the
 * contacts are seeded through the HTTP API; every feature under test is driven through the UI.
 * One screenshot per step in test-output/e2e/records-ui/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import fs from 'node:fs';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { admin, browserJourney, colleague } from '../support/e2e.js';

/** Seeded contacts: the first is edited inline, the next three go through the bulk bar. */
const khoa = 'Lê Minh Khoa';
const ha = 'Phạm Thu Hà';
const huy = 'Đỗ Quang Huy';
const lan = 'Vũ Ngọc Lan';
const bao = 'Hoàng Gia Bảo';
const seeded = [khoa, ha, huy, lan, bao];

const e2e = browserJourney({ shots: 'records-ui' });
const { newContext, shot, pageErrors } = e2e;

/** Opens a Mantine select (found as a combobox) and clicks one of its options. */
async function choose(page: Page, input: Locator, option: string): Promise<void> {
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

/** The table row of one record, found by the link on its name. */
function rowOf(page: Page, name: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

describe('customer records UI: inline edit, bulk bar, custom fields, attachments', () => {
  let context: BrowserContext;
  let page: Page;
  let csrf = '';
  let adminId = '';
  let memberId = '';
  const ids: Record<string, string> = {};

  /** The HTTP API with the browser's session cookie (and the CSRF token on writes). */
  async function api<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    const res = await context.request.fetch(`/api/v1${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
      ...(body !== undefined ? { data: body } : {}),
    });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  }
  const contact = (name: string) => api('GET', `/contacts/${ids[name]}`);

  it('seeds a workspace, a second user and five contacts through the API', async () => {
    context = await newContext();
    // First-time setup signs the browser context in (the session cookie lands in its jar).
    const setup = await e2e.setUpWorkspace(context);
    const session = setup;
    csrf = session.csrfToken;
    adminId = session.user.id;

    // A sales member to assign contacts to (invited, then accepted without a session).
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

    for (const fullName of seeded) {
      const created = await api('POST', '/contacts', { fullName, lifecycleStage: 'lead' });
      expect(created.displayName).toBe(fullName);
      expect(created.ownerId).toBe(adminId);
      ids[fullName] = created.id;
    }

    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/contacts');
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    for (const name of seeded) await rowOf(page, name).waitFor();
    await shot(page, 'contacts-seeded');
  });

  it('edits a select cell and a text cell in place, and the changes persist', async () => {
    // Every write the table sends: one PATCH per saved edit, none for a cancelled one.
    const patches: string[] = [];
    const onRequest = (r: Request) => {
      if (r.method() === 'PATCH') patches.push(`${new URL(r.url()).pathname} ${r.postData()}`);
    };
    page.on('request', onRequest);
    // Lifecycle stage (a default column): the pencil opens a select with its list open.
    await page.getByRole('button', { name: `Sửa Giai đoạn của ${khoa}` }).click();
    await page.getByRole('combobox', { name: `Sửa Giai đoạn của ${khoa}` }).waitFor();
    await shot(page, 'inline-select-open');
    await page.getByRole('option', { name: 'Khách hàng', exact: true }).click();
    await rowOf(page, khoa).getByText('Khách hàng', { exact: true }).waitFor();
    await expect.poll(async () => (await contact(khoa)).lifecycleStage).toBe('customer');
    // Only that contact changed.
    expect((await contact(bao)).lifecycleStage).toBe('lead');

    // Source is not a default column: show it with the column chooser.
    await page.getByRole('button', { name: 'Cột', exact: true }).click();
    await page.getByRole('checkbox', { name: 'Nguồn', exact: true }).check();
    await page.keyboard.press('Escape');
    const editSource = `Sửa Nguồn của ${khoa}`;
    await page.getByRole('button', { name: editSource }).click();
    const sourceInput = page.getByRole('textbox', { name: editSource });
    await sourceInput.fill('Hội chợ Vietbuild 2025');
    await shot(page, 'inline-text-editing');
    await sourceInput.press('Enter');
    await expect.poll(() => sourceInput.count()).toBe(0);
    await rowOf(page, khoa).getByText('Hội chợ Vietbuild 2025', { exact: true }).waitFor();
    await expect.poll(async () => (await contact(khoa)).source).toBe('Hội chợ Vietbuild 2025');

    // Escape drops a draft: nothing is saved.
    await page.getByRole('button', { name: editSource }).click();
    await sourceInput.fill('Không được lưu');
    await sourceInput.press('Escape');
    await expect.poll(() => sourceInput.count()).toBe(0);
    await rowOf(page, khoa).getByText('Hội chợ Vietbuild 2025', { exact: true }).waitFor();

    // After a reload (the server's data; the chosen columns are kept) both edits are there.
    await page.reload();
    const row = rowOf(page, khoa);
    await row.getByText('Khách hàng', { exact: true }).waitFor();
    await row.getByText('Hội chợ Vietbuild 2025', { exact: true }).waitFor();
    expect(await row.getByText('Không được lưu').count()).toBe(0);
    expect((await contact(khoa)).source).toBe('Hội chợ Vietbuild 2025');
    page.off('request', onRequest);
    expect(patches).toEqual([
      `/api/v1/contacts/${ids[khoa]} {"lifecycleStage":"customer"}`,
      `/api/v1/contacts/${ids[khoa]} {"source":"Hội chợ Vietbuild 2025"}`,
    ]);
    await shot(page, 'inline-edits-saved');
  });

  it('assigns an owner, adds a tag and changes a field for the selected contacts', async () => {
    const bar = page.getByRole('region', { name: 'Thao tác hàng loạt' });
    const select = async (names: string[]) => {
      for (const name of names) await page.getByRole('checkbox', { name: `Chọn ${name}` }).check();
      await bar.getByText(`Đã chọn ${names.length}`, { exact: true }).waitFor();
    };
    const apply = async (dialogName: string) => {
      const dialog = page.getByRole('dialog', { name: dialogName });
      await dialog.getByRole('button', { name: 'Áp dụng' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      // The selection is cleared once the action is done.
      await expect.poll(() => bar.count()).toBe(0);
    };

    // Assign owner.
    await select([ha, huy, lan]);
    await shot(page, 'bulk-selected');
    await bar.getByRole('button', { name: 'Giao người phụ trách' }).click();
    const ownerDialog = page.getByRole('dialog', { name: 'Giao người phụ trách' });
    await ownerDialog.getByText('Áp dụng cho 3 bản ghi đã chọn.').waitFor();
    await choose(
      page,
      ownerDialog.getByRole('combobox', { name: 'Người phụ trách' }),
      colleague.name,
    );
    await shot(page, 'bulk-owner');
    await apply('Giao người phụ trách');
    await page.getByText('Đã cập nhật 3 bản ghi.').first().waitFor();
    for (const name of [ha, huy, lan]) {
      await rowOf(page, name).getByText(colleague.name, { exact: true }).waitFor();
      expect((await contact(name)).ownerId).toBe(memberId);
    }
    expect((await contact(bao)).ownerId).toBe(adminId);
    expect((await contact(khoa)).ownerId).toBe(adminId);

    // Add a tag.
    await select([ha, huy, lan]);
    await bar.getByRole('button', { name: 'Gắn nhãn' }).click();
    const tagDialog = page.getByRole('dialog', { name: 'Gắn nhãn' });
    await tagDialog.getByRole('textbox', { name: 'Nhãn', exact: true }).fill('hoi-cho-2025');
    await apply('Gắn nhãn');
    for (const name of [ha, huy, lan]) {
      await rowOf(page, name).getByText('hoi-cho-2025', { exact: true }).waitFor();
      expect((await contact(name)).tags).toEqual(['hoi-cho-2025']);
    }
    expect((await contact(bao)).tags).toEqual([]);

    // Change a field (lifecycle stage) on two of them.
    await select([ha, huy]);
    await bar.getByRole('button', { name: 'Đổi trường' }).click();
    const fieldDialog = page.getByRole('dialog', { name: 'Đổi trường' });
    await choose(page, fieldDialog.getByRole('combobox', { name: 'Trường' }), 'Giai đoạn');
    await choose(page, fieldDialog.getByRole('combobox', { name: 'Giá trị' }), 'Đã báo giá');
    await shot(page, 'bulk-set-field');
    await apply('Đổi trường');
    await page.getByText('Đã cập nhật 2 bản ghi.').waitFor();
    for (const name of [ha, huy]) {
      await rowOf(page, name).getByText('Đã báo giá', { exact: true }).waitFor();
      expect((await contact(name)).lifecycleStage).toBe('opportunity');
    }
    expect((await contact(lan)).lifecycleStage).toBe('lead');
    await shot(page, 'bulk-applied');
  });

  it('deletes the selected contacts to the trash', async () => {
    const bar = page.getByRole('region', { name: 'Thao tác hàng loạt' });
    for (const name of [ha, lan])
      await page.getByRole('checkbox', { name: `Chọn ${name}` }).check();
    await bar.getByText('Đã chọn 2', { exact: true }).waitFor();
    await bar.getByRole('button', { name: 'Xoá', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Xoá các bản ghi đã chọn' });
    await dialog.getByText('Chuyển 2 bản ghi vào thùng rác?', { exact: false }).waitFor();
    await shot(page, 'bulk-delete-confirm');
    await dialog.getByRole('button', { name: 'Xoá', exact: true }).click();
    await page.getByText('Đã chuyển 2 bản ghi vào thùng rác.').waitFor();
    await expect.poll(() => rowOf(page, ha).count()).toBe(0);
    await expect.poll(() => rowOf(page, lan).count()).toBe(0);
    await rowOf(page, huy).waitFor();

    const trashed = await api('GET', '/contacts?trash=true');
    expect(trashed.items.map((c: { displayName: string }) => c.displayName).sort()).toEqual(
      [ha, lan].sort(),
    );

    await page.getByRole('link', { name: 'Thùng rác' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thùng rác' }).waitFor();
    await page.getByRole('cell', { name: ha, exact: true }).waitFor();
    await page.getByRole('cell', { name: lan, exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: huy, exact: true }).count()).toBe(0);
    await shot(page, 'bulk-trash');
  });

  it('lets an admin add a select field and a unique text field', async () => {
    await page.goto('/settings/custom-fields');
    await page.getByRole('heading', { level: 1, name: 'Trường tuỳ chỉnh' }).waitFor();
    await page.getByText('0 trường', { exact: true }).waitFor();

    // A select field with three choices; the key is derived from the label.
    await page.getByRole('button', { name: 'Thêm trường' }).click();
    let dialog = page.getByRole('dialog', { name: 'Thêm trường' });
    await dialog.getByRole('textbox', { name: 'Tên hiển thị' }).fill('Hạng thành viên');
    await expect
      .poll(() => dialog.getByRole('textbox', { name: 'Mã trường' }).inputValue())
      .toBe('hang_thanh_vien');
    await choose(page, dialog.getByRole('combobox', { name: 'Kiểu dữ liệu' }), 'Một lựa chọn');
    const choices = ['Vàng', 'Bạc', 'Đồng'];
    for (const [i, label] of choices.entries()) {
      await dialog.getByRole('button', { name: 'Thêm lựa chọn' }).click();
      await dialog.getByRole('textbox', { name: `Lựa chọn ${i + 1}` }).fill(label);
    }
    await shot(page, 'custom-field-select');
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('cell', { name: 'hang_thanh_vien', exact: true }).waitFor();

    // A unique text field.
    await page.getByRole('button', { name: 'Thêm trường' }).click();
    dialog = page.getByRole('dialog', { name: 'Thêm trường' });
    await dialog.getByRole('textbox', { name: 'Tên hiển thị' }).fill('Mã khách hàng');
    await expect
      .poll(() => dialog.getByRole('textbox', { name: 'Mã trường' }).inputValue())
      .toBe('ma_khach_hang');
    await dialog.getByRole('checkbox', { name: 'Không trùng lặp' }).check();
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const uniqueRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'ma_khach_hang', exact: true }) });
    await uniqueRow.getByText('Không trùng lặp', { exact: true }).waitFor();
    await page.getByText('2 trường', { exact: true }).waitFor();
    await shot(page, 'custom-fields-list');

    const defs = await api('GET', '/custom-fields?object=contacts');
    const byKey = Object.fromEntries(defs.items.map((f: { key: string }) => [f.key, f]));
    expect(byKey.hang_thanh_vien).toMatchObject({ type: 'select', unique: false });
    expect(byKey.hang_thanh_vien.options.choices).toEqual([
      expect.objectContaining({ key: 'vang', label: 'Vàng' }),
      expect.objectContaining({ key: 'bac', label: 'Bạc' }),
      expect.objectContaining({ key: 'dong', label: 'Đồng' }),
    ]);
    expect(byKey.ma_khach_hang).toMatchObject({ type: 'text', unique: true });
  });

  it('saves custom values from the contact form and shows them on the page and in the table', async () => {
    await page.goto(`/contacts/${ids[khoa]}`);
    await page.getByRole('heading', { level: 1, name: khoa }).waitFor();
    await page.getByRole('button', { name: 'Sửa', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sửa liên hệ' });
    // "More fields" is open: Khoa has values there (a stage and a source, edited in the table).
    await dialog.getByRole('button', { name: 'Ẩn bớt các trường' }).waitFor();
    await dialog.getByRole('heading', { name: 'Trường tuỳ chỉnh' }).waitFor();
    await choose(page, dialog.getByRole('combobox', { name: 'Hạng thành viên' }), 'Vàng');
    await dialog.getByRole('textbox', { name: 'Mã khách hàng' }).fill('KH-0001');
    await shot(page, 'custom-values-form');
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const details = page.getByRole('region', { name: 'Thông tin' });
    const valueOf = (label: string) =>
      details
        .getByRole('term')
        .filter({ hasText: label })
        .locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => valueOf('Hạng thành viên').textContent()).toBe('Vàng');
    await expect.poll(() => valueOf('Mã khách hàng').textContent()).toBe('KH-0001');
    expect((await contact(khoa)).custom).toEqual({
      hang_thanh_vien: 'vang',
      ma_khach_hang: 'KH-0001',
    });
    await shot(page, 'custom-values-saved');

    // The select field is a column of the table, and can be edited in place there too.
    await page.getByRole('link', { name: 'Liên hệ', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Liên hệ' }).waitFor();
    await page.getByRole('button', { name: 'Cột', exact: true }).click();
    await page.getByRole('checkbox', { name: 'Hạng thành viên', exact: true }).check();
    await page.keyboard.press('Escape');
    await rowOf(page, khoa).getByText('Vàng', { exact: true }).waitFor();
    await page.getByRole('button', { name: `Sửa Hạng thành viên của ${khoa}` }).click();
    await page.getByRole('option', { name: 'Bạc', exact: true }).click();
    await rowOf(page, khoa).getByText('Bạc', { exact: true }).waitFor();
    // Only that value changed: the other custom value is kept.
    await expect
      .poll(async () => (await contact(khoa)).custom)
      .toEqual({ hang_thanh_vien: 'bac', ma_khach_hang: 'KH-0001' });
    await shot(page, 'custom-column');
  });

  it('refuses a duplicate in the unique field with a translated field error', async () => {
    await page.goto(`/contacts/${ids[bao]}`);
    await page.getByRole('heading', { level: 1, name: bao }).waitFor();
    await page.getByRole('button', { name: 'Sửa', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sửa liên hệ' });
    // Bảo has nothing behind "more fields" yet: it starts closed.
    await dialog.getByRole('button', { name: 'Hiện thêm các trường' }).click();
    const code = dialog.getByRole('textbox', { name: 'Mã khách hàng' });
    await code.fill('KH-0001');
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();

    // The server's Vietnamese message, under the field itself.
    const message = 'Giá trị này đã được dùng cho một bản ghi khác.';
    await dialog.getByText(message, { exact: true }).waitFor();
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await code.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    const descriptions = await Promise.all(
      describedBy.split(/\s+/).map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions).toContain(message);
    expect(await dialog.count()).toBe(1);
    expect((await contact(bao)).custom).toEqual({});
    await shot(page, 'custom-unique-error');

    // A free value is accepted and the error goes away.
    await code.fill('KH-0002');
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await contact(bao)).custom).toEqual({ ma_khach_hang: 'KH-0002' });
  });

  it('uploads, downloads and deletes an attachment on the record page', async () => {
    const fileName = 'Báo giá tháng 11.txt';
    const content = 'Báo giá sữa hộp tháng 11: 120 thùng × 350.000 ₫\n';
    await page.goto(`/contacts/${ids[bao]}`);
    await page.getByRole('heading', { level: 1, name: bao }).waitFor();
    const timeline = page.getByRole('list', { name: 'Dòng thời gian' });

    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Đính kèm tệp' }).click(),
    ]);
    await chooser.setFiles({
      name: fileName,
      mimeType: 'text/plain',
      buffer: Buffer.from(content, 'utf8'),
    });
    await page.getByText(`Đã tải lên ${fileName}.`).waitFor();
    const link = timeline.getByRole('link', { name: fileName, exact: true });
    await link.waitFor();
    await timeline.getByText(`${admin.name} đã đính kèm tệp`, { exact: false }).waitFor();
    await shot(page, 'attachment-uploaded');

    // The link points at the attachment's download route; the API's timeline agrees.
    const href = (await link.getAttribute('href')) ?? '';
    const match = /^\/api\/v1\/attachments\/([\w-]+)\/download$/.exec(href);
    expect(match, href).not.toBeNull();
    const events = await api('GET', `/contacts/${ids[bao]}/timeline?types=attachment`);
    expect(events.items).toHaveLength(1);
    expect(events.items[0].data).toMatchObject({ attachmentId: match?.[1], fileName });

    // The browser downloads the same bytes under the same name.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe(content);

    // The "files" filter of the timeline shows only the attachment.
    // (Mantine's chip hides its checkbox: the label is what is clicked.)
    const filesChip = page.getByRole('checkbox', { name: 'Tệp', exact: true });
    const filters = page.getByRole('group', { name: 'Lọc theo loại' });
    expect(await timeline.getByRole('listitem').count()).toBeGreaterThan(1);
    await filters.getByText('Tệp', { exact: true }).click();
    await expect.poll(() => filesChip.isChecked()).toBe(true);
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(1);
    await link.waitFor();
    await shot(page, 'attachment-filter');
    await filters.getByText('Tệp', { exact: true }).click();
    await expect.poll(() => filesChip.isChecked()).toBe(false);

    await page.getByRole('button', { name: `Xoá tệp ${fileName}` }).click();
    await expect.poll(() => link.count()).toBe(0);
    const after = await api('GET', `/contacts/${ids[bao]}/timeline?types=attachment`);
    expect(after.items).toHaveLength(0);
    const gone = await context.request.get(href);
    expect(gone.status()).toBe(404);
    await shot(page, 'attachment-deleted');

    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
