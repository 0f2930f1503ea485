// The agency screens, a download of their own under /agency: a reviewer reaches them from the
// field app and sees the dashboard at 1280×800 and on a 360×800 phone; an inspector and an
// enterprise user who open their URL get the "not allowed" page, and the API refuses them too.
// The phone's field app never downloads the agency bundle.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INSPECTOR, REVIEWER, UI_TIMEOUT, api, checkScreen, expectAppBar, signIn, startAll, tokenOf,
} from './support.mjs';

const ENTERPRISE_USER = { email: 'enterprise@kiemtra.test' };

let env;
let page;
let baseUrl;
let artifacts;
let pageErrors;
let desktop;

before(async () => {
  env = await startAll('agency');
  ({ page, baseUrl, artifacts, pageErrors } = env);
  const context = await env.browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  desktop = await context.newPage();
  desktop.on('pageerror', (error) => pageErrors.push(String(error)));
});

after(async () => {
  await env?.stop();
});

/** The wasm files a page downloaded. */
function wasmDownloads(target) {
  const seen = [];
  target.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('.wasm')) seen.push(new URL(response.url()).pathname);
  });
  return seen;
}

describe('agency screens', () => {
  it('never sends the agency bundle to the inspector on the phone', async () => {
    const seen = wasmDownloads(page);
    await signIn(page, baseUrl, INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    await expectAppBar(page, INSPECTOR);
    assert.ok(seen.length >= 1, 'the field app was loaded');
    assert.deepEqual(seen.filter((path) => path.startsWith('/agency')), []);
    // Nor does the service worker precache it.
    const worker = await (await fetch(`${baseUrl}/sw.js`)).text();
    assert.ok(worker.includes('/kiemtra-'), 'the field bundle is precached');
    assert.ok(!/\/agency-[0-9a-f]{16}/.test(worker), 'the agency bundle is not precached');
  });

  it('shows the inspector the "not allowed" page, and the API refuses the dashboard', async () => {
    await page.goto(baseUrl + '/agency');
    await page.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Điều hướng' }).count(), 0);
    await checkScreen(page, artifacts, '01-inspector-not-allowed-360.png');
    const token = await tokenOf(baseUrl, INSPECTOR);
    const refused = await fetch(`${baseUrl}/api/v1/dashboard`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 403);
  });

  it('shows the enterprise user the "not allowed" page too', async () => {
    await signIn(page, baseUrl, ENTERPRISE_USER);
    await page.waitForURL(/\/portal$/);
    await page.goto(baseUrl + '/agency/inspections');
    await page.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    const token = await tokenOf(baseUrl, ENTERPRISE_USER);
    const refused = await fetch(`${baseUrl}/api/v1/dashboard`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 403);
  });

  it('sends a signed-out visitor to the sign-in page', async () => {
    await page.evaluate(() => localStorage.removeItem('kiemtra.session'));
    await page.goto(baseUrl + '/agency');
    await page.waitForURL(/\/login$/);
  });

  it('takes the reviewer from signing in to the dashboard, with the figures the API gives', async () => {
    const seen = wasmDownloads(desktop);
    await signIn(desktop, baseUrl, REVIEWER);
    await desktop.waitForURL(/\/agency$/);
    await desktop.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();

    const nav = desktop.getByRole('navigation', { name: 'Điều hướng' });
    const current = nav.getByRole('link', { name: 'Tổng quan' });
    assert.equal(await current.locator('[aria-current=page]').count(), 1);
    assert.equal(await nav.getByRole('link', { name: 'Cuộc thanh tra' }).count(), 1);
    assert.ok(seen.some((path) => path.startsWith('/agency-')), 'the agency bundle was loaded');

    const token = await tokenOf(baseUrl, REVIEWER);
    const figures = await api(baseUrl, 'GET', '/dashboard', { token });
    const figure = (label) => desktop.locator('.figure', { hasText: label }).locator('.figure__value');
    await figure('Chứng cứ chờ duyệt').filter({ hasText: String(figures.evidence_awaiting_review) }).waitFor();
    assert.equal(await figure('Khắc phục quá hạn').innerText(), String(figures.overdue_total));
    const statuses = desktop.getByRole('region', { name: 'Cuộc thanh tra theo trạng thái' });
    const inProgress = figures.inspections_by_status.find((c) => c.status === 'in_progress').count;
    assert.equal(inProgress, 1);
    assert.equal(
      await statuses.locator('li', { hasText: 'Đang thanh tra' }).locator('.dashboard__count').innerText(),
      String(inProgress),
    );
    await desktop.getByText('Không có hành động khắc phục nào quá hạn.').waitFor();
    await checkScreen(desktop, artifacts, '02-reviewer-dashboard-1280.png');

    // Each count opens the list of what it counts.
    await statuses.getByRole('link', { name: /Đang thanh tra/ }).click();
    await desktop.waitForURL(/\/agency\/inspections\?status=in_progress$/);
    await desktop.getByRole('heading', { name: 'Cuộc thanh tra', level: 1 }).waitFor();
    assert.equal(await desktop.getByRole('checkbox', { name: 'Đang thanh tra' }).isChecked(), true);
    await desktop.goBack();
    await desktop.locator('a.figure', { hasText: 'Khắc phục quá hạn' }).click();
    await desktop.waitForURL(/\/agency\/follow-up\?status=overdue$/);
    await desktop.goBack();
    await desktop.locator('a.figure', { hasText: 'Chứng cứ chờ duyệt' }).click();
    await desktop.waitForURL(/\/agency\/queue$/);

    // The field app's lists are the phone's: a reviewer who opens one is sent to the agency's.
    await desktop.goto(baseUrl + '/inspections');
    await desktop.waitForURL(/\/agency\/inspections$/);
    await desktop.getByRole('heading', { name: 'Cuộc thanh tra', level: 1 }).waitFor();

    // Reloading a deep link keeps the agency app (the server answers agency.html there).
    await desktop.goto(baseUrl + '/agency/khong-co');
    await desktop.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    await desktop.getByRole('link', { name: 'Về tổng quan' }).click();
    await desktop.waitForURL(/\/agency$/);
  });

  it('keeps the dashboard usable on a 360 px phone', async () => {
    await signIn(page, baseUrl, REVIEWER);
    await page.waitForURL(/\/agency$/);
    await page.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Điều hướng' }).waitFor();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await checkScreen(page, artifacts, '03-reviewer-dashboard-360.png');
    assert.deepEqual(pageErrors, []);
  });
});
