// Findings, corrective actions, the conclusion and the follow-up board, at 1280×800 (and each
// screen once at 360×800): the reviewer confirms the finding proposed from a failed noise
// measurement, dismisses the other, requires a fix due in 14 days, checks what the enterprise
// will see and issues the conclusion; the follow-up board then shows the action open. The
// enterprise sends proof through the API, and the reviewer opens it on the board and verifies
// it. Everything the screens did is checked through the API.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import {
  INSPECTOR, REVIEWER, UI_TIMEOUT, api, checkScreen, drawJpeg, planInspection, signIn, startAll,
  tokenOf,
} from './support.mjs';

const ENTERPRISE_USER = { email: 'enterprise@kiemtra.test' };
const DECISION = '301/QĐ-TTr';
const NOISE = 'Tiếng ồn tương đương (LAeq) tại vị trí làm việc';
const GUARDS = 'Bộ phận chuyển động của máy có được che chắn an toàn không?';
const FIX = 'Lắp buồng cách âm cho máy dập và đo lại tiếng ồn.';
const LEGAL = 'QCVN 24:2016/BYT, mục 2.2.1';
const PROOF_EXPECTED = 'Kết quả quan trắc tiếng ồn sau khi lắp buồng cách âm.';

let env;
let desktop;
let phone;
let baseUrl;
let artifacts;
let pageErrors;
let inspectionId;

/** A date `days` from today in Hà Nội, as `YYYY-MM-DD` and as the screens write it. */
function dayFromToday(days) {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' })
    .format(new Date(Date.now() + days * 86_400_000));
  const [y, m, d] = iso.split('-');
  return { iso, shown: `${d}/${m}/${y}` };
}

/** A date `days` from the server's today (UTC), as `YYYY-MM-DD`. */
function utcDayFromToday(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Uploads `bytes` as evidence of the inspection through the API, with its digest. */
async function uploadEvidence(token, { id, itemKey, kind, bytes, contentType, fileName }) {
  const digest = createHash('sha256').update(bytes).digest('base64');
  const query = new URLSearchParams({
    inspection_id: inspectionId, item_key: itemKey, kind, file_name: fileName,
  });
  const response = await fetch(`${baseUrl}/api/v1/evidence/${id}?${query}`, {
    method: 'PUT',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': contentType,
      'Content-Digest': `sha-256=:${digest}:`,
    },
    body: bytes,
  });
  assert.equal(response.status, 201, await response.text());
}

/** The inspector submits a site checklist with a failed noise measurement (90 dBA over 8 h,
 * where the limit is 85) and unguarded machines. */
async function submitSiteResponse(id, inspector) {
  await api(baseUrl, 'POST', `/inspections/${id}/site-response`, {
    token: inspector,
    body: {
      id: randomUUID(),
      answers: {
        items: { 'osh.machine_guards': { type: 'yes_no', value: 'no' } },
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
}

before(async () => {
  env = await startAll('findings');
  ({ page: phone, baseUrl, artifacts, pageErrors } = env);
  const context = await env.browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  desktop = await context.newPage();
  desktop.on('pageerror', (error) => pageErrors.push(String(error)));

  inspectionId = await planInspection(baseUrl, DECISION, 'Thanh tra ATVSLĐ tại xưởng dập');
  const inspector = await tokenOf(baseUrl, INSPECTOR);
  await submitSiteResponse(inspectionId, inspector);
});

after(async () => {
  await env?.stop();
  assert.deepEqual(pageErrors, []);
});

describe('findings, conclusion and follow-up', () => {
  let actionId;
  const due = dayFromToday(14);

  it('proposes the finding of the failed noise measurement, with its limit and legal basis', async () => {
    await signIn(desktop, baseUrl, REVIEWER);
    await desktop.waitForURL(/\/agency$/);
    await desktop.goto(`${baseUrl}/agency/inspections/${inspectionId}/findings`);
    await desktop.getByRole('heading', { name: 'Vi phạm & khắc phục', level: 1 }).waitFor();

    const noise = desktop.getByRole('article', { name: NOISE });
    await noise.waitFor();
    await noise.getByText('Đề xuất', { exact: true }).waitFor();
    assert.match(await noise.innerText(), /90 dBA · 8 giờ/);
    assert.match(await noise.innerText(), /≤ 85 dBA \(8 giờ\)/);
    assert.match(await noise.locator('.finding__excess').innerText(), /^5 dBA/);
    assert.match(await noise.innerText(), /QCVN 24:2016\/BYT/);
    assert.equal(await desktop.getByRole('article', { name: GUARDS }).count(), 1);
    await checkScreen(desktop, artifacts, '01-findings-proposed-1280.png');
  });

  it('confirms the noise finding, dismisses the other and requires a fix due in 14 days', async () => {
    const noise = desktop.getByRole('article', { name: NOISE });
    await noise.getByRole('button', { name: 'Xác nhận' }).click();
    await noise.getByText('Đã xác nhận', { exact: true }).waitFor();
    const guards = desktop.getByRole('article', { name: GUARDS });
    await guards.getByRole('button', { name: 'Bỏ qua' }).click();
    await desktop.getByRole('region', { name: /Đã bỏ qua/ }).getByRole('article', { name: GUARDS }).waitFor();

    // Edit it: a precise legal basis, and the severity raised.
    await noise.getByRole('button', { name: 'Sửa' }).click();
    await noise.getByLabel('Căn cứ pháp lý').fill(LEGAL);
    await noise.getByRole('radio', { name: 'Đặc biệt nghiêm trọng' }).check();
    await noise.getByRole('button', { name: 'Lưu' }).click();
    await noise.locator('dd', { hasText: LEGAL }).waitFor();
    await noise.locator('dd', { hasText: 'Đặc biệt nghiêm trọng' }).waitFor();

    await noise.getByRole('button', { name: 'Thêm yêu cầu khắc phục' }).click();
    await noise.getByLabel('Việc phải khắc phục').fill(FIX);
    await noise.getByLabel('Minh chứng cần nộp').fill(PROOF_EXPECTED);
    assert.equal(await noise.getByLabel('Hạn khắc phục').inputValue(), due.iso, 'due in 14 days by default');
    await noise.getByRole('button', { name: 'Thêm yêu cầu khắc phục' }).click();
    await noise.locator('.action-list__item', { hasText: FIX }).getByText(due.shown).waitFor();
  });

  it('previews what the enterprise will see, then issues the conclusion', async () => {
    await desktop.getByLabel('Số kết luận').fill('301/KL-TTr');
    await desktop.getByLabel('Nội dung kết luận').fill('Doanh nghiệp vi phạm quy định về tiếng ồn tại nơi làm việc.');
    await desktop.getByLabel('Xử lý vi phạm (nếu có)').fill('Nhắc nhở, yêu cầu khắc phục.');
    const preview = desktop.getByRole('region', { name: 'Doanh nghiệp sẽ thấy' });
    const seen = await preview.innerText();
    assert.match(seen, new RegExp(NOISE.replace(/[()]/g, '\\$&')));
    assert.ok(seen.includes(LEGAL) && seen.includes('Đặc biệt nghiêm trọng'), seen);
    assert.ok(seen.includes(FIX) && seen.includes(PROOF_EXPECTED), seen);
    assert.ok(seen.includes(due.shown), seen);
    assert.ok(!seen.includes(GUARDS), 'a dismissed finding is not sent to the enterprise');
    await preview.scrollIntoViewIfNeeded();
    await checkScreen(desktop, artifacts, '02-conclusion-preview-1280.png');

    // The same screen on a phone, before issuing.
    await signIn(phone, baseUrl, REVIEWER);
    await phone.waitForURL(/\/agency$/);
    await phone.goto(`${baseUrl}/agency/inspections/${inspectionId}/findings`);
    await phone.getByRole('article', { name: NOISE }).waitFor();
    await checkScreen(phone, artifacts, '06-findings-360.png');
    await phone.getByRole('region', { name: 'Doanh nghiệp sẽ thấy' }).scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '07-conclusion-form-360.png');

    await desktop.getByRole('button', { name: 'Ban hành kết luận' }).click();
    await desktop.getByText('Kết luận đã ban hành', { exact: false }).waitFor();
    await desktop.getByRole('region', { name: 'Kết luận thanh tra' }).getByText('301/KL-TTr').waitFor();

    // Stored: the decisions on the findings, the action, the conclusion; the inspection concluded.
    const token = await tokenOf(baseUrl, REVIEWER);
    const findings = await api(baseUrl, 'GET', `/inspections/${inspectionId}/findings`, { token });
    const status = (key) => findings.find((f) => f.item_key === key)?.status;
    assert.equal(status('workshop.noise_laeq'), 'confirmed');
    assert.equal(status('osh.machine_guards'), 'dismissed');
    const noise = findings.find((f) => f.item_key === 'workshop.noise_laeq');
    assert.equal(noise.legal_basis, LEGAL);
    assert.equal(noise.severity, 'critical');
    const actions = await api(baseUrl, 'GET', `/inspections/${inspectionId}/corrective-actions`, { token });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].due_date, due.iso);
    assert.equal(actions[0].status, 'open');
    assert.ok(actions[0].description.startsWith(FIX) && actions[0].description.includes(PROOF_EXPECTED));
    assert.equal(actions[0].finding_id, findings.find((f) => f.item_key === 'workshop.noise_laeq').id);
    actionId = actions[0].id;
    const conclusion = await api(baseUrl, 'GET', `/inspections/${inspectionId}/conclusion`, { token });
    assert.equal(conclusion.number, '301/KL-TTr');
    assert.equal(conclusion.sanctions, 'Nhắc nhở, yêu cầu khắc phục.');
    const detail = await api(baseUrl, 'GET', `/inspections/${inspectionId}`, { token });
    assert.equal(detail.summary.status, 'concluded');
    await checkScreen(desktop, artifacts, '03-concluded-1280.png');
  });

  it('shows the action open on the follow-up board, and filters it by status and due date', async () => {
    const nav = desktop.getByRole('navigation', { name: 'Điều hướng' });
    await nav.getByRole('link', { name: 'Theo dõi khắc phục' }).click();
    await desktop.waitForURL(/\/agency\/follow-up$/);
    await desktop.getByRole('heading', { name: 'Theo dõi khắc phục', level: 1 }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Theo dõi khắc phục' }).locator('[aria-current=page]').count(), 1);
    const row = desktop.locator('tbody', { hasText: FIX });
    await row.getByRole('link', { name: DECISION }).waitFor();
    await row.getByText('Đang mở', { exact: true }).waitFor();
    assert.match(await row.innerText(), new RegExp(due.shown));
    await checkScreen(desktop, artifacts, '04-follow-up-open-1280.png');

    // The dashboard's links: nothing overdue, nothing due within 7 days (it is due in 14).
    await desktop.goto(`${baseUrl}/agency/follow-up?status=overdue`);
    await desktop.getByText('Không có yêu cầu khắc phục nào ở mục này.').waitFor();
    const overdueTab = desktop.getByRole('link', { name: 'Quá hạn' });
    assert.equal(await overdueTab.locator('[aria-current=page]').count(), 1);
    await desktop.goto(`${baseUrl}/agency/follow-up?due=week`);
    await desktop.getByText('Không có yêu cầu khắc phục nào ở mục này.').waitFor();
    await desktop.getByRole('link', { name: 'Đang mở' }).click();
    await desktop.waitForURL(/status=open/);
    await desktop.locator('tbody', { hasText: FIX }).waitFor();

    // The decision number leads back to the inspection's findings.
    await desktop.locator('tbody', { hasText: FIX }).getByRole('link', { name: DECISION }).click();
    await desktop.waitForURL(new RegExp(`/agency/inspections/${inspectionId}/findings$`));
    await desktop.getByRole('region', { name: 'Kết luận thanh tra' }).waitFor();
  });

  it('pages through the API when the board holds more than one page', async () => {
    // Another concluded inspection with 55 actions due in 30 days and one overdue: 57 in all.
    const other = await planInspection(baseUrl, '302/QĐ-TTr', 'Thanh tra ATVSLĐ tại kho');
    await submitSiteResponse(other, await tokenOf(baseUrl, INSPECTOR));
    const token = await tokenOf(baseUrl, REVIEWER);
    await api(baseUrl, 'POST', `/inspections/${other}/transition`, { token, body: { to: 'under_review' } });
    const finding = await api(baseUrl, 'POST', `/inspections/${other}/findings`, {
      token,
      body: { title: 'Thiếu biển báo', description: 'Kho không có biển báo.', legal_basis: null, severity: 'minor' },
    });
    for (let n = 1; n <= 55; n += 1) {
      await api(baseUrl, 'POST', `/findings/${finding.id}/corrective-actions`, {
        token, body: { description: `Đặt biển báo số ${n}`, due_date: dayFromToday(30).iso },
      });
    }

    // And one that was due 3 days ago: overdue, it comes first, marked in words and colour.
    const late = await api(baseUrl, 'POST', `/findings/${finding.id}/corrective-actions`, {
      // The server counts days late by its own (UTC) date.
      token, body: { description: 'Treo biển cấm lửa tại kho', due_date: utcDayFromToday(-3) },
    });
    await api(baseUrl, 'POST', `/inspections/${other}/conclusion`, {
      token, body: { number: '302/KL-TTr', summary: 'Thiếu biển báo.', sanctions: null },
    });

    await desktop.goto(`${baseUrl}/agency/follow-up`);
    await desktop.getByText('57 yêu cầu khắc phục · trang 1/2').waitFor();
    assert.equal(await desktop.locator('tbody.follow-up__action').count(), 50);
    const first = desktop.locator('tbody.follow-up__action').first();
    assert.match(await first.innerText(), /Treo biển cấm lửa tại kho/);
    assert.equal(await first.getAttribute('class'), 'follow-up__action follow-up__action--overdue');
    await first.getByText('Quá hạn', { exact: true }).waitFor();
    await first.getByText('Trễ 3 ngày').waitFor();
    await desktop.locator('tbody', { hasText: FIX }).waitFor();
    await checkScreen(desktop, artifacts, '04b-follow-up-overdue-1280.png');
    await desktop.goto(`${baseUrl}/agency/follow-up?status=overdue`);
    await desktop.getByText('1 yêu cầu khắc phục · trang 1/1').waitFor();
    const [line] = await api(baseUrl, 'GET', '/corrective-actions?status=overdue', { token });
    assert.equal(line.id, late.id);
    assert.equal(line.days_late, 3);

    await desktop.goto(`${baseUrl}/agency/follow-up`);
    await desktop.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau' }).click();
    await desktop.waitForURL(/page=2/);
    await desktop.getByText('57 yêu cầu khắc phục · trang 2/2').waitFor();
    assert.equal(await desktop.locator('tbody.follow-up__action').count(), 7);
    assert.equal(await desktop.locator('tbody', { hasText: FIX }).count(), 0);
    await desktop.getByRole('link', { name: 'Trang trước' }).waitFor();
  });

  it('opens the proof the enterprise sent, refuses a rejection without a reason, and verifies it', async () => {
    const enterprise = await tokenOf(baseUrl, ENTERPRISE_USER);
    const photoId = randomUUID();
    const documentId = randomUUID();
    const jpeg = await drawJpeg(desktop, { width: 800, height: 600, text: 'Buồng cách âm' });
    await uploadEvidence(enterprise, {
      id: photoId, itemKey: `proof.${actionId}`, kind: 'photo', bytes: jpeg,
      contentType: 'image/jpeg', fileName: 'buong-cach-am.jpg',
    });
    await uploadEvidence(enterprise, {
      id: documentId, itemKey: `proof.${actionId}`, kind: 'document',
      bytes: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      contentType: 'application/pdf', fileName: 'ket-qua-do-lai.pdf',
    });
    await api(baseUrl, 'POST', `/corrective-actions/${actionId}/proof`, {
      token: enterprise,
      body: { evidence_ids: [photoId, documentId], note: 'Đã lắp buồng cách âm, kết quả đo lại 82 dBA.' },
    });

    await desktop.goto(`${baseUrl}/agency/follow-up?status=proof_submitted`);
    const row = desktop.locator('tbody', { hasText: FIX });
    await row.getByText('Đã nộp minh chứng', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Xem minh chứng (2)' }).click();
    const photo = row.locator(`figure.photo[data-evidence-id="${photoId}"] img`);
    await photo.waitFor();
    await desktop.waitForFunction((img) => img.complete && img.naturalWidth > 0, await photo.elementHandle());
    await row.getByText('ket-qua-do-lai.pdf').waitFor();
    await row.getByText('kết quả đo lại 82 dBA', { exact: false }).waitFor();

    await row.getByRole('button', { name: 'Từ chối minh chứng' }).click();
    await row.getByRole('button', { name: 'Gửi từ chối' }).click();
    await row.getByText('Bắt buộc.').waitFor();
    assert.equal(await row.getByLabel('Lý do từ chối').getAttribute('aria-invalid'), 'true');
    await checkScreen(desktop, artifacts, '05-follow-up-proof-1280.png');
    await row.getByRole('button', { name: 'Huỷ' }).click();

    await row.getByRole('button', { name: 'Xác nhận đã khắc phục' }).click();
    await desktop.getByText('Đã xác nhận khắc phục.').waitFor();
    const token = await tokenOf(baseUrl, REVIEWER);
    const [action] = await api(baseUrl, 'GET', `/inspections/${inspectionId}/corrective-actions`, { token });
    assert.equal(action.status, 'verified');
    assert.ok(action.verified_at);
    await desktop.getByRole('link', { name: 'Đã xác nhận' }).click();
    await desktop.locator('tbody', { hasText: FIX }).getByText('Đã xác nhận', { exact: true }).waitFor();
  });

  it('shows the board on a 360 px phone, the table scrolling inside its frame', async () => {
    await phone.goto(`${baseUrl}/agency/follow-up`);
    await phone.locator('tbody', { hasText: FIX }).waitFor();
    await checkScreen(phone, artifacts, '08-follow-up-360.png');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    // The English switch.
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Follow-up of corrective actions' }).waitFor();
    await phone.locator('tbody', { hasText: FIX }).getByText('Verified', { exact: true }).waitFor();
    await phone.getByRole('button', { name: 'Tiếng Việt' }).click();
    await phone.getByRole('heading', { name: 'Theo dõi khắc phục', level: 1 }).waitFor();
    await phone.goto(`${baseUrl}/agency/inspections/${inspectionId}/findings`);
    await phone.getByRole('region', { name: 'Kết luận thanh tra' }).waitFor();
    await checkScreen(phone, artifacts, '09-concluded-360.png');
  });
});
