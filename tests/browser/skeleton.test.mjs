// The walking skeleton end to end, in Debian's Chromium on a 360×800 phone screen:
// an inspector signs in, answers the yes/no items of the site checklist, attaches a photo and
// submits; a reviewer then sees the answers and the photo in the agency screens, and the
// inspector reads them back on the phone, photo preview included.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.
// The tests of this file run in order and share one server and one browser: the reviewer reads
// what the inspector submitted.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkScreen,
  INSPECTOR, REVIEWER, SITE_TEXT, drawJpeg, expectAppBar as appBar, expectPhotoRendered as photoRendered,
  signIn as signInAs, startAll,
} from './support.mjs';

const DECISION_NUMBER = '125/QĐ-TTr';
const ENTERPRISE = 'Công ty TNHH Cơ khí Sông Hồng';
const PHOTO = { width: 640, height: 480, text: 'Che chắn máy' };
// Stored photos are shown by their thumbnail (320 px on the long side) and opened as their
// preview (1600 px at most: this one is smaller, so as large as the original).
const THUMBNAIL_WIDTH = 320;

let env;
let context;
let page;
let baseUrl;
let artifacts;
let pageErrors;

before(async () => {
  env = await startAll('skeleton');
  ({ context, page, baseUrl, artifacts, pageErrors } = env);
});

after(async () => {
  await env?.stop();
});

describe('walking skeleton', () => {
  it('says so when the password is wrong', async () => {
    await page.goto(baseUrl + '/');
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Email').fill(INSPECTOR.email);
    await page.getByLabel('Mật khẩu').fill('not-the-password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();

    // The server answers 401 `invalid_credentials`; the interface says so in Vietnamese.
    await page.getByRole('alert').filter({ hasText: 'Email hoặc mật khẩu không đúng.' }).waitFor();
    assert.match(page.url(), /\/login$/);
    await checkScreen(page, artifacts, '01-login-error.png');
  });

  it('keeps the inspector signed in across reloads, renewing a refused access token', async () => {
    await signIn(INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    await expectAppBar(INSPECTOR);

    await page.reload();
    await expectAppBar(INSPECTOR);

    // An access token the server refuses (as an expired one) is renewed with the refresh token.
    // The app makes two calls at start; both are refused, and only one may spend the refresh
    // token: the server ends the whole session when a spent one is presented again.
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('kiemtra.session'));
      session.access_token = 'refused-token';
      localStorage.setItem('kiemtra.session', JSON.stringify(session));
    });
    await page.reload();
    const card = page.getByRole('link').filter({ hasText: DECISION_NUMBER });
    await card.waitFor();
    await expectAppBar(INSPECTOR);
    assert.match(await card.innerText(), new RegExp(ENTERPRISE));
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('kiemtra.session')).access_token);
    assert.notEqual(stored, 'refused-token');
    await checkScreen(page, artifacts, '02-inspector-list.png');
  });

  it('lets the inspector answer the site checklist with a photo and submit it', async () => {
    const card = page.getByRole('link').filter({ hasText: DECISION_NUMBER });
    await card.click();
    await page.waitForURL(/\/inspections\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
    await checkScreen(page, artifacts, '03-inspector-detail-top.png');

    // Answering one question may show another ("is there a boiler?"): count again each time.
    const groups = page.locator('.choice--yes-no');
    assert.ok(await groups.count() >= 1, 'the checklist has no yes/no item');
    for (let i = 0; i < await groups.count(); i++) {
      await groups.nth(i).getByRole('radio', { name: 'Có', exact: true }).check();
    }

    const firstItem = page.locator('article.item').first();
    const photoInput = firstItem.locator('input[type=file][accept="image/*"][capture="environment"]');
    await photoInput.setInputFiles({ name: 'may-cat.jpg', mimeType: 'image/jpeg', buffer: await drawJpeg(page, PHOTO) });
    const preview = firstItem.locator('figure.photo');
    await preview.locator('img').waitFor();
    // The position arrives after the photo is kept; wait for it so that it is uploaded too.
    await preview.getByText(SITE_TEXT).waitFor();
    await preview.scrollIntoViewIfNeeded();
    await checkScreen(page, artifacts, '04-inspector-filled.png');

    await page.getByRole('button', { name: 'Nộp phiếu' }).click();
    await page.getByText('Đã nộp phiếu thành công.').waitFor();
    await page.locator('.tag--submitted', { hasText: 'Đã nộp' }).waitFor();
    // The submitted view shows the stored answer and the stored photo, not the form.
    assert.equal(await page.getByRole('button', { name: 'Nộp phiếu' }).count(), 0);
    assert.equal(await firstItem.locator('.answer').innerText(), 'Có');
    await expectPhotoRendered(firstItem, THUMBNAIL_WIDTH);
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkScreen(page, artifacts, '05-inspector-submitted.png');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(baseUrl + '/inspections');
    await page.waitForURL(/\/login$/);
  });

  it('shows the reviewer the submitted answers and the photo in the agency screens', async () => {
    await signIn(REVIEWER);
    // Reviewers work in the agency screens: signing in lands there.
    await page.waitForURL(/\/agency$/);
    await expectAppBar(REVIEWER);
    await page.getByRole('navigation', { name: 'Điều hướng' }).getByRole('link', { name: 'Cuộc thanh tra' }).click();
    await page.getByRole('link', { name: DECISION_NUMBER, exact: true }).click();
    await page.waitForURL(/\/agency\/inspections\/[0-9a-f-]{36}$/);

    const firstItem = page.locator('article.item').first();
    await firstItem.waitFor();
    assert.equal(await page.getByRole('radio').count(), 0, 'the reviewer sees a form');
    assert.equal(await page.locator('input[type=file]').count(), 0, 'the reviewer can add photos');
    const answers = await page.locator('article.item[data-kind=yes_no] .answer').allInnerTexts();
    assert.ok(answers.length >= 1);
    assert.deepEqual(answers, answers.map(() => 'Có'));

    // The photo's card: its thumbnail (not the original) and where it was taken.
    const card = page.locator('.review-card').first();
    const thumbnail = card.locator('img.review-thumb__image');
    await thumbnail.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumbnail.elementHandle());
    assert.equal(await thumbnail.evaluate((img) => img.naturalWidth), THUMBNAIL_WIDTH);
    await card.getByText(SITE_TEXT).waitFor();
    await card.scrollIntoViewIfNeeded();
    await checkScreen(page, artifacts, '06-reviewer-photo.png');
    assert.deepEqual(pageErrors, []);

    // The inspector reads back what was sent, on the phone, where the next tests look at it.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login$/);
    await signIn(INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    await page.getByRole('link').filter({ hasText: DECISION_NUMBER }).click();
    await page.waitForURL(/\/inspections\/[0-9a-f-]{36}$/);
    await page.locator('.tag--submitted', { hasText: 'Đã nộp' }).waitFor();
    await expectPhotoRendered(page.locator('article.item').first(), THUMBNAIL_WIDTH);
  });

  it('opens a photo as its preview and downloads the original only when asked', async () => {
    const originals = [];
    const onRequest = (request) => {
      if (/\/api\/v1\/evidence\/[0-9a-f-]+\/content$/.test(request.url())) originals.push(request.url());
    };
    page.on('request', onRequest);
    try {
      const firstItem = page.locator('article.item').first();
      await firstItem.getByRole('button', { name: 'Mở ảnh' }).click();
      const viewer = page.getByRole('dialog');
      const preview = viewer.locator('img');
      await preview.waitFor();
      await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await preview.elementHandle());
      assert.equal(await preview.evaluate((img) => img.naturalWidth), PHOTO.width);
      await checkScreen(page, artifacts, '06b-inspector-preview.png');
      assert.deepEqual(originals, [], 'the original was downloaded without being asked for');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        viewer.getByRole('button', { name: /^Tải ảnh gốc/ }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^[0-9a-f-]{36}\.jpg$/);
      assert.equal(originals.length, 1);
      await viewer.getByRole('button', { name: 'Đóng' }).click();
      await viewer.waitFor({ state: 'detached' });
    } finally {
      page.off('request', onRequest);
    }
  });

  it('shows a placeholder while the thumbnail is being made, and a file icon when there is none', async () => {
    const firstItem = page.locator('article.item').first();
    // The server answers 409 while it makes the thumbnail: the first two asks are told so.
    let refused = 0;
    await page.route('**/api/v1/evidence/*/thumbnail', (route) => {
      if (refused++ < 2) {
        return route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'derivative_pending', message: 'Still being made.', details: [] }),
        });
      }
      return route.continue();
    });
    try {
      await page.reload();
      await firstItem.locator('.photo__placeholder', { hasText: 'Đang tạo ảnh thu nhỏ…' }).waitFor();
      await firstItem.locator('figure.photo').scrollIntoViewIfNeeded();
      await checkScreen(page, artifacts, '06c-thumbnail-pending.png');
      await expectPhotoRendered(firstItem, THUMBNAIL_WIDTH);
      assert.equal(refused, 3);
    } finally {
      await page.unroute('**/api/v1/evidence/*/thumbnail');
    }

    // A file the server could not make a picture of (404) shows as a file, not a broken image.
    await page.route('**/api/v1/evidence/*/thumbnail', (route) => route.fulfill({
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'not_found', message: 'No thumbnail.', details: [] }),
    }));
    try {
      await page.reload();
      await firstItem.locator('.photo__placeholder--file', { hasText: 'Tài liệu' }).waitFor();
      assert.equal(await firstItem.locator('figure.photo img').count(), 0);
    } finally {
      await page.unroute('**/api/v1/evidence/*/thumbnail');
    }
  });

  it('opens from the service worker cache when offline', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    try {
      await page.goto(baseUrl + '/inspections');
      // The app shell starts; the API cannot be reached, so the list kept on the device is shown.
      await expectAppBar(INSPECTOR);
      await page.getByText('Không có mạng: đang hiển thị bản lưu trên máy.').waitFor();
      await page.getByRole('link').filter({ hasText: DECISION_NUMBER }).waitFor();
      await checkScreen(page, artifacts, '07-offline.png');
    } finally {
      await context.setOffline(false);
    }
  });
});

const signIn = (user) => signInAs(page, baseUrl, user);
const expectAppBar = (user) => appBar(page, user);
const expectPhotoRendered = (item, width) => photoRendered(page, item, width);
