// The whole loop across the three roles, in order, on one inspection planned for this test: the
// enterprise accepts its invitation, fills the questionnaire with a PDF and submits it (portal,
// 360×800); the inspector captures on site (through the API helpers of support.mjs: the phone's
// capture has its own tests in site-checklist.test.mjs); the reviewer approves the photos,
// confirms the finding proposed from the failed noise measurement with an action due in 14 days
// and issues the conclusion (agency, 1280×800); the enterprise sees the finding and the action
// and sends a photo and a PDF as proof; the reviewer rejects it with a reason on the follow-up
// board; the enterprise reads the reason and sends new proof; the reviewer verifies it.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  REVIEWER, UI_TIMEOUT, answerEveryItem, api, checkScreen, drawJpeg, planInspection, signIn, startAll,
  submittedInspectionWithPhotos, tokenOf,
} from './support.mjs';

const DECISION = '401/QĐ-TTr';
const TITLE = 'Thanh tra ATVSLĐ trọn vòng tại xưởng dập';
const INVITEE = { email: 'pham.van.binh@songhong.test', name: 'Phạm Văn Bình' };
const INVITEE_PASSWORD = 'Song-Hong-Loop-2026';
const NOISE = 'Tiếng ồn tương đương (LAeq) tại vị trí làm việc';
const GUARDS = 'Bộ phận chuyển động của máy có được che chắn an toàn không?';
const FIX = 'Lắp buồng cách âm cho máy dập và đo lại tiếng ồn.';
const PROOF_EXPECTED = 'Kết quả quan trắc tiếng ồn sau khi lắp buồng cách âm.';
const CONCLUSION = '401/KL-TTr';
const REASON = 'Kết quả đo lại chưa có chữ ký của đơn vị quan trắc.';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let env;
let baseUrl;
let artifacts;
let pageErrors;
/** The enterprise's phone. */
let phone;
/** The reviewer's desktop, in a context of its own (its own session). */
let desktop;
let inspectionId;
let evidenceIds;

/** A date `days` from today in Hà Nội, as `YYYY-MM-DD` and as the screens write it. */
function dayFromToday(days) {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' })
    .format(new Date(Date.now() + days * 86_400_000));
  const [y, m, d] = iso.split('-');
  return { iso, shown: `${d}/${m}/${y}` };
}

before(async () => {
  env = await startAll('loop');
  ({ page: phone, baseUrl, artifacts, pageErrors } = env);
  const context = await env.browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  desktop = await context.newPage();
  desktop.on('pageerror', (error) => pageErrors.push(String(error)));
  // Led by the demo reviewer, with the questionnaire for the enterprise, and started.
  inspectionId = await planInspection(baseUrl, DECISION, TITLE, { questionnaire: true });
});

after(async () => {
  await env?.stop();
});

/** The card of an item of the form shown, by its key. */
const item = (page, key) => page.locator(`article.item[data-item-key="${key}"]`);
/** The card of a piece of evidence on the review screen. */
const evidenceCard = (page, id) => page.locator(`#evidence-${id}`);
/** The corrective action of the loop in the portal. */
const portalAction = () => phone.locator('.portal-action', { hasText: FIX });
/** The action's row on the follow-up board. */
const boardRow = () => desktop.locator('tbody', { hasText: FIX });

describe('the whole loop: invitation, questionnaire, capture, review, conclusion, proof, verification', () => {
  const due = dayFromToday(14);

  it('the enterprise accepts its invitation and lands on its inspections', async () => {
    const reviewer = await tokenOf(baseUrl, REVIEWER);
    const { summary } = await api(baseUrl, 'GET', `/inspections/${inspectionId}`, { token: reviewer });
    const enterprises = await api(baseUrl, 'GET', `/enterprises?q=${summary.enterprise_tax_code}`, { token: reviewer });
    const invite = await api(baseUrl, 'POST', `/enterprises/${enterprises.items[0].id}/invites`, {
      token: reviewer,
      body: { email: INVITEE.email, display_name: INVITEE.name },
    });
    await phone.goto(baseUrl + invite.accept_path);
    await phone.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();
    await phone.getByText(`Xin chào ${INVITEE.name}`, { exact: true }).waitFor();
    await checkScreen(phone, artifacts, '01-invitation-360.png');
    await phone.getByLabel('Mật khẩu mới', { exact: true }).fill(INVITEE_PASSWORD);
    await phone.getByLabel('Nhập lại mật khẩu', { exact: true }).fill(INVITEE_PASSWORD);
    await phone.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
    await phone.waitForURL(/\/portal$/);
    await phone.getByRole('heading', { name: 'Cuộc thanh tra của doanh nghiệp', level: 1 }).waitFor();
    await phone.locator('.portal-card', { hasText: DECISION }).getByText('Chờ bạn điền phiếu').waitFor();
    await checkScreen(phone, artifacts, '02-portal-home-360.png');
  });

  it('the enterprise fills the questionnaire, attaches a PDF and submits it', async () => {
    await phone.locator('.portal-card', { hasText: DECISION }).getByRole('link').click();
    await phone.waitForURL(new RegExp(`/portal/inspections/${inspectionId}$`));
    await phone.getByRole('heading', { name: 'Phiếu thu thập thông tin', level: 2 }).waitFor();
    await answerEveryItem(phone);
    const contracts = item(phone, 'contract.indefinite');
    await contracts.locator('input[type=file]').setInputFiles({
      name: 'hop-dong-lao-dong.pdf', mimeType: 'application/pdf', buffer: PDF,
    });
    await contracts.getByText('hop-dong-lao-dong.pdf').waitFor();
    await contracts.getByText('Đã gửi', { exact: false }).waitFor();
    await contracts.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '03-questionnaire-filled-360.png');
    await phone.getByRole('button', { name: 'Nộp phiếu' }).click();
    await phone.getByText('Đã nộp · phiên bản 1').waitFor();
    await phone.getByText('Đã nộp phiếu thành công.').waitFor();
    await checkScreen(phone, artifacts, '04-questionnaire-submitted-360.png');
  });

  it('the inspector captures on site: photos of the machines and a failed noise measurement', async () => {
    // Through the API, as support.mjs arranges it for the review tests.
    ({ evidenceIds } = await submittedInspectionWithPhotos(baseUrl, phone, {
      inspection: inspectionId, photos: 2, width: 800, height: 600,
    }));
    assert.equal(evidenceIds.length, 2);
  });

  it('the reviewer approves the photos on the review screen', async () => {
    await signIn(desktop, baseUrl, REVIEWER);
    await desktop.waitForURL(/\/agency$/);
    await desktop.goto(`${baseUrl}/agency/inspections/${inspectionId}`);
    await desktop.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    for (const id of evidenceIds) {
      await evidenceCard(desktop, id).getByRole('button', { name: 'Duyệt' }).click();
      await desktop.locator(`#evidence-${id}[data-decision-state="confirmed"]`).waitFor();
      await evidenceCard(desktop, id).locator('.decision-chip').getByText('Đã duyệt').waitFor();
    }
    await checkScreen(desktop, artifacts, '05-review-approved-1280.png');
  });

  it('the reviewer confirms the noise finding with an action due in 14 days and issues the conclusion', async () => {
    await desktop.goto(`${baseUrl}/agency/inspections/${inspectionId}/findings`);
    await desktop.getByRole('heading', { name: 'Vi phạm & khắc phục', level: 1 }).waitFor();
    const noise = desktop.getByRole('article', { name: NOISE });
    await noise.getByText('Đề xuất', { exact: true }).waitFor();
    await checkScreen(desktop, artifacts, '06-findings-proposed-1280.png');
    await noise.getByRole('button', { name: 'Xác nhận' }).click();
    await noise.getByText('Đã xác nhận', { exact: true }).waitFor();
    // Every other proposal is dismissed: the unguarded machines, and what the questionnaire's
    // answers gave (the conclusion is issued once every proposal is decided).
    const proposed = desktop.getByRole('region', { name: /^Vi phạm đề xuất/ });
    const dismissed = desktop.getByRole('region', { name: /^Đã bỏ qua/ });
    const titles = await proposed.locator('h3.finding__title').allInnerTexts();
    assert.ok(titles.includes(GUARDS), `the unguarded machines are proposed too: ${titles}`);
    assert.ok(!titles.includes(NOISE));
    for (const title of titles) {
      await proposed.getByRole('article', { name: title }).getByRole('button', { name: 'Bỏ qua' }).click();
      await dismissed.getByRole('article', { name: title }).waitFor();
    }

    await noise.getByRole('button', { name: 'Thêm yêu cầu khắc phục' }).click();
    await noise.getByLabel('Việc phải khắc phục').fill(FIX);
    await noise.getByLabel('Minh chứng cần nộp').fill(PROOF_EXPECTED);
    assert.equal(await noise.getByLabel('Hạn khắc phục').inputValue(), due.iso, 'due in 14 days by default');
    await noise.getByRole('button', { name: 'Thêm yêu cầu khắc phục' }).click();
    await noise.locator('.action-list__item', { hasText: FIX }).getByText(due.shown).waitFor();

    await desktop.getByLabel('Số kết luận').fill(CONCLUSION);
    await desktop.getByLabel('Nội dung kết luận').fill('Doanh nghiệp vi phạm quy định về tiếng ồn tại nơi làm việc.');
    const preview = desktop.getByRole('region', { name: 'Doanh nghiệp sẽ thấy' });
    assert.ok((await preview.innerText()).includes(FIX));
    await preview.scrollIntoViewIfNeeded();
    await checkScreen(desktop, artifacts, '07-conclusion-preview-1280.png');
    await desktop.getByRole('button', { name: 'Ban hành kết luận' }).click();
    await desktop.getByText('Kết luận đã ban hành', { exact: false }).waitFor();
    await desktop.getByRole('region', { name: 'Kết luận thanh tra' }).getByText(CONCLUSION).waitFor();
    await checkScreen(desktop, artifacts, '08-concluded-1280.png');
  });

  it('the enterprise sees the finding and the action, and sends a photo and a PDF as proof', async () => {
    await phone.goto(`${baseUrl}/portal/inspections/${inspectionId}`);
    await phone.getByRole('heading', { name: `Kết luận số ${CONCLUSION}` }).waitFor();
    const finding = phone.locator('.portal-finding', { hasText: NOISE });
    await finding.waitFor();
    const action = portalAction();
    await action.getByText(`Hạn: ${due.shown}`, { exact: false }).waitFor();
    await action.getByText('Chưa khắc phục').waitFor();
    await checkScreen(phone, artifacts, '09-portal-conclusion-360.png');

    const jpeg = await drawJpeg(phone, { width: 800, height: 600, text: 'Buồng cách âm' });
    await action.locator('input[type=file]').setInputFiles([
      { name: 'buong-cach-am.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      { name: 'ket-qua-do-lai.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await action.getByText('buong-cach-am.jpg').waitFor();
    await action.getByText('ket-qua-do-lai.pdf').waitFor();
    await action.getByText('Đã gửi', { exact: false }).first().waitFor();
    await action.getByLabel('Ghi chú').fill('Đã lắp buồng cách âm, kết quả đo lại 82 dBA.');
    await action.getByRole('button', { name: 'Gửi bằng chứng' }).click();
    await action.getByText('Đã gửi bằng chứng, chờ xác nhận').waitFor();
    await action.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '10-proof-sent-360.png');
  });

  it('the reviewer rejects the proof with a reason on the follow-up board', async () => {
    await desktop.goto(`${baseUrl}/agency/follow-up?status=proof_submitted`);
    const row = boardRow();
    await row.getByText('Đã nộp minh chứng', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Xem minh chứng (2)' }).click();
    await row.getByText('ket-qua-do-lai.pdf').waitFor();
    await row.getByRole('button', { name: 'Từ chối minh chứng' }).click();
    await row.getByLabel('Lý do từ chối').fill(REASON);
    await checkScreen(desktop, artifacts, '11-board-rejecting-1280.png');
    await row.getByRole('button', { name: 'Gửi từ chối' }).click();
    await desktop.getByText('Đã từ chối minh chứng; yêu cầu được mở lại.').waitFor();
    await checkScreen(desktop, artifacts, '12-board-rejected-1280.png');
  });

  it('the enterprise reads the reason and sends new proof', async () => {
    await phone.reload();
    const action = portalAction();
    await action.getByText(REASON, { exact: false }).waitFor();
    await action.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '13-portal-rejected-360.png');
    await action.locator('input[type=file]').setInputFiles({
      name: 'ket-qua-co-chu-ky.pdf', mimeType: 'application/pdf', buffer: PDF,
    });
    await action.getByText('ket-qua-co-chu-ky.pdf').waitFor();
    await action.getByRole('button', { name: 'Gửi lại bằng chứng' }).click();
    await action.getByText('Đã gửi bằng chứng, chờ xác nhận').waitFor();
    await action.scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '14-proof-sent-again-360.png');
  });

  it('the reviewer verifies the new proof, and the board shows it verified', async () => {
    await desktop.goto(`${baseUrl}/agency/follow-up?status=proof_submitted`);
    const row = boardRow();
    await row.getByText('Đã nộp minh chứng', { exact: true }).waitFor();
    await row.getByRole('button', { name: /^Xem minh chứng/ }).click();
    await row.getByText('ket-qua-co-chu-ky.pdf').waitFor();
    await row.getByRole('button', { name: 'Xác nhận đã khắc phục' }).click();
    await desktop.getByText('Đã xác nhận khắc phục.').waitFor();
    await desktop.getByRole('link', { name: 'Đã xác nhận' }).click();
    await desktop.waitForURL(/status=verified/);
    await boardRow().getByText('Đã xác nhận', { exact: true }).waitFor();
    await checkScreen(desktop, artifacts, '15-board-verified-1280.png');

    await phone.reload();
    await portalAction().getByText('Đã xác nhận khắc phục').waitFor();
    await portalAction().scrollIntoViewIfNeeded();
    await checkScreen(phone, artifacts, '16-portal-verified-360.png');
  });

  it('left the action verified, the conclusion issued and the questionnaire submitted', async () => {
    const token = await tokenOf(baseUrl, REVIEWER);
    const actions = await api(baseUrl, 'GET', `/inspections/${inspectionId}/corrective-actions`, { token });
    const action = actions.find((a) => a.description.startsWith(FIX));
    assert.ok(action, 'the action is stored');
    assert.equal(action.status, 'verified');
    assert.ok(action.verified_at);
    assert.equal(action.due_date, due.iso);
    const conclusion = await api(baseUrl, 'GET', `/inspections/${inspectionId}/conclusion`, { token });
    assert.equal(conclusion.number, CONCLUSION);
    const detail = await api(baseUrl, 'GET', `/inspections/${inspectionId}`, { token });
    const form = detail.responses.find((r) => r.template_id === detail.questionnaire.id);
    assert.equal(form.status, 'submitted');
    const pdf = detail.evidence.find((e) => e.item_key === 'contract.indefinite');
    assert.equal(pdf?.kind, 'document');
    const reviews = await api(baseUrl, 'GET', `/inspections/${inspectionId}/reviews`, { token });
    for (const id of evidenceIds) {
      assert.ok(reviews.some((r) => r.target.id === id && r.decision === 'approved'), `photo ${id} approved`);
    }
  });

  it('had no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
