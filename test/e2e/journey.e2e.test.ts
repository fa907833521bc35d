/**
 * The first-run journey in a real browser against the real, built server:
 * setup → sign in → invite a user → accept the invitation in a second browser → the settings
 * that name objects and fields (roles, API keys, audit log) → switch to English → sign out.
 * Every page shown is checked for untranslated keys and raw field names (expectTranslated).
 * One screenshot per step in test-output/e2e/journey/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { admin, browserJourney, colleague } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

/** Console errors of a page (a refused request, a CSP violation…), for pages that must have none. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

const e2e = browserJourney({ shots: 'journey' });
const { newContext, shot, fill, pageErrors } = e2e;

describe('first-run journey', () => {
  let adminContext: BrowserContext;
  let adminPage: Page;
  let inviteUrl = '';

  it('sets up the first workspace from the setup page', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto('/');
    await page.waitForURL('**/setup');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Thiết lập Sen' }).isVisible())
      .toBe(true);
    await expectTranslated(page);
    await shot(page, 'setup');

    await fill(page, 'Tên không gian làm việc', admin.workspace);
    await fill(page, 'Họ và tên', admin.name);
    await fill(page, 'Email', admin.email);
    await fill(page, 'Mật khẩu', admin.password);
    await page.getByRole('button', { name: 'Tạo không gian làm việc' }).click();

    await page.getByRole('heading', { level: 1, name: `Chào mừng, ${admin.name}` }).waitFor();
    // The home page is a start: a checklist ticked from the workspace's data, nothing done yet.
    await page.getByRole('heading', { level: 2, name: 'Bắt đầu với Sen' }).waitFor();
    await page.getByText('Đã xong 0/3 bước').first().waitFor();
    await page.getByText('Chưa có khách hàng nào.', { exact: false }).first().waitFor();
    await expectTranslated(page);
    await shot(page, 'setup-done');
    await context.close();
    // A browser that never had a session asks who is signed in: "nobody" is a normal answer
    // (GET /auth/current-session → 200, session null), not a 401 the browser would log.
    expect(errors).toEqual([]);
  });

  it('shows a signed-out visitor / and /sign-in without a console error', async () => {
    for (const path of ['/', '/sign-in']) {
      // A new browser each time: no cookie, nothing remembered.
      const context = await newContext();
      const page = await context.newPage();
      const errors = consoleErrors(page);
      const asked: number[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/v1/auth/')) asked.push(r.status());
      });
      await page.goto(path);
      await page.waitForURL('**/sign-in');
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      await page.waitForLoadState('networkidle');
      await context.close();
      expect(asked).toEqual([200]);
      expect(errors).toEqual([]);
    }
  });

  it('signs in', async () => {
    adminContext = await newContext();
    adminPage = await adminContext.newPage();
    await adminPage.goto('/settings/users');
    await adminPage.waitForURL(/\/sign-in\?next=/);
    await adminPage.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    await expectTranslated(adminPage);

    // A wrong password is refused with the server's (Vietnamese) message.
    await fill(adminPage, 'Email', admin.email);
    await fill(adminPage, 'Mật khẩu', 'not-the-password');
    await adminPage.getByRole('button', { name: 'Đăng nhập' }).click();
    await adminPage.getByRole('alert').waitFor();
    await shot(adminPage, 'sign-in-refused');

    await fill(adminPage, 'Mật khẩu', admin.password);
    await adminPage.getByRole('button', { name: 'Đăng nhập' }).click();
    // Back where we were going before sign-in.
    await adminPage.getByRole('heading', { level: 1, name: 'Người dùng' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/settings/users');
    await expect
      .poll(() => adminPage.getByRole('cell', { name: new RegExp(admin.email) }).count())
      .toBe(1);
    await expectTranslated(adminPage);
    await shot(adminPage, 'signed-in-users');
  });

  it('invites a user and shows the invitation link', async () => {
    await adminPage.getByRole('button', { name: 'Mời người dùng' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Mời người dùng' });
    await dialog.getByRole('textbox', { name: 'Email', exact: true }).fill(colleague.email);
    await dialog.getByRole('button', { name: 'Tạo lời mời' }).click();

    const link = adminPage.getByRole('textbox', { name: 'Đường dẫn mời' });
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[\w-]+$/);
    await expectTranslated(adminPage);
    await shot(adminPage, 'invitation-link');

    await adminPage.getByRole('button', { name: 'Xong' }).click();
    await expect
      .poll(() => adminPage.getByRole('cell', { name: colleague.email, exact: true }).count())
      .toBe(1);
    await shot(adminPage, 'pending-invitation');
  });

  it('accepts the invitation in a second browser, on a phone-sized screen', async () => {
    const context = await newContext({ width: 375, height: 800 });
    const page = await context.newPage();
    const url = new URL(inviteUrl);
    await page.goto(url.pathname);
    await page.getByRole('heading', { level: 1, name: 'Nhận lời mời' }).waitFor();
    await expect.poll(() => page.getByText(admin.workspace).first().isVisible()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(colleague.email);
    await expectTranslated(page);
    await shot(page, 'accept-invitation');

    await fill(page, 'Họ và tên', colleague.name);
    await fill(page, 'Chọn mật khẩu', colleague.password);
    await page.getByRole('button', { name: 'Tham gia' }).click();
    await page.getByRole('heading', { level: 1, name: `Chào mừng, ${colleague.name}` }).waitFor();

    // At 375 px the navigation sits behind the burger button.
    const burger = page.getByRole('button', { name: 'Mở menu điều hướng' });
    await burger.click();
    await page.getByRole('button', { name: 'Cài đặt' }).click();
    await page.getByRole('link', { name: 'Hồ sơ của tôi', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' }).waitFor();
    // Moving to another page closes the navigation again.
    await burger.waitFor();
    expect(await burger.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('textbox', { name: 'Họ và tên' }).inputValue()).toBe(
      colleague.name,
    );
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(375);
    await expectTranslated(page);
    await shot(page, 'invitee-profile-mobile');
    await context.close();

    // The admin now sees the new member and no pending invitation.
    await adminPage.reload();
    await expect
      .poll(() => adminPage.getByRole('cell', { name: new RegExp(colleague.email) }).count())
      .toBe(1);
    await adminPage.getByText('Không có lời mời nào đang chờ.').waitFor();
    await shot(adminPage, 'member-joined');
  });

  it('names objects and fields in words: home, roles, API key scopes, audit log', async () => {
    // The team step is ticked now that a colleague joined.
    await adminPage.goto('/');
    await adminPage.getByText('Đã xong 1/3 bước').first().waitFor();
    await expectTranslated(adminPage);

    await adminPage.goto('/settings/roles');
    await adminPage.getByRole('heading', { level: 1, name: 'Vai trò và quyền' }).waitFor();
    await adminPage.getByRole('button', { name: 'Tạo vai trò' }).click();
    const roleDialog = adminPage.getByRole('dialog');
    await roleDialog.getByRole('rowheader', { name: 'Liên hệ', exact: true }).waitFor();
    await roleDialog.getByRole('rowheader', { name: 'Trường tuỳ chỉnh', exact: true }).waitFor();
    await expectTranslated(adminPage);
    await shot(adminPage, 'role-matrix');
    await adminPage.keyboard.press('Escape');

    await adminPage.goto('/settings/api-keys');
    await adminPage.getByRole('heading', { level: 1, name: 'Khoá API' }).first().waitFor();
    await adminPage.getByRole('button', { name: 'Tạo khoá API' }).first().click();
    const keyDialog = adminPage.getByRole('dialog');
    await keyDialog.getByRole('rowheader', { name: 'Công ty', exact: true }).waitFor();
    await expectTranslated(adminPage);
    await shot(adminPage, 'api-key-scopes');
    await adminPage.keyboard.press('Escape');

    // The audit log names the member by name and the changed fields by their labels.
    await adminPage.goto('/settings/audit-log');
    await adminPage.getByRole('heading', { level: 1, name: 'Nhật ký thay đổi' }).waitFor();
    const rows = adminPage.getByRole('button', { name: 'Xem chi tiết thay đổi' });
    await rows.first().waitFor();
    for (let i = 0; i < (await rows.count()); i++) await rows.nth(i).click();
    await adminPage.getByText(colleague.name).first().waitFor();
    await adminPage.getByRole('cell', { name: 'Vai trò', exact: true }).first().waitFor();
    await expectTranslated(adminPage);
    await shot(adminPage, 'audit-log');

    await adminPage.goto('/settings/users');
    await adminPage.getByRole('heading', { level: 1, name: 'Người dùng' }).waitFor();
  });

  it('creates, renames and deletes a team (the settings list, its form and its confirmation)', async () => {
    await adminPage.goto('/settings/teams');
    await adminPage.getByRole('heading', { level: 1, name: 'Nhóm' }).waitFor();
    await adminPage.getByText('Chưa có nhóm nào').waitFor();
    await adminPage.getByRole('button', { name: 'Tạo nhóm' }).click();
    let dialog = adminPage.getByRole('dialog', { name: 'Tạo nhóm' });
    await dialog.getByRole('textbox', { name: 'Tên', exact: true }).fill('Kinh doanh miền Bắc');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await adminPage.getByText('Đã tạo nhóm Kinh doanh miền Bắc.').waitFor();
    await adminPage.getByRole('cell', { name: 'Kinh doanh miền Bắc', exact: true }).waitFor();

    await adminPage.getByRole('button', { name: 'Sửa nhóm Kinh doanh miền Bắc' }).click();
    dialog = adminPage.getByRole('dialog', { name: 'Sửa nhóm Kinh doanh miền Bắc' });
    await dialog.getByRole('textbox', { name: 'Tên', exact: true }).fill('Kinh doanh Hà Nội');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await adminPage.getByRole('cell', { name: 'Kinh doanh Hà Nội', exact: true }).waitFor();
    await expectTranslated(adminPage);
    await shot(adminPage, 'teams');

    await adminPage.getByRole('button', { name: 'Xoá nhóm Kinh doanh Hà Nội' }).click();
    dialog = adminPage.getByRole('dialog', { name: 'Xoá nhóm Kinh doanh Hà Nội?' });
    await dialog.getByText('Các thành viên vẫn giữ tài khoản; chỉ nhóm bị xoá.').waitFor();
    await dialog.getByRole('button', { name: 'Xoá' }).click();
    await adminPage.getByText('Đã xoá nhóm Kinh doanh Hà Nội.').waitFor();
    await adminPage.getByText('Chưa có nhóm nào').waitFor();
    expect(
      await adminPage.getByRole('cell', { name: 'Kinh doanh Hà Nội', exact: true }).count(),
    ).toBe(0);

    await adminPage.goto('/settings/users');
    await adminPage.getByRole('heading', { level: 1, name: 'Người dùng' }).waitFor();
  });

  it('switches to English, and the choice is remembered on the server', async () => {
    await adminPage.getByRole('button', { name: 'Ngôn ngữ' }).click();
    await adminPage.getByRole('menuitemradio', { name: 'English' }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await expect.poll(() => adminPage.locator('html').getAttribute('lang')).toBe('en');
    await expectTranslated(adminPage);
    await shot(adminPage, 'english');
    for (const [path, heading] of [
      ['/', `Welcome, ${admin.name}`],
      ['/settings/roles', 'Roles & permissions'],
      ['/settings/audit-log', 'Audit log'],
    ] as const) {
      await adminPage.goto(path);
      await adminPage.getByRole('heading', { level: 1, name: heading }).waitFor();
      await adminPage.waitForLoadState('networkidle');
      await expectTranslated(adminPage);
    }

    // A new browser on the same account starts in English after sign-in (the session says so).
    const context = await newContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    await fill(page, 'Email', admin.email);
    await fill(page, 'Mật khẩu', admin.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${admin.name}` }).waitFor();
    await context.close();
  });

  it('signs out', async () => {
    await adminPage.getByRole('button', { name: `Account of ${admin.name}` }).click();
    await adminPage.getByRole('menuitem', { name: 'Sign out' }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/sign-in');
    await shot(adminPage, 'signed-out');

    await expectTranslated(adminPage);

    // The session is gone: the signed-in area sends us back to sign-in, and "not signed in" is
    // an answer, not a refused request logged in the console.
    const errors = consoleErrors(adminPage);
    await adminPage.goto('/settings/users');
    await adminPage.waitForURL(/\/sign-in/);
    await adminPage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
    await adminContext.close();
  });

  it('serves the app shell for app routes, and 404 for a missing build file', async () => {
    const shell = await fetch(`${e2e.baseUrl}/contacts/some-id`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-type')).toContain('text/html');
    const missing = await fetch(`${e2e.baseUrl}/assets/missing-chunk-abc123.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).not.toContain('text/html');
  });

  it('serves the API docs within their own content security policy', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto('/api/docs');
    await page.getByText('Sen CRM API').first().waitFor();
    await page.waitForLoadState('networkidle');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('had no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
