/**
 * Option lists in a real browser against the real, built server: an admin renames and recolours
 * a lifecycle stage in Settings → Option lists and the contacts kanban shows the new name on its
 * column (the board comes from one request in the workspace's order); a stage records hold
 * cannot be removed. The workspace and the contacts are seeded through the HTTP API. One
 * screenshot per step in test-output/e2e/option-lists/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from '../support/e2e.js';

const e2e = browserJourney({ shots: 'option-lists' });
const { newContext, shot, pageErrors } = e2e;

describe('option lists: a renamed lifecycle stage names its kanban column', () => {
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

  it('seeds a workspace and contacts in two stages through the API', async () => {
    context = await newContext();
    const setup = await e2e.setUpWorkspace(context);
    csrf = setup.csrfToken;
    await api('POST', '/contacts', { fullName: 'Lê Minh Khoa', lifecycleStage: 'lead' });
    await api('POST', '/contacts', { fullName: 'Phạm Thu Hà', lifecycleStage: 'customer' });
    page = await context.newPage();
  });

  it('renames and recolours "Khách tiềm năng" in Settings → Option lists', async () => {
    await page.goto('/settings/option-lists');
    await page.getByRole('heading', { level: 1, name: 'Danh sách lựa chọn' }).waitFor();
    const list = page.getByRole('table', { name: 'Giai đoạn' });
    const name = list.getByRole('textbox', { name: 'Tên tiếng Việt của Khách tiềm năng' });
    await expect.poll(() => name.inputValue()).toBe('Khách tiềm năng');
    await shot(page, 'defaults');

    // A stage a contact holds cannot be removed: its button is off and says why.
    const removeCustomer = list.getByRole('button', { name: 'Xoá Khách hàng', exact: true });
    expect(await removeCustomer.isDisabled()).toBe(true);

    await name.fill('Khách mới');
    await list.getByRole('textbox', { name: 'Tên tiếng Anh của Khách mới' }).fill('New lead');
    const colour = list.getByRole('textbox', { name: 'Màu của Khách mới' });
    await colour.fill('#fa5252');
    await colour.press('Enter');
    // Move it below "Đang chăm sóc" with the keyboard-friendly button.
    await list.getByRole('button', { name: 'Chuyển Khách mới xuống' }).click();
    await shot(page, 'edited');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.getByText('Đã lưu danh sách Giai đoạn.').waitFor();

    const saved = await api('GET', '/field-options/contacts/lifecycleStage');
    expect(saved.options[1]).toMatchObject({
      key: 'lead',
      label: { vi: 'Khách mới', en: 'New lead' },
      color: '#fa5252',
    });
  });

  it('shows the new name on the kanban column, in the new order', async () => {
    await page.goto('/contacts?view=kanban');
    const column = (title: string) => page.getByRole('region', { name: title, exact: true });
    await column('Khách mới').getByRole('link', { name: 'Lê Minh Khoa' }).waitFor();
    await column('Khách hàng').getByRole('link', { name: 'Phạm Thu Hà' }).waitFor();
    expect(await column('Khách tiềm năng').count()).toBe(0);
    const order = await page
      .locator('[data-column]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-column')));
    expect(order.slice(0, 2)).toEqual(['sales_qualified', 'lead']);
    await shot(page, 'kanban-renamed');

    // The table's badge follows too.
    await page.goto('/contacts');
    await page.getByText('Khách mới', { exact: true }).first().waitFor();
    expect(pageErrors).toEqual([]);
  });
});
