// Nothing captured is lost: the draft and its photos are kept on the phone (IndexedDB) as they
// are made, survive a reload with and without a connection, and each photo is sent in the
// background as soon as there is a connection, with its state shown next to it. A photo the
// server refuses says why and can be sent again or removed.
//
// This file plans its own inspections, 128/QĐ-TTr and 129/QĐ-TTr, through the API.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkScreen,
  INSPECTOR, SITE_TEXT, api, drawJpeg, planInspection, signIn, startAll, storedCount, tokenOf,
} from './support.mjs';

const KEPT = { number: '128/QĐ-TTr', title: 'Thanh tra an toàn máy móc' };
const REFUSED = { number: '129/QĐ-TTr', title: 'Thanh tra phòng cháy' };

let env;
let page;
let context;
let baseUrl;
let artifacts;
let keptId;
let refusedId;

before(async () => {
  env = await startAll('offline-evidence');
  ({ page, context, baseUrl, artifacts } = env);
  keptId = await planInspection(baseUrl, KEPT.number, KEPT.title);
  refusedId = await planInspection(baseUrl, REFUSED.number, REFUSED.title);
});

after(async () => {
  await env?.stop();
});

const item = (key) => page.locator(`article.item[data-item-key="${key}"]`);
const shot = (name) => checkScreen(page, artifacts, name);
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

async function openInspection(number) {
  await page.goto(baseUrl + '/inspections');
  await page.getByRole('link').filter({ hasText: number }).click();
  await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
}

/** Takes a photo in an item's evidence strip; answers the photo's figure. */
async function takePhoto(scope, photo) {
  const before = await scope.locator('figure.photo').count();
  await scope.locator('input[type=file]').setInputFiles({
    name: `${photo.text}.jpg`, mimeType: 'image/jpeg', buffer: photo.buffer,
  });
  const figure = scope.locator('figure.photo').nth(before);
  await figure.locator('img').waitFor();
  return figure;
}

/** Waits until an image in `figure` has decoded at its full width. */
async function expectImage(figure, width) {
  const image = figure.locator('img');
  await image.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  assert.equal(await image.evaluate((img) => img.naturalWidth), width);
}

describe('evidence kept on the phone', () => {
  it('keeps answers and photos across reloads, online and offline, and sends photos as it can', async () => {
    const photoA = { width: 640, height: 480, text: 'Che chan may A' };
    const photoB = { width: 480, height: 640, text: 'Che chan may B' };
    await signIn(page, baseUrl, INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    photoA.buffer = await drawJpeg(page, photoA);
    photoB.buffer = await drawJpeg(page, photoB);
    const submissions = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/site-response')) submissions.push(request.url());
    });

    await openInspection(KEPT.number);
    const guards = item('osh.machine_guards');
    await guards.getByRole('radio', { name: 'Có', exact: true }).check();
    // Online, the photo goes to the server at once, long before the checklist is submitted.
    const figureA = await takePhoto(guards, photoA);
    await figureA.getByText(SITE_TEXT).waitFor();
    await figureA.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor();
    assert.deepEqual(submissions, []);
    const token = await tokenOf(baseUrl, INSPECTOR);
    const early = await api(baseUrl, 'GET', `/inspections/${keptId}`, { token });
    assert.deepEqual(early.evidence.map((e) => e.sha256), [sha256(photoA.buffer)]);

    // A reload with a connection: the answer and the photo are still there.
    await page.reload();
    await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
    assert.ok(await guards.getByRole('radio', { name: 'Có', exact: true }).isChecked());
    await expectImage(guards.locator('figure.photo').first(), photoA.width);
    await guards.locator('figure.photo').first().getByText('Đã gửi').waitFor();

    // Offline: the second photo and another answer wait on the phone.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    try {
      const figureB = await takePhoto(guards, photoB);
      await figureB.getByText(SITE_TEXT).waitFor();
      await figureB.locator('.upload--waiting', { hasText: 'Chờ gửi' }).waitFor();
      const ppe = item('osh.ppe_observed');
      await ppe.getByRole('checkbox', { name: 'Mũ bảo hộ' }).check();
      assert.equal(await storedCount(page, 'outbox'), 2);

      // A reload with no connection: the service worker serves the app, the inspection comes
      // from the phone, and so do the answers and both photos.
      await page.reload();
      await page.getByText('Không có mạng: đang hiển thị bản lưu trên máy.').waitFor();
      await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
      assert.ok(await guards.getByRole('radio', { name: 'Có', exact: true }).isChecked());
      assert.ok(await ppe.getByRole('checkbox', { name: 'Mũ bảo hộ' }).isChecked());
      const figures = guards.locator('figure.photo');
      assert.equal(await figures.count(), 2);
      await expectImage(figures.nth(0), photoA.width);
      await expectImage(figures.nth(1), photoB.width);
      await figures.nth(0).getByText('Đã gửi').waitFor();
      await figures.nth(1).getByText('Chờ gửi').waitFor();
      await figures.nth(1).getByText(SITE_TEXT).waitFor();
      // Whatever the page, the app bar says what has not reached the server.
      await page.locator('header.app-bar .app-bar__unsent', { hasText: '1 ảnh chưa gửi' }).waitFor();
      await guards.scrollIntoViewIfNeeded();
      await shot('01-offline-restored.png');

      // Submitting offline says the photos wait for a connection; nothing is lost.
      await page.getByRole('button', { name: 'Nộp phiếu' }).click();
      // It is news, not an error: a status message, not an alert.
      await page.getByRole('status').filter({ hasText: /Chưa có mạng nên ảnh chưa gửi được/ }).waitFor();
      await shot('02-offline-submit.png');

      // An inspection under way that was never opened on this phone opens too: the list
      // kept it on the device while there was a connection.
      await openInspection(REFUSED.number);
      await page.getByText('Không có mạng: đang hiển thị bản lưu trên máy.').waitFor();
      await item('osh.fire_extinguishers').waitFor();
    } finally {
      await context.setOffline(false);
    }
    await openInspection(KEPT.number);

    // Back online, the waiting photo goes by itself.
    const figureB = guards.locator('figure.photo').nth(1);
    await figureB.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor();
    await page.locator('.app-bar__unsent').waitFor({ state: 'detached' });
    assert.deepEqual(submissions, []);
    await guards.scrollIntoViewIfNeeded();
    await shot('03-online-sent.png');

    await page.getByRole('button', { name: 'Nộp phiếu' }).click();
    await page.getByText('Đã nộp phiếu thành công.').waitFor();
    const detail = await api(baseUrl, 'GET', `/inspections/${keptId}`, { token });
    const answer = detail.site_response.answers.items['osh.machine_guards'];
    assert.equal(answer.photos.length, 2);
    const stored = Object.fromEntries(detail.evidence.map((e) => [e.id, e]));
    assert.deepEqual(answer.photos.map((id) => stored[id]?.sha256), [sha256(photoA.buffer), sha256(photoB.buffer)]);
    assert.ok(answer.photos.every((id) => stored[id].latitude !== null), 'a photo lost its position');
    assert.deepEqual(detail.site_response.answers.items['osh.ppe_observed'].value, ['helmet']);
    // Submitted: the phone lets the draft and its photos go.
    assert.equal(await storedCount(page, 'drafts'), 0);
    assert.equal(await storedCount(page, 'outbox'), 0);
    assert.equal(await storedCount(page, 'blobs'), 0);
    assert.deepEqual(env.pageErrors, []);
  });

  it('tells why the server refused a photo, and sends it again or removes it on request', async () => {
    const evidencePut = (url) => /^\/api\/v1\/evidence\/[0-9a-f-]{36}$/.test(url.pathname);
    await openInspection(REFUSED.number);
    const extinguishers = item('osh.fire_extinguishers');
    await extinguishers.getByRole('radio', { name: 'Có', exact: true }).check();

    // The server refuses the photo: its reason is shown, with "send again" and "remove".
    await page.route(evidencePut, (route) => route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'image_undecodable', message: 'The file is not a readable image.', details: [] }),
    }));
    const refused = { width: 400, height: 300, text: 'Binh chua chay' };
    refused.buffer = await drawJpeg(page, refused);
    const figure = await takePhoto(extinguishers, refused);
    const failure = figure.locator('.upload--failed');
    await failure.getByText('Không gửi được ảnh: The file is not a readable image.').waitFor();
    await extinguishers.scrollIntoViewIfNeeded();
    await shot('04-refused.png');
    await page.unroute(evidencePut);
    await failure.getByRole('button', { name: 'Gửi lại' }).click();
    await figure.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor();

    // A connection that breaks is not a refusal: the photo waits and goes by itself.
    let broken = 0;
    await page.route(evidencePut, (route) => (broken++ === 0 ? route.abort('connectionreset') : route.continue()));
    const second = await takePhoto(extinguishers, { ...refused, text: 'Binh 2', buffer: await drawJpeg(page, { ...refused, text: 'Binh 2' }) });
    await second.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor();
    assert.equal(broken, 2);
    await page.unroute(evidencePut);

    // Refused again, and removed: gone from the form and from the phone.
    await page.route(evidencePut, (route) => route.fulfill({
      status: 415,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'unsupported_media_type', message: 'Not an image.', details: [] }),
    }));
    const third = await takePhoto(extinguishers, { ...refused, text: 'Binh 3', buffer: await drawJpeg(page, { ...refused, text: 'Binh 3' }) });
    await third.locator('.upload--failed').waitFor();
    assert.equal(await storedCount(page, 'outbox'), 3);
    await third.locator('.upload__actions').getByRole('button', { name: 'Xoá ảnh' }).click();
    await page.waitForFunction(
      (item) => item.querySelectorAll('figure.photo').length === 2,
      await extinguishers.elementHandle(),
    );
    await page.unroute(evidencePut);
    await expectStored(2);
    assert.deepEqual(env.pageErrors, []);
  });

  it('sends a waiting photo from any page, not only from its checklist', async () => {
    const extinguishers = item('osh.fire_extinguishers');
    const photo = { width: 400, height: 300, text: 'Binh 4' };
    photo.buffer = await drawJpeg(page, photo);
    await context.setOffline(true);
    let figure;
    try {
      figure = await takePhoto(extinguishers, photo);
      await figure.locator('.upload--waiting', { hasText: 'Chờ gửi' }).waitFor();
      // The inspector leaves the checklist (in the app, without reloading it).
      await page.getByRole('link', { name: 'Danh sách' }).click();
      await page.getByRole('link').filter({ hasText: KEPT.number }).waitFor();
    } finally {
      await context.setOffline(false);
    }
    const token = await tokenOf(baseUrl, INSPECTOR);
    const digest = sha256(photo.buffer);
    const deadline = Date.now() + 15_000;
    let stored = [];
    while (Date.now() < deadline && !stored.includes(digest)) {
      const detail = await api(baseUrl, 'GET', `/inspections/${refusedId}`, { token });
      stored = detail.evidence.map((e) => e.sha256);
      // The poll's interval, not a wait for the condition: it ends as soon as the photo is there.
      if (!stored.includes(digest)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(stored.includes(digest), 'the photo did not reach the server while the list was shown');
    assert.deepEqual(env.pageErrors, []);
  });
});

/** Waits until the outbox on the phone holds `count` photos. */
async function expectStored(count) {
  await page.waitForFunction((count) => new Promise((resolve, reject) => {
    const open = indexedDB.open('kiemtra');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const request = db.transaction('outbox', 'readonly').objectStore('outbox').count();
      request.onsuccess = () => { db.close(); resolve(request.result === count); };
    };
  }), count);
}
