// Photos over 2 MiB go through a resumable upload (tus 1.0, `/api/v1/uploads`) in 5 MiB chunks,
// each with its SHA-256; a connection that breaks in the middle of a chunk, or a reload while
// a chunk is on its way, costs at most that chunk: the upload resumes where the server is.
//
// This file plans its own inspection, 130/QĐ-TTr, through the API.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkScreen, INSPECTOR, SITE_TEXT, api, planInspection, signIn, startAll, tokenOf } from './support.mjs';

const INSPECTION = { number: '130/QĐ-TTr', title: 'Thanh tra thiết bị nâng' };
const CHUNK = 5 * 1024 * 1024;

let env;
let page;
let baseUrl;
let artifacts;
let inspectionId;

before(async () => {
  env = await startAll('resumable-upload');
  ({ page, baseUrl, artifacts } = env);
  inspectionId = await planInspection(baseUrl, INSPECTION.number, INSPECTION.title);
});

after(async () => {
  await env?.stop();
});

const item = (key) => page.locator(`article.item[data-item-key="${key}"]`);
const shot = (name) => checkScreen(page, artifacts, name);
const sha256 = (buffer) => createHash('sha256').update(buffer).digest();
const isUpload = (url) => /^\/api\/v1\/uploads(\/[^/]+)?$/.test(url.pathname);

/** A JPEG of random pixels (which compress badly): a photo of several megabytes. */
async function largeJpeg(width, height) {
  const dataUrl = await page.evaluate(({ width, height }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    const image = g.createImageData(width, height);
    const random = new Uint8Array(65536);
    for (let i = 0; i < image.data.length; i += random.length) {
      crypto.getRandomValues(random);
      image.data.set(random.subarray(0, Math.min(random.length, image.data.length - i)), i);
    }
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    g.putImageData(image, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.9);
  }, { width, height });
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** Every request to the upload endpoints, and every one-request evidence upload (PUT). */
function recordRequests() {
  const seen = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const oneRequestUpload = request.method() === 'PUT' && /^\/api\/v1\/evidence\/[0-9a-f-]{36}$/.test(url.pathname);
    if (isUpload(url) || oneRequestUpload) {
      seen.push({ method: request.method(), path: url.pathname, headers: request.headers() });
    }
  });
  return seen;
}

async function storedEvidence(token) {
  const detail = await api(baseUrl, 'GET', `/inspections/${inspectionId}`, { token });
  return detail.evidence;
}

describe('resumable upload of a large photo', () => {
  let token;
  let seen;

  before(async () => {
    await signIn(page, baseUrl, INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    token = await tokenOf(baseUrl, INSPECTOR);
    seen = recordRequests();
    await page.getByRole('link').filter({ hasText: INSPECTION.number }).click();
    await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
    await item('osh.machine_guards').getByRole('radio', { name: 'Có', exact: true }).check();
  });

  it('sends it in checksummed chunks and resumes after a chunk is cut off', async () => {
    const photo = await largeJpeg(3200, 2300);
    assert.ok(photo.length > CHUNK && photo.length < 2 * CHUNK, `the photo has ${photo.length} bytes`);
    // The connection breaks during the second chunk.
    let patches = 0;
    const cut = (route) => {
      if (route.request().method() === 'PATCH' && patches++ === 1) return route.abort('connectionreset');
      return route.fallback();
    };
    await page.route(isUpload, cut);
    const strip = item('osh.machine_guards');
    await strip.locator('input[type=file]').setInputFiles({ name: 'cau-truc.jpg', mimeType: 'image/jpeg', buffer: photo });
    const figure = strip.locator('figure.photo').first();
    await figure.getByText(SITE_TEXT).waitFor();
    await figure.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor({ timeout: 60_000 });
    await page.unroute(isUpload, cut);

    const sent = seen.splice(0);
    assert.deepEqual(sent.map((r) => r.method), ['POST', 'PATCH', 'PATCH', 'HEAD', 'PATCH'], JSON.stringify(sent.map((r) => `${r.method} ${r.path}`)));
    const [create, first, , head, last] = sent;
    assert.equal(create.path, '/api/v1/uploads');
    assert.equal(create.headers['tus-resumable'], '1.0.0');
    assert.equal(create.headers['upload-length'], String(photo.length));
    const metadata = Object.fromEntries(create.headers['upload-metadata'].split(',').map((pair) => {
      const [key, value] = pair.split(' ');
      return [key, Buffer.from(value, 'base64').toString()];
    }));
    assert.equal(metadata.sha256, sha256(photo).toString('hex'));
    assert.equal(metadata.inspection_id, inspectionId);
    assert.equal(metadata.item_key, 'osh.machine_guards');
    assert.equal(metadata.kind, 'photo');
    assert.equal(metadata.filename, 'cau-truc.jpg');
    assert.ok(metadata.latitude && metadata.longitude && metadata.captured_at);
    assert.equal(first.headers['upload-offset'], '0');
    assert.equal(first.headers['content-type'], 'application/offset+octet-stream');
    assert.equal(first.headers['upload-checksum'], `sha256 ${sha256(photo.subarray(0, CHUNK)).toString('base64')}`);
    // After the cut, the client asks where the server is and sends only what it lacks.
    assert.equal(head.path, first.path);
    assert.equal(last.headers['upload-offset'], String(CHUNK));
    assert.equal(last.headers['upload-checksum'], `sha256 ${sha256(photo.subarray(CHUNK)).toString('base64')}`);

    const stored = (await storedEvidence(token)).find((e) => e.id === metadata.evidence_id);
    assert.ok(stored, 'the server has no evidence with the id of the photo');
    assert.equal(stored.sha256, sha256(photo).toString('hex'));
    assert.equal(stored.size_bytes, photo.length);
  });

  it('resumes an upload that was under way when the page was reloaded', async () => {
    const photo = await largeJpeg(3200, 2300);
    // The second chunk gets no answer, as on a signal too weak to carry it.
    let patches = 0;
    let stalled;
    const stalling = new Promise((resolve) => { stalled = resolve; });
    const stall = (route) => {
      if (route.request().method() === 'PATCH' && patches++ === 1) {
        stalled(route);
        return undefined;
      }
      return route.fallback();
    };
    await page.route(isUpload, stall);
    const strip = item('osh.machine_guards');
    await strip.locator('input[type=file]').setInputFiles({ name: 'moc-cau.jpg', mimeType: 'image/jpeg', buffer: photo });
    const figure = strip.locator('figure.photo').nth(1);
    const stalledChunk = await stalling;
    // The first chunk is on the server: the share shown is at least that.
    const sending = figure.locator('.upload--sending', { hasText: /Đang gửi \d+%/ });
    await sending.waitFor();
    const least = Math.floor((CHUNK / photo.length) * 100);
    await page.waitForFunction(
      ({ element, least }) => Number(element.textContent.match(/(\d+)%/)?.[1]) >= least,
      { element: await sending.elementHandle(), least },
    );
    assert.match(await sending.innerText(), /Đang gửi \d\d%/);
    await strip.scrollIntoViewIfNeeded();
    await shot('01-sending.png');
    const before = seen.splice(0);
    assert.deepEqual(before.map((r) => r.method), ['POST', 'PATCH', 'PATCH']);
    const uploadPath = before[1].path;

    // The signal goes, the chunk with it (the server never got it), and the page is reloaded.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await env.context.setOffline(true);
    let again;
    try {
      await stalledChunk.abort('internetdisconnected');
      await page.unroute(isUpload, stall);
      await page.reload();
      again = item('osh.machine_guards').locator('figure.photo').nth(1);
      await again.locator('.upload--waiting', { hasText: 'Chờ gửi' }).waitFor();
      seen.splice(0);
    } finally {
      await env.context.setOffline(false);
    }
    await again.locator('.upload--sent', { hasText: 'Đã gửi' }).waitFor({ timeout: 60_000 });
    await item('osh.machine_guards').scrollIntoViewIfNeeded();
    await shot('02-resumed.png');

    // Back online, no new upload: the one under way is asked where it stands, then completed.
    const after = seen.splice(0);
    assert.deepEqual(after.map((r) => r.method), ['HEAD', 'PATCH'], JSON.stringify(after.map((r) => `${r.method} ${r.path}`)));
    assert.equal(after[0].path, uploadPath);
    assert.equal(after[1].path, uploadPath);
    assert.equal(after[1].headers['upload-offset'], String(CHUNK));
    const digest = sha256(photo).toString('hex');
    const stored = (await storedEvidence(token)).filter((e) => e.sha256 === digest);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].size_bytes, photo.length);
    assert.deepEqual(env.pageErrors, []);
  });
});
