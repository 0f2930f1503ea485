// The enterprise portal, a download of its own under /portal, at 360×800 (a phone) and
// 1280×800: the enterprise user lands on its inspections, fills the questionnaire with a PDF
// attached to an item and submits it (once, though the button is pressed twice), amends it
// (version 2, as the reviewer reads through the API), fills the self-inspection with every item
// kind; after the agency concludes (through the API) with a finding and a corrective action,
// it sees them, sends a photo and a PDF as proof, sees the agency's rejection with its reason,
// sends proof again, and sees it verified. Another enterprise's inspection is "not found"
// and the API refuses it. The inspector's phone never downloads the portal bundle.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  ADMIN, INSPECTOR, REVIEWER, UI_TIMEOUT, answerEveryItem, api, checkScreen, drawJpeg, signIn, startAll,
  tokenOf,
} from './support.mjs';

const ENTERPRISE_USER = { email: 'enterprise@kiemtra.test' };
/** The demo enterprise's inspection (seed.rs): in progress, with both enterprise forms. */
const DECISION = '125/QĐ-TTr';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const FINDING = 'Chưa quan trắc môi trường lao động năm 2026';
const LEGAL = 'Điều 33 Luật An toàn, vệ sinh lao động 2015';
const FIX = 'Tổ chức quan trắc môi trường lao động và gửi kết quả.';
const REASON = 'Kết quả quan trắc chưa có chữ ký của đơn vị quan trắc.';

let env;
let phone;
let desktop;
let baseUrl;
let artifacts;
let pageErrors;
let inspectionId;

before(async () => {
  env = await startAll('portal');
  ({ baseUrl, artifacts, pageErrors } = env);
  phone = env.page;
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
    const path = new URL(response.url()).pathname;
    if (path.endsWith('.wasm')) seen.push(path);
  });
  return seen;
}

/** The card of an item of the form shown, by its key. */
function item(page, key) {
  return page.locator(`article.item[data-item-key="${key}"]`);
}

/** The enterprise forms of the demo inspection as the reviewer reads them. */
async function responsesAsReviewer() {
  const token = await tokenOf(baseUrl, REVIEWER);
  const detail = await api(baseUrl, 'GET', `/inspections/${inspectionId}`, { token });
  return { detail, token };
}

describe('enterprise portal', () => {
  it('never sends the portal bundle to the inspector on the phone', async () => {
    const seen = wasmDownloads(phone);
    await signIn(phone, baseUrl, INSPECTOR);
    await phone.waitForURL(/\/inspections$/);
    assert.ok(seen.length >= 1, 'the field app was loaded');
    assert.deepEqual(seen.filter((path) => path.startsWith('/portal')), []);
    const worker = await (await fetch(`${baseUrl}/sw.js`)).text();
    assert.ok(!/\/portal-[0-9a-f]{16}/.test(worker), 'the portal bundle is not precached');
  });

  it('takes the enterprise user to its inspections, each with its state in words', async () => {
    const seen = wasmDownloads(phone);
    await signIn(phone, baseUrl, ENTERPRISE_USER);
    await phone.waitForURL(/\/portal$/);
    await phone.getByRole('heading', { name: 'Cuộc thanh tra của doanh nghiệp', level: 1 }).waitFor();
    assert.ok(seen.some((path) => path.startsWith('/portal-')), 'the portal bundle was loaded');
    const card = phone.locator('.portal-card', { hasText: DECISION });
    await card.getByText('Chờ bạn điền phiếu').waitFor();
    await card.getByText('Phiếu thu thập thông tin, Bảng tự kiểm tra').waitFor();
    await card.getByText('Hạn: 23/11/2026').waitFor();
    // Only its own enterprise's inspections.
    assert.equal(await phone.locator('.portal-card', { hasText: '126/QĐ-TTr' }).count(), 0);
    await checkScreen(phone, artifacts, '01-home-360.png');
    const token = await tokenOf(baseUrl, ENTERPRISE_USER);
    const [own] = await api(baseUrl, 'GET', '/inspections', { token });
    inspectionId = own.id;
  });

  it('fills the questionnaire, keeps the draft across signing in again, attaches a PDF and submits once', async () => {
    await phone.locator('.portal-card', { hasText: DECISION }).getByRole('link').click();
    await phone.waitForURL(new RegExp(`/portal/inspections/${inspectionId}$`));
    await phone.getByRole('tab', { name: 'Phiếu thu thập thông tin' }).waitFor();
    await phone.getByRole('heading', { name: 'Phiếu thu thập thông tin', level: 2 }).waitFor();

    // The live check: a missing answer is told at its item.
    await phone.getByRole('button', { name: 'Nộp phiếu' }).click();
    await item(phone, 'info.business_line').locator('.problem', { hasText: 'Mục này bắt buộc phải trả lời.' }).waitFor();
    await checkScreen(phone, artifacts, '02-questionnaire-problems-360.png');

    await item(phone, 'info.business_line').locator('input, textarea').first().fill('Sản xuất linh kiện cơ khí');
    await item(phone, 'info.business_line').locator('.problem').waitFor({ state: 'detached' });
    // Kept on the device as typed: a reload brings it back.
    await phone.waitForFunction(async () => new Promise((resolve) => {
      const open = indexedDB.open('kiemtra');
      open.onsuccess = () => {
        const read = open.result.transaction('drafts').objectStore('drafts').getAll();
        read.onsuccess = () => resolve(JSON.stringify(read.result).includes('linh kiện'));
        read.onerror = () => resolve(false);
      };
      open.onerror = () => resolve(false);
    }));
    // The session ends (as when it expires): signing in again brings the draft back.
    await phone.evaluate(() => localStorage.removeItem('kiemtra.session'));
    await phone.reload();
    await phone.waitForURL(/\/login$/);
    await signIn(phone, baseUrl, ENTERPRISE_USER);
    await phone.waitForURL(/\/portal$/);
    await phone.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    await phone.getByText('Đã khôi phục bản nháp', { exact: false }).waitFor();
    assert.equal(
      await item(phone, 'info.business_line').locator('input, textarea').first().inputValue(),
      'Sản xuất linh kiện cơ khí',
    );

    await answerEveryItem(phone);
    // A file of a refused type is told at its item, and removed; the answers stay.
    const line = item(phone, 'info.business_line');
    await line.locator('input[type=file]').setInputFiles({
      name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('Ghi chú'),
    });
    await line.locator('.upload--failed').waitFor();
    await line.locator('.upload__actions').getByRole('button', { name: 'Xoá ảnh' }).click();
    await line.locator('figure.photo').waitFor({ state: 'detached' });
    assert.equal(await line.locator('input, textarea').first().inputValue(), 'Sản xuất linh kiện cơ khí');
    // A PDF attached to an item (the labour contracts).
    const contracts = item(phone, 'contract.indefinite');
    await contracts.locator('input[type=file]').setInputFiles({
      name: 'hop-dong-lao-dong.pdf', mimeType: 'application/pdf', buffer: PDF,
    });
    await contracts.getByText('hop-dong-lao-dong.pdf').waitFor();
    await contracts.getByText('Đã gửi', { exact: false }).waitFor();
    await contracts.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '03-questionnaire-document-360.png');

    // Pressed twice: one submission.
    const submit = phone.getByRole('button', { name: 'Nộp phiếu' });
    await submit.dblclick();
    await phone.getByText('Đã nộp · phiên bản 1').waitFor();
    await phone.getByText('Đã nộp phiếu thành công.').waitFor();
    await phone.getByRole('button', { name: 'Sửa đổi' }).waitFor();
    await checkScreen(phone, artifacts, '04-questionnaire-submitted-360.png');

    const { detail, token } = await responsesAsReviewer();
    const forms = detail.responses.filter((r) => r.template_id === detail.questionnaire.id);
    assert.equal(forms.length, 1);
    assert.equal(forms[0].status, 'submitted');
    assert.equal(forms[0].answers.items['info.business_line'].value, 'Sản xuất linh kiện cơ khí');
    const versions = await api(baseUrl, 'GET', `/responses/${forms[0].id}/versions`, { token });
    assert.equal(versions.length, 1);
    const pdf = detail.evidence.find((e) => e.item_key === 'contract.indefinite');
    assert.ok(pdf, 'the PDF is evidence of the item');
    assert.equal(pdf.kind, 'document');
  });

  it('amends the questionnaire from two tabs at once: the reviewer sees one version 2', async () => {
    await phone.getByRole('button', { name: 'Sửa đổi' }).click();
    const field = item(phone, 'info.contact_name').locator('input, textarea').first();
    await field.waitFor();
    assert.equal(await field.inputValue(), 'Sản xuất linh kiện cơ khí');
    await field.fill('Lê Văn Doanh');
    // The same draft open in a second tab: submitted from both at once, it is one submission.
    await phone.waitForFunction(async () => new Promise((resolve) => {
      const open = indexedDB.open('kiemtra');
      open.onsuccess = () => {
        const read = open.result.transaction('drafts').objectStore('drafts').getAll();
        read.onsuccess = () => resolve(JSON.stringify(read.result).includes('Lê Văn Doanh'));
        read.onerror = () => resolve(false);
      };
      open.onerror = () => resolve(false);
    }));
    const second = await env.context.newPage();
    second.on('pageerror', (error) => pageErrors.push(String(error)));
    await second.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    const copy = item(second, 'info.contact_name').locator('input, textarea').first();
    await copy.waitFor();
    assert.equal(await copy.inputValue(), 'Lê Văn Doanh');
    await Promise.all([
      phone.getByRole('button', { name: 'Nộp phiếu' }).click(),
      second.getByRole('button', { name: 'Nộp phiếu' }).click(),
    ]);
    await phone.getByText('Đã nộp · phiên bản 2').waitFor();
    await second.getByText('Đã nộp · phiên bản 2').waitFor();
    await second.close();

    const { detail, token } = await responsesAsReviewer();
    const current = detail.responses.find((r) => r.template_id === detail.questionnaire.id);
    assert.equal(current.version, 2);
    assert.equal(current.status, 'submitted');
    const versions = await api(baseUrl, 'GET', `/responses/${current.id}/versions`, { token });
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'superseded'], [2, 'submitted']]);
    assert.equal(versions[1].answers.items['info.contact_name'].value, 'Lê Văn Doanh');
  });

  it('fills the self-inspection with every item kind on a desktop', async () => {
    await signIn(desktop, baseUrl, ENTERPRISE_USER);
    await desktop.waitForURL(/\/portal$/);
    await desktop.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    await desktop.getByRole('tab', { name: 'Bảng tự kiểm tra' }).click();
    await desktop.getByRole('heading', { name: 'Bảng tự kiểm tra', level: 2 }).waitFor();
    // The repeated section: one violation the enterprise found itself.
    await desktop.getByRole('button', { name: /^Thêm/ }).click();
    await answerEveryItem(desktop);
    const kinds = new Set(await desktop.locator('article.item').evaluateAll(
      (cards) => cards.map((card) => card.getAttribute('data-kind')),
    ));
    for (const kind of ['text', 'number', 'yes_no', 'single_choice', 'date', 'signature']) {
      assert.ok(kinds.has(kind), `the self-inspection shows a ${kind} item`);
    }
    await checkScreen(desktop, artifacts, '05-self-inspection-1280.png');
    // Open in a second tab too (the signature's image with it), and submitted from both.
    const second = await desktop.context().newPage();
    second.on('pageerror', (error) => pageErrors.push(String(error)));
    await second.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    await second.getByRole('tab', { name: 'Bảng tự kiểm tra' }).click();
    await item(second, 'confirmation.signature').locator('.signature__saved img').waitFor();
    await Promise.all([
      desktop.getByRole('button', { name: 'Nộp phiếu' }).click(),
      second.getByRole('button', { name: 'Nộp phiếu' }).click(),
    ]);
    await desktop.getByText('Đã nộp · phiên bản 1').waitFor();
    await second.getByText('Đã nộp · phiên bản 1').waitFor();
    await second.close();
    await checkScreen(desktop, artifacts, '06-self-inspection-submitted-1280.png');

    const { detail } = await responsesAsReviewer();
    const current = detail.responses.find((r) => r.template_id === detail.self_inspection.id);
    assert.equal(current.status, 'submitted');
    assert.equal(current.answers.items['confirmation.signature'].type, 'signature');
    assert.equal(current.answers.repeats.violations.length, 1);
    const versions = await api(baseUrl, 'GET', `/responses/${current.id}/versions`, { token: await tokenOf(baseUrl, REVIEWER) });
    assert.equal(versions.length, 1);

    await desktop.goto(`${baseUrl}/portal`);
    await desktop.locator('.portal-card', { hasText: DECISION }).getByText('Đã nộp, chờ đoàn thanh tra').waitFor();
    await checkScreen(desktop, artifacts, '07-home-1280.png');
    // In English at the switch of a button, and back.
    await desktop.getByRole('button', { name: 'English' }).click();
    await desktop.getByRole('heading', { name: "Your enterprise's inspections", level: 1 }).waitFor();
    await desktop.locator('.portal-card', { hasText: DECISION })
      .getByText('Submitted, waiting for the inspection team').waitFor();
    await checkScreen(desktop, artifacts, '07b-home-english-1280.png');
    await desktop.getByRole('button', { name: 'Tiếng Việt' }).click();
    await desktop.getByRole('heading', { name: 'Cuộc thanh tra của doanh nghiệp', level: 1 }).waitFor();
  });

  let actionId;

  it('shows the conclusion: the finding with its legal basis and the action with its due date', async () => {
    // The agency, through the API: the site checklist, the review, a finding, an action, the
    // conclusion.
    const inspector = await tokenOf(baseUrl, INSPECTOR);
    const reviewer = await tokenOf(baseUrl, REVIEWER);
    await api(baseUrl, 'POST', `/inspections/${inspectionId}/site-response`, {
      token: inspector,
      body: {
        id: randomUUID(),
        answers: {
          items: { 'osh.machine_guards': { type: 'yes_no', value: 'no' } },
          repeats: {
            workshops: [{
              'workshop.name': { type: 'text', value: 'Xưởng dập' },
              'workshop.area_type': { type: 'choice', value: 'office' },
            }],
          },
        },
      },
    });
    await api(baseUrl, 'POST', `/inspections/${inspectionId}/transition`, { token: reviewer, body: { to: 'under_review' } });
    const finding = await api(baseUrl, 'POST', `/inspections/${inspectionId}/findings`, {
      token: reviewer,
      body: { title: FINDING, description: 'Không có kết quả quan trắc năm 2026.', legal_basis: LEGAL, severity: 'major' },
    });
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const action = await api(baseUrl, 'POST', `/findings/${finding.id}/corrective-actions`, {
      token: reviewer, body: { description: FIX, due_date: due },
    });
    actionId = action.id;
    // And one already late, to be marked with its days late.
    const late = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await api(baseUrl, 'POST', `/findings/${finding.id}/corrective-actions`, {
      token: reviewer, body: { description: 'Bổ sung hồ sơ huấn luyện an toàn.', due_date: late },
    });
    await api(baseUrl, 'POST', `/inspections/${inspectionId}/conclusion`, {
      token: reviewer, body: { number: '125/KL-TTr', summary: 'Doanh nghiệp cần khắc phục.', sanctions: null },
    });

    await phone.goto(`${baseUrl}/portal`);
    const card = phone.locator('.portal-card', { hasText: DECISION });
    await card.getByText('2 yêu cầu khắc phục, 1 quá hạn').waitFor();
    await card.getByRole('link').click();
    await phone.getByRole('heading', { name: 'Kết luận số 125/KL-TTr' }).waitFor();
    const findingCard = phone.locator('.portal-finding', { hasText: FINDING });
    await findingCard.getByText(LEGAL).waitFor();
    const open = findingCard.locator('.portal-action', { hasText: FIX });
    const [y, m, d] = due.split('-');
    await open.getByText(`Hạn: ${d}/${m}/${y}`, { exact: false }).waitFor();
    await open.getByText('Chưa khắc phục').waitFor();
    const overdue = findingCard.locator('.portal-action', { hasText: 'Bổ sung hồ sơ huấn luyện' });
    await overdue.getByText(/Quá hạn \d+ ngày/).waitFor();
    await checkScreen(phone, artifacts, '08-conclusion-360.png');
    await overdue.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '08b-overdue-action-360.png');
  });

  it('sends a photo and a PDF as proof; after the rejection sees the reason and sends new proof', async () => {
    const action = phone.locator('.portal-action', { hasText: FIX });
    const jpeg = await drawJpeg(phone, { width: 800, height: 600, text: 'Quan trắc' });
    await action.locator('input[type=file]').setInputFiles([
      { name: 'quan-trac.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      { name: 'ket-qua-quan-trac.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await action.getByText('quan-trac.jpg').waitFor();
    await action.getByText('ket-qua-quan-trac.pdf').waitFor();
    await action.getByText('Đã gửi', { exact: false }).first().waitFor();
    await action.scrollIntoViewIfNeeded();
    await action.getByLabel('Ghi chú').fill('Đã quan trắc ngày 01/12/2026.');
    await checkScreen(phone, artifacts, '08c-proof-chosen-360.png');
    await action.getByRole('button', { name: 'Gửi bằng chứng' }).click();
    await action.getByText('Đã gửi bằng chứng, chờ xác nhận').waitFor();
    await action.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '09-proof-sent-360.png');

    const reviewer = await tokenOf(baseUrl, REVIEWER);
    let [stored] = (await api(baseUrl, 'GET', `/inspections/${inspectionId}/corrective-actions`, { token: reviewer }))
      .filter((a) => a.id === actionId);
    assert.equal(stored.status, 'proof_submitted');
    assert.equal(stored.proof.length, 2);
    assert.equal(stored.proof_note, 'Đã quan trắc ngày 01/12/2026.');

    await api(baseUrl, 'POST', `/corrective-actions/${actionId}/verify`, {
      token: reviewer, body: { accepted: false, reason: REASON },
    });
    await phone.reload();
    const again = phone.locator('.portal-action', { hasText: FIX });
    await again.getByText(REASON, { exact: false }).waitFor();
    await again.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '10-proof-rejected-360.png');
    await again.locator('input[type=file]').setInputFiles({
      name: 'ket-qua-co-chu-ky.pdf', mimeType: 'application/pdf', buffer: PDF,
    });
    await again.getByText('ket-qua-co-chu-ky.pdf').waitFor();
    await again.getByRole('button', { name: 'Gửi lại bằng chứng' }).click();
    await again.getByText('Đã gửi bằng chứng, chờ xác nhận').waitFor();

    [stored] = (await api(baseUrl, 'GET', `/inspections/${inspectionId}/corrective-actions`, { token: reviewer }))
      .filter((a) => a.id === actionId);
    assert.equal(stored.status, 'proof_submitted');
    await api(baseUrl, 'POST', `/corrective-actions/${actionId}/verify`, {
      token: reviewer, body: { accepted: true, reason: null },
    });
    await desktop.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    const verified = desktop.locator('.portal-action', { hasText: FIX });
    await verified.getByText('Đã xác nhận khắc phục').waitFor();
    await verified.scrollIntoViewIfNeeded();
    await checkScreen(desktop, artifacts, '11-verified-1280.png');
  });

  it("tells the enterprise user another enterprise's inspection is not there, as the API does", async () => {
    const admin = await tokenOf(baseUrl, ADMIN);
    const all = await api(baseUrl, 'GET', '/inspections?per_page=100', { token: admin });
    const other = (all.items ?? all).find((i) => i.decision_number === '126/QĐ-TTr');
    await phone.goto(`${baseUrl}/portal/inspections/${other.id}`);
    await phone.getByRole('heading', { name: 'Không tìm thấy' }).waitFor();
    await checkScreen(phone, artifacts, '12-other-enterprise-360.png');
    const token = await tokenOf(baseUrl, ENTERPRISE_USER);
    const refused = await fetch(`${baseUrl}/api/v1/inspections/${other.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 404);
    const conclusion = await fetch(`${baseUrl}/api/v1/inspections/${other.id}/corrective-actions`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.ok([403, 404].includes(conclusion.status));
  });

  it('shows agency staff the "not allowed" page on a portal URL', async () => {
    // Signed out first: the sign-in page sends a signed-in user on at once.
    await desktop.evaluate(() => localStorage.removeItem('kiemtra.session'));
    await signIn(desktop, baseUrl, REVIEWER);
    await desktop.waitForURL(/\/agency$/);
    await desktop.goto(`${baseUrl}/portal`);
    await desktop.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    await checkScreen(desktop, artifacts, '13-reviewer-not-allowed-1280.png');
  });

  it('had no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
