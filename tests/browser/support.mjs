// What the browser tests share: the server under test (`kiemtra --demo` on a free port, fresh data
// dir), Debian's Chromium as a 360×800 phone, signing in, and a real JPEG to photograph.
//
//   KIEMTRA_BIN  = the server binary
//   KIEMTRA_DIST = the built PWA (`cargo xtask build-pwa`)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));

export const PASSWORD = 'kiemtra-demo';
export const ADMIN = { email: 'admin@kiemtra.test' };
export const INSPECTOR = { email: 'inspector@kiemtra.test', name: 'Nguyễn Văn Kiểm', role: 'Thanh tra viên' };
export const REVIEWER = { email: 'reviewer@kiemtra.test', name: 'Trần Thị Duyệt', role: 'Người duyệt' };
// Where the emulated phone is; photos and the record's position must carry it.
export const SITE = { latitude: 21.1389, longitude: 105.8122 };
export const SITE_TEXT = `${SITE.latitude.toFixed(5)}, ${SITE.longitude.toFixed(5)}`;

/** How long any one expected state may take to appear. */
export const UI_TIMEOUT = 15_000;
const SERVER_START_TIMEOUT = 60_000;

/**
 * Starts the server and a phone-sized browser; `artifacts` is a fresh folder for this test
 * file's screenshots. Page errors and Rust panics are collected in `pageErrors`.
 */
export async function startAll(name) {
  const bin = requiredEnv('KIEMTRA_BIN');
  const dist = requiredEnv('KIEMTRA_DIST');
  const artifacts = join(here, 'artifacts', name);
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'kiemtra-browser-'));
  const { server, baseUrl } = await startServer(bin, dist, dataDir);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const context = await browser.newContext({
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
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    // A Rust panic in the wasm is reported on the console by the panic hook.
    if (message.type() === 'error' && /panicked/.test(message.text())) pageErrors.push(message.text());
  });
  const stop = async () => {
    await browser?.close();
    await stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
  };
  return { server, baseUrl, browser, context, page, pageErrors, artifacts, stop };
}

export async function signIn(page, baseUrl, user) {
  // Start signed out even when an earlier test failed before signing out. The session is
  // cleared from a page of the same origin that runs no app: a signed-in app page would
  // navigate away (to the user's own screens) under the script.
  await page.goto(baseUrl + '/api/health');
  await page.evaluate(() => localStorage.removeItem('kiemtra.session'));
  await page.goto(baseUrl + '/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

export async function expectAppBar(page, user) {
  const bar = page.locator('header.app-bar');
  await bar.getByText(user.name, { exact: true }).waitFor();
  await bar.getByText(user.role, { exact: true }).waitFor();
}

/** Waits until a photo in `scope` has decoded, and checks it is the picture that was taken. */
export async function expectPhotoRendered(page, scope, width) {
  const image = scope.locator('figure.photo img').first();
  await image.waitFor();
  const handle = await image.elementHandle();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, handle, { timeout: UI_TIMEOUT });
  assert.equal(await image.evaluate((img) => img.naturalWidth), width);
}

/** A real JPEG, drawn on a canvas by the browser. */
export async function drawJpeg(page, { width, height, text }) {
  const dataUrl = await page.evaluate(({ width, height, text }) => {
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
    g.fillText(text, 40, 70);
    return canvas.toDataURL('image/jpeg', 0.9);
  }, { width, height, text });
  const buffer = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  assert.deepEqual([...buffer.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the canvas did not give a JPEG');
  return buffer;
}

/**
 * Plans an inspection of the demo enterprise with the OSH site checklist, the demo reviewer as
 * its lead and the demo inspector on its team, and starts it. With `questionnaire`, the
 * enterprise is asked to fill the published questionnaire too. Answers its id.
 */
export async function planInspection(baseUrl, decisionNumber, title, { questionnaire = false } = {}) {
  const { access_token: token } = await api(baseUrl, 'POST', '/auth/login', {
    body: { email: ADMIN.email, password: PASSWORD },
  });
  const users = await api(baseUrl, 'GET', '/users', { token });
  const idOf = (email) => users.find((u) => u.email === email).id;
  const enterprises = await api(baseUrl, 'GET', '/enterprises?q=0101234567', { token });
  const templates = await api(baseUrl, 'GET', '/templates?kind=site_checklist', { token });
  const site = templates.find((t) => t.status === 'published' && t.code === 'osh-site-checklist');
  const form = questionnaire
    ? (await api(baseUrl, 'GET', '/templates?kind=questionnaire', { token })).find((t) => t.status === 'published')
    : null;
  const inspection = await api(baseUrl, 'POST', '/inspections', {
    token,
    body: {
      enterprise_id: enterprises.items[0].id,
      decision_number: decisionNumber,
      title,
      campaign: null,
      planned_start: '2026-11-23',
      planned_end: '2026-11-27',
      lead_id: idOf(REVIEWER.email),
      member_ids: [idOf(INSPECTOR.email)],
      site_template_id: site.id,
      questionnaire_template_id: form?.id ?? null,
      self_inspection_template_id: null,
    },
  });
  const id = inspection.summary.id;
  await api(baseUrl, 'POST', `/inspections/${id}/transition`, { token, body: { to: 'in_progress' } });
  return id;
}

/** An access token of `user`, for reading through the API what the interface sent. */
export async function tokenOf(baseUrl, user) {
  const { access_token: token } = await api(baseUrl, 'POST', '/auth/login', {
    body: { email: user.email, password: PASSWORD },
  });
  return token;
}

/** How many records a store of the app's IndexedDB database holds. */
export async function storedCount(page, store) {
  return page.evaluate((store) => new Promise((resolve, reject) => {
    const open = indexedDB.open('kiemtra');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const request = db.transaction(store, 'readonly').objectStore(store).count();
      request.onsuccess = () => { db.close(); resolve(request.result); };
      request.onerror = () => { db.close(); reject(request.error); };
    };
  }), store);
}

/** Calls the API directly (to arrange what the interface does not do yet). */
export async function api(baseUrl, method, path, { token, body } = {}) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
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

/** Starts the server alone (no browser), for protocol tests; `stop()` ends it and removes its data. */
export async function startServerOnly() {
  const bin = requiredEnv('KIEMTRA_BIN');
  const dist = requiredEnv('KIEMTRA_DIST');
  const dataDir = await mkdtemp(join(tmpdir(), 'kiemtra-server-'));
  const { server, baseUrl } = await startServer(bin, dist, dataDir);
  const stop = async () => {
    await stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
  };
  return { baseUrl, stop };
}

/**
 * Looks at a screen as a person and as assistive technology would: saves a screenshot under
 * `artifacts`, then runs axe-core (WCAG 2.1 A and AA rules) on the page and fails on any
 * serious or critical violation, naming the rule and the elements.
 */
export async function checkScreen(page, artifacts, name) {
  await page.screenshot({ path: join(artifacts, name) });
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = blocking.map((v) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`);
  assert.deepEqual(described, [], `axe-core found serious or critical violations on ${name}`);
}

/** `sha-256=:<base64>:`, the `Content-Digest` of an upload (RFC 9530). */
export function contentDigest(bytes) {
  return `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
}

/**
 * Arranges an inspection waiting for review, through the API: planned with the OSH site
 * checklist and started (`planInspection`), `photos` JPEGs of the machine guards uploaded by the
 * demo inspector (drawn by `page`, each with its number, its capture time and the site's
 * position), then the site checklist submitted with them: machine guards missing, and a noise
 * measurement of 90 dBA over an 8-hour shift where the limit is 85 (a failed measurement, which
 * the findings are proposed from). The first `attached` photos (all by default) are attached to
 * the machine-guards answer; the others are evidence of the inspection all the same. Given an
 * `inspection` id already planned and started, captures on it instead of planning one. Answers
 * `{ id, evidenceIds }`, the evidence in upload order.
 */
export async function submittedInspectionWithPhotos(baseUrl, page, {
  decisionNumber, title = 'Kiểm tra an toàn máy dập', photos = 5, attached = photos, width = 1200, height = 900,
  inspection = null,
} = {}) {
  const id = inspection ?? await planInspection(baseUrl, decisionNumber, title);
  const token = await tokenOf(baseUrl, INSPECTOR);
  const evidenceIds = [];
  for (let n = 1; n <= photos; n += 1) {
    const bytes = await drawJpeg(page, { width, height, text: `Ảnh ${n}` });
    const evidenceId = randomUUID();
    const query = new URLSearchParams({
      inspection_id: id,
      item_key: 'osh.machine_guards',
      kind: 'photo',
      captured_at: new Date(Date.UTC(2026, 10, 23, 8, n)).toISOString(),
      latitude: String(SITE.latitude),
      longitude: String(SITE.longitude),
      file_name: `may-dap-${n}.jpg`,
    });
    const response = await fetch(`${baseUrl}/api/v1/evidence/${evidenceId}?${query}`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'image/jpeg',
        'Content-Digest': contentDigest(bytes),
      },
      body: bytes,
    });
    assert.equal(response.status, 201, `uploading photo ${n}: ${await response.text()}`);
    evidenceIds.push(evidenceId);
  }
  await api(baseUrl, 'POST', `/inspections/${id}/site-response`, {
    token,
    body: {
      id: randomUUID(),
      answers: {
        items: { 'osh.machine_guards': { type: 'yes_no', value: 'no', photos: evidenceIds.slice(0, attached) } },
        repeats: {
          workshops: [{
            'workshop.name': { type: 'text', value: 'Xưởng dập' },
            'workshop.area_type': { type: 'choice', value: 'production' },
            'workshop.noise_laeq': {
              type: 'measurement',
              value: {
                value: 90, unit: 'dBA', instrument: 'Rion NL-42',
                measured_at: '2026-11-23T09:00:00Z', exposure_minutes: 480,
              },
            },
          }],
        },
      },
    },
  });
  return { id, evidenceIds };
}

/**
 * Answers every item of the form shown that has no answer yet, by its kind: numbers 5, text,
 * "Có", the first option, a date, a drawn signature. Repeats until no item is left (answers may
 * show more items).
 */
export async function answerEveryItem(page) {
  const done = new Set();
  for (let round = 0; round < 5; round += 1) {
    const cards = await page.locator('article.item').all();
    let answered = 0;
    for (const card of cards) {
      const id = await card.getAttribute('id');
      if (done.has(id)) continue;
      done.add(id);
      answered += 1;
      const kind = await card.getAttribute('data-kind');
      switch (kind) {
        case 'number':
          await card.locator('input').first().fill('5');
          break;
        case 'text':
          await card.locator('input, textarea').first().fill('Sản xuất linh kiện cơ khí');
          break;
        case 'yes_no':
          await card.getByRole('radio', { name: 'Có', exact: true }).check();
          break;
        case 'single_choice':
          await card.getByRole('radio').first().check();
          break;
        case 'multiple_choice':
          await card.getByRole('checkbox').first().check();
          break;
        case 'date':
          await card.locator('input[type=date]').fill('2026-11-10');
          break;
        case 'signature': {
          await card.getByLabel('Họ và tên người ký').fill('Lê Văn Doanh');
          await card.getByLabel('Chức vụ').fill('Giám đốc');
          const pad = card.locator('canvas');
          await pad.evaluate((element) => element.scrollIntoView({ block: 'center' }));
          const box = await pad.boundingBox();
          await page.mouse.move(box.x + 30, box.y + 100);
          await page.mouse.down();
          for (const [x, y] of [[70, 40], [110, 110], [150, 50], [200, 100]]) {
            await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
          }
          await page.mouse.up();
          await card.getByRole('button', { name: 'Lưu chữ ký' }).click();
          await card.locator('.signature__saved img').waitFor();
          break;
        }
        default:
          throw new Error(`no way to answer an item of kind ${kind}`);
      }
    }
    if (answered === 0) return;
  }
}
