/**
 * The forecast and sales report page (#19) in a real browser against the real, built server:
 * deals made through the API (one won this month, one open expected this month), then the page
 * shows the won amount, the weighted forecast and its charts (ECharts canvases), moves between
 * periods, and offers each table as Excel / CSV. One screenshot per step in
 * test-output/e2e/reports/.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from '../support/e2e.js';
import { expectTranslated } from '../support/untranslated.js';

const e2e = browserJourney({ shots: 'reports' });
const { newContext, shot } = e2e;

describe('sales report: figures, charts, periods and exports', { timeout: 180_000 }, () => {
  let context: BrowserContext;
  let page: Page;

  it('shows this month’s won revenue, forecast and charts', async () => {
    context = await newContext();
    const session = await e2e.setUpWorkspace(context);
    const headers = { 'x-csrf-token': session.csrfToken };
    const today = new Date().toISOString().slice(0, 10);
    const won = await context.request.post('/api/v1/deals', {
      headers,
      data: { name: 'Đơn hàng Tết', amount: 150_000_000 },
    });
    expect(won.status()).toBe(201);
    const closed = await context.request.patch(`/api/v1/deals/${(await won.json()).id}`, {
      headers,
      data: { status: 'won', wonReason: 'price' },
    });
    expect(closed.status()).toBe(200);
    const open = await context.request.post('/api/v1/deals', {
      headers,
      data: { name: 'Đại lý Hải Dương', amount: 80_000_000, expectedCloseDate: today },
    });
    expect(open.status()).toBe(201);

    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto('/');
    await page.getByRole('link', { name: 'Báo cáo bán hàng', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Dự báo và báo cáo bán hàng' }).waitFor();
    const wonCard = page.getByTestId('kpi-won');
    await expect.poll(() => wonCard.innerText()).toContain('150.000.000');
    // The open deal at the first stage's 10 %: 8,000,000 weighted.
    await page.getByText('8.000.000', { exact: false }).first().waitFor();
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await expectTranslated(page);
    await shot(page, 'month');
  });

  it('moves between periods and offers the tables as files', async () => {
    const label = page.getByTestId('report-period');
    const month = await label.innerText();
    expect(month).toMatch(/^Tháng \d{1,2}\/\d{4}$/);
    await page.getByText('Quý', { exact: true }).click();
    await expect.poll(() => label.innerText()).toMatch(/^Quý [1-4]\/\d{4}$/);
    await shot(page, 'quarter');
    await page.getByRole('button', { name: 'Kỳ trước' }).click();
    await expect.poll(() => page.getByTestId('kpi-won').innerText()).toContain('0');
    await page.getByRole('button', { name: 'Kỳ sau' }).click();
    await expect.poll(() => page.getByTestId('kpi-won').innerText()).toContain('150.000.000');
    await page.getByRole('button', { name: 'Tải bảng' }).first().click();
    const excel = page.getByRole('menuitem', { name: 'Excel (.xlsx)' });
    const href = await excel.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/reports\/sales\/export\?period=quarter&.*format=xlsx/);
    const file = await context.request.get(href!);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('spreadsheetml');
    await shot(page, 'export-menu');
    expect(e2e.pageErrors).toEqual([]);
    await context.close();
  });
});
