// The reviewer's review of one inspection, at 1280×800: the queue lists the five photos the
// inspector sent, the record shows the failed noise measurement with its limit and excess, and
// the reviewer approves three photos, rejects one and asks for one to be taken again, with
// the mouse and with the keyboard; a decision that fails to reach the server stays beside its
// photo with "Thử lại". Every decision is then read back through the API, and the queue is
// empty. Then the same record on a 360×800 phone.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  REVIEWER, UI_TIMEOUT, api, checkScreen, signIn, startAll, submittedInspectionWithPhotos, tokenOf,
} from './support.mjs';

const DECISION_NUMBER = '301/QĐ-TTr';
const REJECTION = 'Ảnh chụp nhầm xưởng khác';
const RECAPTURE = 'Chụp lại toàn cảnh máy dập, thấy rõ vùng nguy hiểm';

let env;
let baseUrl;
let artifacts;
let pageErrors;
let desktop;
let inspection;

before(async () => {
  env = await startAll('review');
  ({ baseUrl, artifacts, pageErrors } = env);
  inspection = await submittedInspectionWithPhotos(baseUrl, env.page, { decisionNumber: DECISION_NUMBER });
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

/** The card of a piece of evidence. */
const card = (page, id) => page.locator(`#evidence-${id}`);

/** Waits until the card shows the decision as stored by the server. */
async function confirmed(page, id, word) {
  await page.locator(`#evidence-${id}[data-decision-state="confirmed"]`).waitFor();
  await card(page, id).locator('.decision-chip').getByText(word).waitFor();
}

describe('reviewing evidence', () => {
  it('lists the five photos in the queue, oldest first, and opens the record from it', async () => {
    await signIn(desktop, baseUrl, REVIEWER);
    await desktop.waitForURL(/\/agency$/);
    await desktop.goto(baseUrl + '/agency');
    await desktop.getByRole('navigation', { name: 'Điều hướng' }).getByRole('link', { name: 'Chờ duyệt' }).click();
    await desktop.getByRole('heading', { name: 'Chờ duyệt', level: 1 }).waitFor();
    await desktop.getByText('5 chứng cứ chờ duyệt, cũ nhất trước').waitFor();
    const cards = desktop.locator('.review-card');
    assert.equal(await cards.count(), 5);
    const order = await cards.evaluateAll((all) => all.map((c) => c.id.replace('evidence-', '')));
    assert.deepEqual(order, inspection.evidenceIds);
    await desktop.getByRole('heading', { name: 'Phím tắt' }).waitFor();
    // The first thumbnails are shown, each with its size set before it arrives.
    const thumbnail = card(desktop, inspection.evidenceIds[0]).locator('img.review-thumb__image');
    await thumbnail.waitFor();
    assert.equal(await thumbnail.getAttribute('loading'), 'lazy');
    assert.equal(await thumbnail.getAttribute('width'), '320');
    assert.equal(await thumbnail.getAttribute('height'), '240');
    await checkScreen(desktop, artifacts, '01-queue-1280.png');

    await card(desktop, inspection.evidenceIds[0]).getByRole('link', { name: DECISION_NUMBER }).click();
    await desktop.waitForURL(`${baseUrl}/agency/inspections/${inspection.id}`);
    await desktop.getByRole('heading', { name: 'Kiểm tra an toàn máy dập', level: 1 }).waitFor();
  });

  it('shows the record: team, tabs, the failed measurement with its limit and excess, the facts of each photo', async () => {
    const tabs = desktop.getByRole('navigation', { name: 'Các phần của cuộc thanh tra' });
    assert.equal(await tabs.getByRole('link', { name: 'Hồ sơ' }).locator('[aria-current=page]').count(), 1);
    assert.equal(
      await tabs.getByRole('link', { name: 'Vi phạm & khắc phục' }).getAttribute('href'),
      `/agency/inspections/${inspection.id}/findings`,
    );
    await desktop.getByText('Nguyễn Văn Kiểm').first().waitFor();
    const problems = desktop.locator('.non-compliances');
    await problems.getByText('Giới hạn: ≤ 85 dBA').waitFor();
    await problems.getByText('Vượt 5 dBA').waitFor();
    await problems.getByText(/QCVN 24:2016\/BYT/).first().waitFor();

    const first = card(desktop, inspection.evidenceIds[0]);
    await first.getByText('Nguyễn Văn Kiểm').waitFor();
    await first.getByText('21.13890, 105.81220').waitFor();
    const map = first.getByRole('link', { name: 'Bản đồ OpenStreetMap' });
    assert.equal(
      await map.getAttribute('href'),
      'https://www.openstreetmap.org/?mlat=21.1389&mlon=105.8122#map=18/21.1389/105.8122',
    );
    assert.equal(await first.getByRole('link', { name: 'Mở ứng dụng bản đồ' }).getAttribute('href'), 'geo:21.1389,105.8122');
    const stored = await api(baseUrl, 'GET', `/evidence/${inspection.evidenceIds[0]}`, { token: await tokenOf(baseUrl, REVIEWER) });
    await first.getByText(stored.sha256).waitFor();

    // The preview opens large, zooms, and closes with Escape.
    await first.getByRole('button', { name: /Xem ảnh lớn/ }).click();
    const dialog = desktop.getByRole('dialog', { name: 'Ảnh xem trước' });
    await dialog.locator('img').waitFor();
    await dialog.getByRole('button', { name: 'Phóng to' }).click();
    await dialog.getByText('150%').waitFor();
    await checkScreen(desktop, artifacts, '02-preview-zoomed-1280.png');
    await desktop.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('decides with the mouse and the keyboard, shows each at once, and keeps a failed one to retry', async () => {
    const [one, two, three, four, five] = inspection.evidenceIds;

    // The first approval does not reach the server: it stays, with the reason and "Thử lại".
    let refuse = true;
    await desktop.route('**/api/v1/inspections/*/reviews', (route) => {
      if (refuse && route.request().method() === 'POST') {
        refuse = false;
        return route.abort('connectionfailed');
      }
      return route.continue();
    });
    await card(desktop, one).getByRole('button', { name: 'Duyệt' }).click();
    const failure = card(desktop, one).locator('.review-card__failure');
    await failure.waitFor();
    await card(desktop, one).locator('.decision-chip').getByText('Chưa lưu được').waitFor();
    await failure.getByRole('button', { name: 'Thử lại' }).click();
    await confirmed(desktop, one, 'Đã duyệt');
    await desktop.unroute('**/api/v1/inspections/*/reviews');

    // The keyboard: j to the second photo, a approves it and moves on; a again.
    await card(desktop, one).focus();
    await desktop.keyboard.press('j');
    await desktop.keyboard.press('a');
    await confirmed(desktop, two, 'Đã duyệt');
    await desktop.keyboard.press('a');
    await confirmed(desktop, three, 'Đã duyệt');
    assert.equal(await desktop.evaluate(() => document.activeElement?.id), `evidence-${four}`);

    // r: the reason field takes the focus; Esc cancels; r again, a reason, Enter confirms.
    await desktop.keyboard.press('r');
    const reason = desktop.getByLabel('Lý do · Từ chối');
    await reason.waitFor();
    assert.equal(await reason.evaluate((input) => input === document.activeElement), true);
    await desktop.keyboard.press('Escape');
    await reason.waitFor({ state: 'detached' });
    await desktop.keyboard.press('r');
    await desktop.keyboard.type(REJECTION);
    // Typing in the field fires no shortcut: its "a"s and "c"s are text.
    assert.equal(await card(desktop, four).getAttribute('data-decision-state'), 'waiting');
    await desktop.keyboard.press('Enter');
    await confirmed(desktop, four, 'Đã từ chối');

    // Recapture with the mouse: no reason is an error at the field; then an internal reason.
    await card(desktop, five).getByRole('button', { name: 'Yêu cầu chụp lại' }).click();
    const recapture = desktop.getByLabel('Lý do · Yêu cầu chụp lại');
    await card(desktop, five).getByRole('button', { name: 'Xác nhận' }).click();
    await card(desktop, five).getByRole('alert').getByText('Cần nêu lý do.').waitFor();
    assert.equal(await recapture.getAttribute('aria-invalid'), 'true');
    await recapture.fill(RECAPTURE);
    await card(desktop, five).getByLabel('Chỉ nội bộ').check();
    await card(desktop, five).getByRole('button', { name: 'Xác nhận' }).click();
    await confirmed(desktop, five, 'Yêu cầu chụp lại');
    await card(desktop, five).locator('.review-card__history summary').click();
    await card(desktop, five).locator('.review-card__history').getByText(RECAPTURE).waitFor();
    await checkScreen(desktop, artifacts, '03-record-decided-1280.png');

    // Every decision is stored as made.
    const token = await tokenOf(baseUrl, REVIEWER);
    const reviews = await api(baseUrl, 'GET', `/inspections/${inspection.id}/reviews`, { token });
    const byEvidence = Object.fromEntries(reviews.map((r) => [r.target.id, r]));
    assert.equal(reviews.length, 5, 'one decision a photo: the refused attempt was not stored twice');
    for (const id of [one, two, three]) assert.equal(byEvidence[id].decision, 'approved');
    assert.deepEqual(
      [byEvidence[four].decision, byEvidence[four].reason, byEvidence[four].internal],
      ['rejected', REJECTION, false],
    );
    assert.deepEqual(
      [byEvidence[five].decision, byEvidence[five].reason, byEvidence[five].internal],
      ['recapture_requested', RECAPTURE, true],
    );
  });

  it('leaves the queue empty, as the dashboard counts', async () => {
    const token = await tokenOf(baseUrl, REVIEWER);
    const dashboard = await api(baseUrl, 'GET', '/dashboard', { token });
    assert.equal(dashboard.evidence_awaiting_review, 0);
    await desktop.getByRole('link', { name: 'Chờ duyệt' }).click();
    await desktop.getByText('Không còn chứng cứ nào chờ duyệt.').waitFor();
    assert.equal(await desktop.locator('.review-card').count(), 0);
  });

  it('is usable on a 360×800 phone, nothing cut off', async () => {
    const page = env.page;
    await signIn(page, baseUrl, REVIEWER);
    await page.waitForURL(/\/agency$/);
    await page.goto(`${baseUrl}/agency/inspections/${inspection.id}`);
    const first = card(page, inspection.evidenceIds[0]);
    await first.locator('img.review-thumb__image').waitFor();
    await first.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    const box = await first.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the card spans ${box.x}..${box.x + box.width}`);
    await checkScreen(page, artifacts, '04-record-360.png');
    await page.getByRole('heading', { name: 'Nội dung không đạt' }).scrollIntoViewIfNeeded();
    await checkScreen(page, artifacts, '05-record-top-360.png');

    await page.getByRole('navigation', { name: 'Điều hướng' }).getByRole('link', { name: 'Chờ duyệt' }).click();
    await page.getByRole('heading', { name: 'Chờ duyệt', level: 1 }).waitFor();
    await page.getByText('Không còn chứng cứ nào chờ duyệt.').waitFor();
    const queueOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(queueOverflow <= 0, `the queue is ${queueOverflow}px wider than the screen`);
    await checkScreen(page, artifacts, '06-queue-360.png');
    assert.deepEqual(pageErrors, []);
  });
});
