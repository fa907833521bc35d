/**
 * Deals and pipelines (#19) in a real browser against the real, built server: a manager edits
 * the default pipeline's stages in Settings → Quy trình bán hàng and adds a second pipeline,
 * creates a company and a deal through the generic record form (the stage picker offers only
 * the chosen pipeline's stages), works the board (columns with counts and totals; one drag,
 * one keyboard move, one move on a 375 px phone), moves a deal along its path and marks it won,
 * marks another lost with a reason, finds them in the table while the board shows only open
 * deals, and removes a stage that holds a deal (the dialog asks where it goes). One screenshot
 * per step in test-output/e2e/deals/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'deals' });
const { newContext, shot, pageErrors } = e2e;

const company = 'Công ty TNHH Mỹ phẩm Thu Hà';
const deal = 'Thu Hà – 500 bộ chăm sóc da';
const phoneDeal = 'Thu Hà – quà Tết khách sỉ';
const lostDeal = 'Spa Hồng Nhung – máy xông hơi';
const stages = [
  'Tiếp cận khách hàng',
  'Tìm hiểu nhu cầu',
  'Gửi báo giá',
  'Dùng thử',
  'Đàm phán',
  'Chốt hợp đồng',
];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A labelled input, its label read with or without the required mark. */
const labelled = (scope: Page | Locator, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`)).first();

/** Pick an option of a searchable select by typing part of it (see leads.e2e.test.ts). */
async function pick(
  scope: Page | Locator,
  label: string,
  typed: string,
  option: string,
): Promise<void> {
  const input = labelled(scope, label);
  await input.click();
  // A short list is not searchable: its option is clicked without typing.
  if ((await input.getAttribute('readonly')) === null) await input.fill(typed);
  const listbox = await input.getAttribute('aria-controls');
  const page = input.page();
  const choice = listbox
    ? page.locator(`[id="${listbox}"]`).getByRole('option', { name: option, exact: true })
    : page.getByRole('option', { name: option, exact: true });
  await choice.click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

/** The options a select offers (opened, read, closed). */
async function optionsOf(page: Page, input: Locator): Promise<string[]> {
  await input.click();
  const listbox = await input.getAttribute('aria-controls');
  const options = page.locator(`[id="${listbox}"]`).getByRole('option');
  await options.first().waitFor();
  const names = await options.allInnerTexts();
  await input.press('Escape');
  return names.map((n) => n.trim());
}

/** No raw id anywhere a person reads (main content, dialogs). */
async function expectNoIds(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(UUID)?.[0] ?? null).toBeNull();
}

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

describe(
  'deals: pipelines in Settings, a deal through the board and its path, won and lost',
  { timeout: 300_000 },
  () => {
    let admin: BrowserContext;
    let manager: BrowserContext;
    let page: Page;
    let csrf = '';
    let dealPath = '';

    async function api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const res = await manager.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': csrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    }

    // A failed step leaves its screen behind, to see why.
    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail' && page)
        await shot(page, `failed-${task.name.slice(0, 40)}`);
    });

    /** A context signed in as the manager (a phone-sized one for the last steps). */
    async function managerContext(viewport?: { width: number; height: number }) {
      const context = await newContext(viewport);
      const signIn = await context.request.post('/api/v1/auth/sign-in', {
        data: { email: colleague.email, password: colleague.password },
      });
      expect(signIn.ok()).toBe(true);
      return { context, csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    }

    it('a manager renames a stage and adds one in Settings → Quy trình bán hàng', async () => {
      admin = await newContext();
      const setup = await e2e.setUpWorkspace(admin);
      const adminApi = async (method: string, path: string, data?: unknown) => {
        const res = await admin.request.fetch(`/api/v1${path}`, {
          method,
          headers: method === 'GET' ? {} : { 'x-csrf-token': setup.csrfToken },
          ...(data !== undefined ? { data } : {}),
        });
        expect(res.ok(), await res.text()).toBe(true);
        return res.json();
      };
      const roles = await adminApi('GET', '/roles');
      const role = roles.items.find((r: { key: string | null }) => r.key === 'manager');
      const invitation = await adminApi('POST', '/invitations', {
        email: colleague.email,
        roleId: role.id,
      });
      const token = String(invitation.url).split('/invite/')[1];
      const accepted = await fetch(`${e2e.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, name: colleague.name, password: colleague.password }),
      });
      expect(accepted.status).toBe(200);

      ({ context: manager, csrf } = await managerContext());
      page = await manager.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/settings/profile');
      await page.getByRole('link', { name: 'Quy trình bán hàng' }).click();
      await page.getByRole('heading', { level: 1, name: 'Quy trình bán hàng' }).waitFor();
      const table = page.getByRole('table');
      await table.getByText('Bán hàng', { exact: true }).waitFor();
      await table.getByText(/^Tiếp cận 10\s% → Tìm hiểu nhu cầu 25\s%/).waitFor();
      await shot(page, 'pipelines');

      await page.getByRole('button', { name: 'Giai đoạn của quy trình Bán hàng' }).click();
      const dialog = page.getByRole('dialog', { name: 'Giai đoạn của quy trình Bán hàng' });
      await dialog.getByRole('textbox', { name: 'Tên giai đoạn 1' }).fill(stages[0]!);
      await dialog.getByRole('button', { name: 'Thêm giai đoạn' }).click();
      await dialog.getByRole('textbox', { name: 'Tên giai đoạn 6' }).fill('Dùng thử');
      await dialog.getByRole('textbox', { name: 'Xác suất thắng của giai đoạn 6' }).fill('60');
      await dialog.getByRole('button', { name: 'Chuyển giai đoạn 6 lên' }).click();
      await dialog.getByRole('button', { name: 'Chuyển giai đoạn 5 lên' }).click();
      expect(await dialog.getByRole('textbox', { name: 'Tên giai đoạn 4' }).inputValue()).toBe(
        'Dùng thử',
      );
      // A name twice is refused before anything is sent.
      await dialog.getByRole('textbox', { name: 'Tên giai đoạn 2' }).fill('Gửi báo giá');
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await dialog.getByText('Hai giai đoạn không được trùng tên.').first().waitFor();
      await dialog.getByRole('textbox', { name: 'Tên giai đoạn 2' }).fill(stages[1]!);
      await shot(page, 'stages-edited');
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await page.getByText('Đã lưu các giai đoạn của quy trình Bán hàng.').waitFor();
      await expect.poll(() => dialog.count()).toBe(0);
      const summary = stages
        .map((name, i) => `${name} ${[10, 25, 50, 60, 75, 90][i]}\u00a0%`)
        .join(' → ');
      expect(await table.getByRole('row').nth(1).innerText()).toContain(summary);

      // A second pipeline, its first stages prefilled.
      await page.getByRole('button', { name: 'Thêm quy trình' }).click();
      const create = page.getByRole('dialog', { name: 'Thêm quy trình' });
      await create.getByRole('textbox', { name: 'Tên quy trình' }).fill('Đại lý');
      expect(await create.getByRole('textbox', { name: 'Tên giai đoạn 1' }).inputValue()).toBe(
        'Tiếp cận',
      );
      await create.getByRole('textbox', { name: 'Tên giai đoạn 1' }).fill('Ký hợp đồng đại lý');
      await shot(page, 'new-pipeline');
      await create.getByRole('button', { name: 'Tạo quy trình' }).click();
      await page.getByText('Đã tạo quy trình Đại lý.').waitFor();
      await table.getByText('Đại lý', { exact: true }).waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'pipelines-saved');

      const saved = await api('GET', '/pipelines');
      expect(saved.items.map((p: { name: string }) => p.name)).toEqual(['Bán hàng', 'Đại lý']);
      expect(saved.items[0].stages.map((s: { name: string }) => s.name)).toEqual(stages);
    });

    it('creates a company and a deal from the deals list', async () => {
      await page.getByRole('link', { name: 'Công ty', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Công ty' }).waitFor();
      await page.getByRole('button', { name: 'Thêm công ty' }).first().click();
      const companyDialog = page.getByRole('dialog', { name: 'Thêm công ty' });
      await companyDialog.getByRole('textbox', { name: 'Tên công ty' }).fill(company);
      await companyDialog.getByRole('button', { name: 'Tạo công ty' }).click();
      await page.getByRole('heading', { level: 1, name: company }).waitFor();

      await page.getByRole('link', { name: 'Cơ hội bán hàng', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Cơ hội bán hàng' }).waitFor();
      await page.getByRole('button', { name: 'Thêm cơ hội bán hàng' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Thêm cơ hội bán hàng' });
      await dialog.getByRole('textbox', { name: 'Tên cơ hội' }).fill(deal);
      await dialog.getByRole('textbox', { name: 'Giá trị (đ)' }).fill('120000000');
      // A new deal starts in the first pipeline, on its first stage.
      const pipeline = labelled(dialog, 'Quy trình bán hàng');
      const stage = labelled(dialog, 'Giai đoạn');
      await expect.poll(() => pipeline.inputValue()).toBe('Bán hàng');
      await expect.poll(() => stage.inputValue()).toBe(stages[0]);
      // The stage picker offers only the chosen pipeline's stages, and follows the pipeline.
      await pick(dialog, 'Quy trình bán hàng', 'dai ly', 'Đại lý');
      await expect.poll(() => stage.inputValue()).toBe('Ký hợp đồng đại lý');
      const dealerStages = await optionsOf(page, stage);
      expect(dealerStages[0]).toBe('Ký hợp đồng đại lý');
      expect(dealerStages).not.toContain('Dùng thử');
      await pick(dialog, 'Quy trình bán hàng', 'ban hang', 'Bán hàng');
      expect(await optionsOf(page, stage)).toEqual(stages);
      await pick(dialog, 'Giai đoạn', 'tiep can', stages[0]!);
      await pick(dialog, 'Công ty', 'thu ha', company);
      await expectTranslated(page);
      await shot(page, 'new-deal');
      await dialog.getByRole('button', { name: 'Tạo cơ hội bán hàng' }).click();
      await page.getByRole('heading', { level: 1, name: deal }).waitFor();
      dealPath = new URL(page.url()).pathname;
      expect(dealPath).toMatch(/^\/deals\/[\w-]+$/);
      await page.getByRole('link', { name: company }).first().waitFor();
      await expectNoIds(page);
      await shot(page, 'deal-page');

      // Two more deals for the phone and the lost steps, through the API.
      const pipelines = await api('GET', '/pipelines');
      const sales = pipelines.items[0];
      for (const [name, amount] of [
        [phoneDeal, 45_000_000],
        [lostDeal, 80_000_000],
      ] as const) {
        await api('POST', '/deals', {
          name,
          amount,
          pipelineId: sales.id,
          stageId: sales.stages[0].id,
        });
      }
    });

    it('works the board: stages as columns with totals, one drag, one keyboard move', async () => {
      await page.goto('/deals?view=kanban');
      const first = column(page, stages[0]!);
      await first.getByRole('link', { name: deal }).waitFor();
      const titles = await page
        .locator('section[data-column]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('aria-labelledby')));
      const names = await Promise.all(titles.map((id) => page.locator(`[id="${id}"]`).innerText()));
      expect(names).toEqual(stages);
      // 120 + 45 + 80 million in the first stage, 10 % of it weighted.
      await first.getByText('Tổng giá trị: 245.000.000 ₫').waitFor();
      await first.getByText('Theo xác suất: 24.500.000 ₫').waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'board');

      await first
        .locator('[data-record-id]')
        .filter({ hasText: deal })
        .dragTo(column(page, stages[1]!));
      const second = column(page, stages[1]!);
      await second.getByRole('link', { name: deal }).waitFor();
      await second.getByText('Tổng giá trị: 120.000.000 ₫').waitFor();
      await second.getByText('Theo xác suất: 30.000.000 ₫').waitFor();
      await page.reload();
      await second.getByRole('link', { name: deal }).waitFor();
      await shot(page, 'board-dragged');

      // The keyboard path: the card's "move to" menu.
      const menu = page.getByRole('button', { name: `Chuyển ${deal} sang cột khác` });
      await menu.focus();
      await menu.press('Enter');
      await page.getByRole('menuitem', { name: stages[2]!, exact: true }).press('Enter');
      const third = column(page, stages[2]!);
      await third.getByRole('link', { name: deal }).waitFor();
      await third.getByText('Theo xác suất: 60.000.000 ₫').waitFor();
      await shot(page, 'board-keyboard');
    });

    it('moves a card through the "move to" menu on a 375 px phone', async () => {
      const phone = await managerContext({ width: 375, height: 812 });
      const small = await phone.context.newPage();
      small.setDefaultTimeout(20_000);
      await small.goto('/deals?view=kanban');
      await column(small, stages[0]!).getByRole('link', { name: phoneDeal }).waitFor();
      await small.getByRole('button', { name: `Chuyển ${phoneDeal} sang cột khác` }).click();
      await small.getByRole('menuitem', { name: 'Dùng thử', exact: true }).click();
      await column(small, 'Dùng thử').getByRole('link', { name: phoneDeal }).waitFor();
      await column(small, stages[0]!).getByRole('link', { name: phoneDeal }).waitFor({
        state: 'detached',
      });
      await shot(small, 'phone-board');
      // The page itself does not scroll sideways: only the board does.
      const overflow = await small.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await expectTranslated(small);

      // The stages dialog takes the whole phone screen, its rows still usable.
      await small.goto('/settings/pipelines');
      await small.getByRole('button', { name: 'Giai đoạn của quy trình Bán hàng' }).click();
      const dialog = small.getByRole('dialog', { name: 'Giai đoạn của quy trình Bán hàng' });
      const name = dialog.getByRole('textbox', { name: 'Tên giai đoạn 1' });
      await name.waitFor();
      expect((await name.boundingBox())!.width).toBeGreaterThan(120);
      await shot(small, 'phone-stages');
      await phone.context.close();
    });

    it('moves the deal along its path and marks it won', async () => {
      await page.goto(dealPath);
      await page.getByRole('heading', { level: 1, name: deal }).waitFor();
      const path = page.getByRole('list', { name: 'Các giai đoạn' });
      expect(
        await path.getByRole('listitem').evaluateAll((els) => els.map((e) => e.textContent)),
      ).toEqual(stages);
      await path.getByRole('listitem').filter({ hasText: 'Đàm phán' }).click();
      await expect
        .poll(() =>
          path.getByRole('listitem').filter({ hasText: 'Đàm phán' }).getAttribute('aria-current'),
        )
        .toBe('step');
      await shot(page, 'deal-path');

      await page.getByRole('button', { name: 'Đánh dấu thắng' }).click();
      const won = page.getByRole('dialog', { name: 'Đánh dấu thắng' });
      await pick(won, 'Lý do thắng', 'gia tot', 'Giá tốt');
      await shot(page, 'won-modal');
      await won.getByRole('button', { name: 'Xác nhận thắng' }).click();
      await page.getByText('Chúc mừng! Cơ hội đã được đánh dấu thắng.').waitFor();
      const panel = page.getByRole('region', { name: 'Tiến trình' });
      await panel.getByText('Thắng', { exact: true }).waitFor();
      await panel.getByRole('button', { name: 'Mở lại' }).waitFor();
      // The timeline names the stages the deal went through, never their ids.
      const timeline = page.getByRole('list', { name: 'Dòng thời gian' });
      await timeline.getByText('Giai đoạn: Gửi báo giá → Đàm phán').waitFor();
      await timeline.getByText('Trạng thái: Đang mở → Thắng').waitFor();
      // Not the timestamps the system keeps.
      expect(await timeline.getByText(/^Hoạt động gần nhất/).count()).toBe(0);
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'deal-won');
    });

    it('marks another deal lost with a reason', async () => {
      await page.goto('/deals');
      await page.getByRole('link', { name: lostDeal, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: lostDeal }).waitFor();
      await page.getByRole('button', { name: 'Đánh dấu thua' }).click();
      const lost = page.getByRole('dialog', { name: 'Đánh dấu thua' });
      // Lost needs a reason.
      expect(await lost.getByRole('button', { name: 'Xác nhận thua' }).isDisabled()).toBe(true);
      await pick(lost, 'Lý do thua', 'doi thu', 'Chọn đối thủ');
      await lost.getByRole('button', { name: 'Xác nhận thua' }).click();
      await page.getByText('Cơ hội đã được đánh dấu thua.').waitFor();
      const panel = page.getByRole('region', { name: 'Tiến trình' });
      await panel.getByText('Thua', { exact: true }).waitFor();
      await expectNoIds(page);
      await shot(page, 'deal-lost');
    });

    it('the table shows won and lost deals with their stage and pipeline; the board only open ones', async () => {
      await page.goto('/deals');
      const table = page.getByRole('table');
      const row = (name: string) => table.getByRole('row').filter({ hasText: name });
      await row(deal).getByText('Thắng', { exact: true }).waitFor();
      await row(lostDeal).getByText('Thua', { exact: true }).waitFor();
      await row(phoneDeal).getByText('Đang mở', { exact: true }).waitFor();
      await row(deal).getByText('Đàm phán', { exact: true }).waitFor();
      await row(deal).getByText('Bán hàng', { exact: true }).waitFor();
      await row(phoneDeal).getByText('Dùng thử', { exact: true }).waitFor();
      await row(deal).getByRole('link', { name: company }).waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'table');

      await page.goto('/deals?view=kanban');
      await column(page, 'Dùng thử').getByRole('link', { name: phoneDeal }).waitFor();
      expect(await page.getByRole('link', { name: deal }).count()).toBe(0);
      expect(await page.getByRole('link', { name: lostDeal }).count()).toBe(0);
      await shot(page, 'board-open-only');
    });

    it('removing a stage that holds a deal asks where it goes', async () => {
      await page.goto('/settings/pipelines');
      await page.getByRole('button', { name: 'Giai đoạn của quy trình Bán hàng' }).click();
      const dialog = page.getByRole('dialog', { name: 'Giai đoạn của quy trình Bán hàng' });
      await dialog.getByText('1 cơ hội đang ở giai đoạn này').first().waitFor();
      await dialog.getByRole('button', { name: 'Xoá giai đoạn 4' }).click();
      await dialog.getByText('Dùng thử: còn 1 cơ hội').waitFor();
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await dialog
        .getByText('Giai đoạn này còn 1 cơ hội: hãy chọn giai đoạn sẽ nhận chúng.')
        .waitFor();
      await pick(dialog, 'Chuyển các cơ hội của "Dùng thử" sang', 'dam phan', 'Đàm phán');
      await expectNoIds(page);
      await shot(page, 'stage-removed');
      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await page.getByText('Đã lưu các giai đoạn của quy trình Bán hàng.').waitFor();

      await page.goto('/deals?view=kanban');
      await column(page, 'Đàm phán').getByRole('link', { name: phoneDeal }).waitFor();
      expect(await column(page, 'Dùng thử').count()).toBe(0);
      await shot(page, 'board-after-removal');
    });

    it('deleting a pipeline asks where its deals go; the last one cannot be deleted', async () => {
      await page.goto('/settings/pipelines');
      // Reordered: the board's pipeline picker follows.
      await page.getByRole('button', { name: 'Chuyển Đại lý lên' }).click();
      await expect
        .poll(async () =>
          (await api('GET', '/pipelines')).items.map((p: { name: string }) => p.name),
        )
        .toEqual(['Đại lý', 'Bán hàng']);
      await page.getByRole('button', { name: 'Xoá quy trình Đại lý' }).click();
      const dialog = page.getByRole('dialog', { name: 'Xoá quy trình Đại lý?' });
      await dialog.getByText('Quy trình này không có cơ hội nào đang dùng.').waitFor();
      expect(
        await dialog
          .getByRole('combobox', { name: /^Chuyển các cơ hội sang quy trình/ })
          .inputValue(),
      ).toBe('Bán hàng');
      await dialog.getByRole('button', { name: 'Xoá', exact: true }).click();
      await page.getByText('Đã xoá quy trình Đại lý.').waitFor();
      await page.getByRole('button', { name: 'Xoá quy trình Bán hàng' }).click();
      const last = page.getByRole('dialog', { name: 'Xoá quy trình Bán hàng?' });
      await last.getByText(/Đây là quy trình bán hàng duy nhất nên không thể xoá/).waitFor();
      await expectTranslated(page);
      await shot(page, 'last-pipeline');
      await last.getByRole('button', { name: 'Đóng', exact: true }).last().click();

      // The admin reads the changes in the audit log: the pipeline by its name, in words.
      const adminPage = await admin.newPage();
      adminPage.setDefaultTimeout(20_000);
      await adminPage.goto('/settings/audit-log');
      await adminPage.getByRole('heading', { level: 1, name: 'Nhật ký thay đổi' }).waitFor();
      const rows = adminPage.getByRole('row').filter({ hasText: 'Quy trình bán hàng' });
      await rows.filter({ hasText: 'Các giai đoạn' }).first().waitFor();
      await rows.filter({ hasText: 'Bán hàng' }).first().waitFor();
      await expectTranslated(adminPage);
      await expectNoIds(adminPage);
      await shot(adminPage, 'audit-log');
      expect(pageErrors).toEqual([]);
    });
  },
);
