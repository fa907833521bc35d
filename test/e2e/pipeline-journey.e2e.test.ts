/**
 * The sales pipeline end to end (#19, "End-to-end journey") in a real browser against the real,
 * built server. Set up through the API: a workspace, a sales rep with a password, scoring rules
 * (source Facebook +20, the form submitted +10, the Tết campaign +15), an assignment rule
 * sending Facebook leads to the rep, and a lead capture form for a Facebook ad. Then, in the
 * browser: a visitor opens the hosted form with UTM parameters and submits it; the rep signs in,
 * is told by the bell and opens the lead (UTM, score, grade and reasons, owner); converts it into
 * a contact, company and deal; drags the deal to the next stage on the board, then moves it once
 * more through the card's menu on a 375 px phone; marks it won on its page; and reads the won
 * amount and the charts on "Báo cáo bán hàng". One screenshot per step in
 * test-output/e2e/pipeline-journey/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'pipeline-journey' });
const { newContext, shot, fill, pageErrors } = e2e;

const formName = 'Nhận báo giá sỉ mỹ phẩm – quảng cáo Facebook';
const visitor = 'Lương Thị Kim Oanh';
const visitorCompany = 'Công ty TNHH Mỹ phẩm Kim Oanh';
const amount = 86_500_000;
const amountText = '86.500.000';
const stages = ['Tiếp cận', 'Tìm hiểu nhu cầu', 'Gửi báo giá', 'Đàm phán', 'Chốt hợp đồng'];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A labelled input, its label read with or without the required mark. */
const labelled = (scope: Page | Locator, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`)).first();

/** Pick an option of a select (typed into when it is searchable), as deals.e2e does. */
async function pick(
  scope: Page | Locator,
  label: string,
  typed: string,
  option: string,
): Promise<void> {
  const input = labelled(scope, label);
  await input.click();
  if ((await input.getAttribute('readonly')) === null) await input.fill(typed);
  const listbox = await input.getAttribute('aria-controls');
  const page = input.page();
  const choice = listbox
    ? page.locator(`[id="${listbox}"]`).getByRole('option', { name: option, exact: true })
    : page.getByRole('option', { name: option, exact: true });
  await choice.click();
  await expect.poll(() => input.inputValue()).toBe(option);
}

/** No raw id anywhere a person reads. */
async function expectNoIds(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(UUID)?.[0] ?? null).toBeNull();
}

/** The page itself does not scroll sideways (only a board may). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
}

/** Tables wider than the nearest box that clips them (their first header cell, to name them). */
async function clippedTables(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('main table')]
    .filter((table) => {
      let box = table.parentElement;
      while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      return box !== null && table.getBoundingClientRect().width > box.clientWidth + 1;
    })
    .map((table) => table.querySelector('th')?.textContent ?? '?')`);
}

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

describe(
  'the pipeline: hosted form → scored and assigned lead → converted → board → won → report',
  { timeout: 360_000 },
  () => {
    let admin: BrowserContext;
    let rep: BrowserContext;
    let page: Page;
    let adminCsrf = '';
    let repId = '';
    let hostedUrl = '';
    let leadPath = '';
    let dealPath = '';
    let dealName = '';

    async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await admin.request.fetch(`/api/v1${path}`, {
        method,
        headers: method === 'GET' ? {} : { 'x-csrf-token': adminCsrf },
        ...(body !== undefined ? { data: body } : {}),
      });
      if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    }

    // A failed step leaves its screen behind, to see why.
    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail' && page && !page.isClosed()) {
        await shot(page, `failed-${task.name.slice(0, 40)}`);
      }
    });

    it('set-up: a rep, scoring and assignment rules, a form for a Facebook ad', async () => {
      admin = await newContext();
      const setup = await e2e.setUpWorkspace(admin);
      adminCsrf = setup.csrfToken;

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
      repId = ((await accepted.json()) as { user: { id: string } }).user.id;

      await api('POST', '/settings/scoring/leads/rules', {
        kind: 'field',
        condition: { and: [{ field: 'source', op: 'is', value: 'facebook' }] },
        points: 20,
      });
      await api('POST', '/settings/scoring/leads/rules', {
        kind: 'event',
        eventKey: 'form_submitted',
        points: 10,
      });
      await api('POST', '/settings/scoring/leads/rules', {
        kind: 'field',
        condition: { and: [{ field: 'utmCampaign', op: 'is', value: 'tet2027' }] },
        points: 15,
      });
      await api('POST', '/settings/assignment/leads/rules', {
        name: 'Khách Facebook',
        condition: { and: [{ field: 'source', op: 'is', value: 'facebook' }] },
        targetType: 'user',
        userId: repId,
      });
      const label = (vi: string, en: string) => ({ vi, en });
      const form = await api('POST', '/lead-forms', {
        name: formName,
        fields: [
          { key: 'fullName', label: label('Họ và tên', 'Full name'), required: true },
          { key: 'phone', label: label('Số điện thoại', 'Phone'), required: true },
          { key: 'email', label: label('Email', 'Email') },
          { key: 'companyName', label: label('Công ty', 'Company') },
        ],
        source: 'facebook',
        campaign: 'Tết 2027',
      });
      hostedUrl = form.hostedUrl;
      expect(hostedUrl).toMatch(/\/f\/[A-Za-z0-9_-]+$/);
    });

    it('1. a visitor opens the hosted form from the ad (UTM in the URL) and submits it', async () => {
      const visitorContext = await newContext();
      page = await visitorContext.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${hostedUrl}?utm_source=facebook&utm_medium=cpc&utm_campaign=tet2027`);
      await page.getByRole('heading', { level: 1, name: formName }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      await page.getByLabel('Họ và tên').fill(visitor);
      await page.getByLabel('Số điện thoại').fill('0912 345 678');
      await page.getByLabel('Email').fill('kimoanh@example.vn');
      await page.getByLabel('Công ty').fill(visitorCompany);
      await expectTranslated(page);
      await shot(page, 'hosted-form');
      await page.getByRole('button', { name: 'Gửi thông tin' }).click();
      await page.getByText('Cảm ơn bạn! Chúng tôi đã nhận được thông tin').waitFor();
      await expectTranslated(page);
      await shot(page, 'thank-you');
      await visitorContext.close();
    });

    it('2. the rep signs in, the bell tells them, and the lead shows UTM, score and owner', async () => {
      rep = await newContext();
      page = await rep.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/sign-in');
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      await fill(page, 'Email', colleague.email);
      await fill(page, 'Mật khẩu', colleague.password);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      const bell = page.getByRole('button', { name: 'Thông báo: 1 chưa đọc' });
      await bell.waitFor();
      await bell.click();
      const item = page.getByRole('button', {
        name: `Bạn được giao khách hàng tiềm năng ${visitor} (quy tắc "Khách Facebook")`,
      });
      await item.waitFor();
      await expectTranslated(page);
      await shot(page, 'bell');
      await item.click();

      await page.getByRole('heading', { level: 1, name: visitor }).waitFor();
      leadPath = new URL(page.url()).pathname;
      expect(leadPath).toMatch(/^\/leads\/[\w-]+$/);
      // Score 20 + 10 + 15 = 45: grade B (30–49), each reason with its points.
      const score = page.getByRole('region', { name: 'Điểm tiềm năng' });
      await score.getByText('Hạng B').waitFor();
      await score.getByText('45', { exact: true }).first().waitFor();
      await score.getByText('Nguồn: Facebook').waitFor();
      await score.getByText('Gửi biểu mẫu').waitFor();
      await score.getByText('UTM chiến dịch: tet2027').waitFor();
      for (const points of ['+20', '+10', '+15']) {
        await score.getByText(points, { exact: true }).waitFor();
      }
      // The owner is the rep, placed by the rule; the UTM parameters of the ad are kept.
      const main = page.getByRole('main');
      await main.getByText(colleague.name).first().waitFor();
      for (const [labelText, value] of [
        ['UTM nguồn', 'facebook'],
        ['UTM kênh', 'cpc'],
        ['UTM chiến dịch', 'tet2027'],
        ['Chiến dịch', 'Tết 2027'],
      ] as const) {
        await expect.poll(() => fieldValue(main, labelText)).toBe(value);
      }
      await main.getByText(visitorCompany).first().waitFor();
      // The timeline names the form the answers came through, with the campaign's UTM.
      const timeline = page.getByRole('list', { name: 'Dòng thời gian' });
      await timeline.getByText(`Gửi biểu mẫu “${formName}”`).waitFor();
      await timeline.getByText('UTM chiến dịch: tet2027').waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'lead');
    });

    it('3. the rep converts the lead into a contact, company and deal and lands on the deal', async () => {
      await page.getByRole('button', { name: 'Chuyển đổi', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Chuyển đổi ${visitor}` });
      await expect
        .poll(() => dialog.getByRole('radio', { name: `Tạo liên hệ mới: ${visitor}` }).isChecked())
        .toBe(true);
      await expect
        .poll(() => dialog.getByRole('textbox', { name: 'Tên công ty' }).inputValue())
        .toBe(visitorCompany);
      dealName = await dialog.getByRole('textbox', { name: 'Tên cơ hội' }).inputValue();
      expect(dealName.startsWith(`${visitorCompany} – `)).toBe(true);
      await dialog.getByRole('textbox', { name: 'Giá trị' }).fill(String(amount));
      await dialog.getByRole('textbox', { name: 'Vai trò của liên hệ' }).fill('Chủ doanh nghiệp');
      await expectTranslated(page);
      await shot(page, 'convert-dialog');
      await dialog.getByRole('button', { name: 'Chuyển đổi', exact: true }).click();

      await page.getByRole('heading', { level: 1, name: dealName }).waitFor();
      dealPath = new URL(page.url()).pathname;
      expect(dealPath).toMatch(/^\/deals\/[\w-]+$/);
      const main = page.getByRole('main');
      await main.getByRole('link', { name: visitorCompany }).first().waitFor();
      await main.getByRole('link', { name: visitor }).first().waitFor();
      // The deal names the lead it came from and its contact, not "—".
      await expect.poll(() => fieldValue(main, 'Từ khách hàng tiềm năng')).toBe(visitor);
      await expect.poll(() => fieldValue(main, 'Người liên hệ')).toBe(visitor);
      await main.getByText(`${amountText}`, { exact: false }).first().waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await shot(page, 'deal');
    });

    it('4. on the board: one real drag on a desktop, one move through the menu on a phone', async () => {
      await page.goto('/deals?view=kanban');
      const first = column(page, stages[0]!);
      await first.getByRole('link', { name: dealName }).waitFor();
      await first.getByText(`Tổng giá trị: ${amountText} ₫`).waitFor();
      await expectTranslated(page);
      await shot(page, 'board');

      // A real HTML5 drag and drop: dragstart, dragover and drop events in the page.
      await first
        .locator('[data-record-id]')
        .filter({ hasText: dealName })
        .dragTo(column(page, stages[1]!));
      const second = column(page, stages[1]!);
      await second.getByRole('link', { name: dealName }).waitFor();
      await second.getByText(`Tổng giá trị: ${amountText} ₫`).waitFor();
      await page.reload();
      await second.getByRole('link', { name: dealName }).waitFor();
      expect(await first.getByRole('link', { name: dealName }).count()).toBe(0);
      await shot(page, 'board-dragged');

      // The same rep on a phone: the card's "move to" menu.
      const phone = await newContext({ width: 375, height: 812 });
      const signIn = await phone.request.post('/api/v1/auth/sign-in', {
        data: { email: colleague.email, password: colleague.password },
      });
      expect(signIn.ok()).toBe(true);
      const small = await phone.newPage();
      small.setDefaultTimeout(20_000);
      await small.goto('/deals?view=kanban');
      await column(small, stages[1]!).getByRole('link', { name: dealName }).waitFor();
      await small.getByRole('button', { name: `Chuyển ${dealName} sang cột khác` }).click();
      await small.getByRole('menuitem', { name: stages[2]!, exact: true }).click();
      await column(small, stages[2]!).getByRole('link', { name: dealName }).waitFor();
      await column(small, stages[1]!)
        .getByRole('link', { name: dealName })
        .waitFor({ state: 'detached' });
      // The columns' totals follow the card.
      await column(small, stages[1]!).getByText('Tổng giá trị: 0 ₫').waitFor();
      await column(small, stages[2]!).getByText(`Tổng giá trị: ${amountText} ₫`).waitFor();
      expect(await sidewaysOverflow(small)).toBeLessThanOrEqual(0);
      await expectTranslated(small);
      await shot(small, 'phone-board');
      await phone.close();
    });

    it('5. marks the deal won from its page', async () => {
      await page.goto(dealPath);
      await page.getByRole('heading', { level: 1, name: dealName }).waitFor();
      const path = page.getByRole('list', { name: 'Các giai đoạn' });
      await expect
        .poll(() =>
          path.getByRole('listitem').filter({ hasText: stages[2]! }).getAttribute('aria-current'),
        )
        .toBe('step');
      await page.getByRole('button', { name: 'Đánh dấu thắng' }).click();
      const won = page.getByRole('dialog', { name: 'Đánh dấu thắng' });
      await pick(won, 'Lý do thắng', 'gia tot', 'Giá tốt');
      await won.getByRole('button', { name: 'Xác nhận thắng' }).click();
      await page.getByText('Chúc mừng! Cơ hội đã được đánh dấu thắng.').waitFor();
      const panel = page.getByRole('region', { name: 'Tiến trình' });
      await panel.getByText('Thắng', { exact: true }).waitFor();
      const timeline = page.getByRole('list', { name: 'Dòng thời gian' });
      await timeline.getByText('Trạng thái: Đang mở → Thắng').waitFor();
      await timeline.getByText(`Giai đoạn: ${stages[0]} → ${stages[1]}`).waitFor();
      await timeline.getByText(`Giai đoạn: ${stages[1]} → ${stages[2]}`).waitFor();
      await expectTranslated(page);
      await expectNoIds(page);
      await page.evaluate('window.scrollTo(0, 0)');
      await shot(page, 'won');
    });

    it('6. "Báo cáo bán hàng" shows the won amount and draws its charts', async () => {
      await page.getByRole('link', { name: 'Báo cáo bán hàng', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Dự báo và báo cáo bán hàng' }).waitFor();
      await expect.poll(() => page.getByTestId('kpi-won').innerText()).toContain(amountText);
      await expect.poll(() => page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
      // Leads by source: the Facebook lead became this won deal.
      const sources = page.getByRole('table').filter({ hasText: 'Tỷ lệ chuyển đổi' });
      const facebook = sources.getByRole('row').filter({ hasText: 'Facebook' });
      await facebook.getByText('100 %').waitFor();
      await facebook.getByText(`${amountText} ₫`).waitFor();
      // No table is cut off by its card: each fits the box that clips it.
      expect(await clippedTables(page)).toEqual([]);
      await expectTranslated(page);
      await page.evaluate('window.scrollTo(0, 0)');
      await shot(page, 'report');
      expect(pageErrors).toEqual([]);
    });
  },
);

/**
 * The value of a field in a record page's fields panel (its <dl>): the <dd> after the <dt> that
 * reads exactly `label`; null while there is none.
 */
async function fieldValue(scope: Locator, label: string): Promise<string | null> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const term = scope.locator('dl dt').filter({ hasText: new RegExp(`^${escaped}$`) });
  if ((await term.count()) === 0) return null;
  return (await term.first().locator('xpath=following-sibling::dd[1]').innerText()).trim();
}
