// The walking skeleton end to end, in Debian's Chromium on a 360×800 phone screen:
// an inspector signs in, answers the site checklist, attaches a photo and submits; a reviewer
// then sees the answers and the photo itself.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here) with
//   KIEMTRA_BIN  = the server binary (started here with `--demo`, on a free port, fresh data dir)
//   KIEMTRA_DIST = the built PWA (`cargo xtask build-pwa`)
// The tests of this file run in order and share one server and one browser: the reviewer reads
// what the inspector submitted.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');

const PASSWORD = 'kiemtra-demo';
const INSPECTOR = { email: 'inspector@kiemtra.test', name: 'Nguyễn Văn Kiểm', role: 'Thanh tra viên' };
const REVIEWER = { email: 'reviewer@kiemtra.test', name: 'Trần Thị Duyệt', role: 'Người duyệt' };
const DECISION_NUMBER = '125/QĐ-TTr';
const ENTERPRISE = 'Công ty TNHH Cơ khí Sông Hồng';
// Where the emulated phone is; the photo must carry it to the reviewer.
const SITE = { latitude: 21.1389, longitude: 105.8122 };
const SITE_TEXT = `${SITE.latitude.toFixed(5)}, ${SITE.longitude.toFixed(5)}`;
const PHOTO = { width: 640, height: 480 };

/** How long any one expected state may take to appear. */
const UI_TIMEOUT = 15_000;
const SERVER_START_TIMEOUT = 60_000;

let server;
let dataDir;
let browser;
let context;
let page;
let baseUrl;
const pageErrors = [];

before(async () => {
  const bin = requiredEnv('KIEMTRA_BIN');
  const dist = requiredEnv('KIEMTRA_DIST');
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), 'kiemtra-browser-'));
  ({ server, baseUrl } = await startServer(bin, dist, dataDir));

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context = await browser.newContext({
    viewport: { width: 360, height: 800 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    geolocation: SITE,
    permissions: ['geolocation'],
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    // A Rust panic in the wasm is reported on the console by the panic hook.
    if (message.type() === 'error' && /panicked/.test(message.text())) pageErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await stopServer(server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
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
    await page.screenshot({ path: join(artifacts, '01-login-error.png') });
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
    await page.screenshot({ path: join(artifacts, '02-inspector-list.png') });
  });

  it('lets the inspector answer the site checklist with a photo and submit it', async () => {
    const card = page.getByRole('link').filter({ hasText: DECISION_NUMBER });
    await card.click();
    await page.waitForURL(/\/inspections\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
    await page.screenshot({ path: join(artifacts, '03-inspector-detail-top.png') });

    const groups = page.getByRole('radiogroup');
    const count = await groups.count();
    assert.ok(count >= 1, 'the checklist has no yes/no item');
    for (let i = 0; i < count; i++) {
      await groups.nth(i).getByRole('radio', { name: 'Có', exact: true }).check();
    }

    const firstItem = page.locator('article.item').first();
    const photoInput = firstItem.locator('input[type=file][accept="image/*"][capture="environment"]');
    await photoInput.setInputFiles({ name: 'may-cat.jpg', mimeType: 'image/jpeg', buffer: await drawJpeg(PHOTO) });
    const preview = firstItem.locator('figure.photo');
    await preview.locator('img').waitFor();
    // The position arrives after the photo is kept; wait for it so that it is uploaded too.
    await preview.getByText(SITE_TEXT).waitFor();
    await preview.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, '04-inspector-filled.png') });

    await page.getByRole('button', { name: 'Nộp phiếu' }).click();
    await page.getByText('Đã nộp phiếu thành công.').waitFor();
    await page.locator('.tag--submitted', { hasText: 'Đã nộp' }).waitFor();
    // The submitted view shows the stored answer and the stored photo, not the form.
    assert.equal(await page.getByRole('button', { name: 'Nộp phiếu' }).count(), 0);
    assert.equal(await firstItem.locator('.answer').innerText(), 'Có');
    await expectPhotoRendered(firstItem, PHOTO.width);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, '05-inspector-submitted.png') });

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(baseUrl + '/inspections');
    await page.waitForURL(/\/login$/);
  });

  it('shows the reviewer the submitted answers and the photo', async () => {
    await signIn(REVIEWER);
    await page.waitForURL(/\/inspections$/);
    await expectAppBar(REVIEWER);
    await page.getByRole('link').filter({ hasText: DECISION_NUMBER }).click();
    await page.waitForURL(/\/inspections\/[0-9a-f-]{36}$/);

    const firstItem = page.locator('article.item').first();
    await firstItem.waitFor();
    await page.locator('.tag--submitted', { hasText: 'Đã nộp' }).waitFor();
    assert.equal(await page.getByRole('radio').count(), 0, 'the reviewer sees a form');
    assert.equal(await page.locator('input[type=file]').count(), 0, 'the reviewer can add photos');
    const answers = await page.locator('article.item .answer').allInnerTexts();
    assert.ok(answers.length >= 1);
    assert.deepEqual(answers, answers.map(() => 'Có'));

    await expectPhotoRendered(firstItem, PHOTO.width);
    await firstItem.getByText(SITE_TEXT).waitFor();
    await firstItem.locator('figure.photo').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, '06-reviewer-photo.png') });
    assert.deepEqual(pageErrors, []);
  });

  it('opens from the service worker cache when offline', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    try {
      await page.goto(baseUrl + '/inspections');
      // The app shell starts; the API cannot be reached and says so.
      await expectAppBar(REVIEWER);
      await page.getByRole('alert').filter({ hasText: 'Không kết nối được máy chủ' }).waitFor();
      await page.screenshot({ path: join(artifacts, '07-offline.png') });
    } finally {
      await context.setOffline(false);
    }
  });
});

async function signIn(user) {
  // Start signed out even when an earlier test failed before signing out.
  await page.goto(baseUrl + '/login');
  await page.evaluate(() => localStorage.removeItem('kiemtra.session'));
  await page.reload();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function expectAppBar(user) {
  const bar = page.locator('header.app-bar');
  await bar.getByText(user.name, { exact: true }).waitFor();
  await bar.getByText(user.role, { exact: true }).waitFor();
}

/** Waits until the item's photo has decoded, and checks it is the picture that was taken. */
async function expectPhotoRendered(item, width) {
  const image = item.locator('figure.photo img');
  await image.waitFor();
  const handle = await image.elementHandle();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, handle, { timeout: UI_TIMEOUT });
  assert.equal(await image.evaluate((img) => img.naturalWidth), width);
}

/** A real JPEG, drawn on a canvas by the browser. */
async function drawJpeg({ width, height }) {
  const dataUrl = await page.evaluate(({ width, height }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2f6f4f';
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#f2c14e';
    g.fillRect(width * 0.2, height * 0.3, width * 0.6, height * 0.4);
    g.fillStyle = '#ffffff';
    g.font = 'bold 40px sans-serif';
    g.fillText('Che chắn máy', 40, 70);
    return canvas.toDataURL('image/jpeg', 0.9);
  }, { width, height });
  const buffer = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  assert.deepEqual([...buffer.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the canvas did not give a JPEG');
  return buffer;
}

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through \`cargo xtask test\`)`);
  return value;
}

/** Starts `kiemtra --demo` on a free port and waits for the line that says where it listens. */
function startServer(bin, dist, dataDir) {
  const child = spawn(bin, ['--demo'], {
    env: {
      ...process.env,
      APP__SERVER__HOST: '127.0.0.1',
      APP__SERVER__PORT: '0',
      APP__DATA_DIR: dataDir,
      APP__SERVER__PUBLIC_DIR: dist,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not say it was listening within ${SERVER_START_TIMEOUT} ms\n${stderr}`));
    }, SERVER_START_TIMEOUT);
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      reject(new Error(`the server exited (${code ?? signal}) before listening\n${stderr}`));
    });
    child.once('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = line.match(/kiemtra listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(deadline);
        child.removeAllListeners('exit');
        resolve({ server: child, baseUrl: match[1] });
      }
    });
  });
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(forced);
}
