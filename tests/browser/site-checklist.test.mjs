// The whole site checklist on a 360×800 phone: the inspector adds a workshop, is told what is
// missing next to each item, records a noise measurement that is over its legal limit (the
// verdict is shown while typing), takes the position and the enterprise's signature, and
// submits; the reviewer then reads the measurement with its non-compliance.
//
// The demo inspection 125/QĐ-TTr belongs to skeleton.test.mjs; this file plans its own,
// 127/QĐ-TTr, through the API (there is no planning screen yet).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkScreen,
  INSPECTOR, REVIEWER, SITE_TEXT, drawJpeg, expectAppBar, planInspection,
  signIn, startAll,
} from './support.mjs';

const DECISION_NUMBER = '127/QĐ-TTr';
const WORKSHOP = 'Xưởng cơ khí';
const INSTRUMENT = 'Rion NL-42 #00123';
const PHOTO = { width: 800, height: 600, text: 'Máy dập 90 dBA' };
const THUMBNAIL_EDGE = 320;

let env;
let page;
let baseUrl;
let artifacts;

before(async () => {
  env = await startAll('site-checklist');
  ({ page, baseUrl, artifacts } = env);
  await planInspection(baseUrl, DECISION_NUMBER, 'Thanh tra chuyên đề tiếng ồn');
});

after(async () => {
  await env?.stop();
});

const item = (key, scope = page) => scope.locator(`article.item[data-item-key="${key}"]`);

/** The agency's evidence card that an answer's photo link points to. */
async function cardOf(answer) {
  const href = await answer.locator('a.evidence-ref').first().getAttribute('href');
  return page.locator(href);
}

/** Waits until the card's thumbnail has decoded; checks its width when given. */
async function expectThumbnail(card, width) {
  const image = card.locator('img.review-thumb__image');
  await image.scrollIntoViewIfNeeded();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  if (width !== undefined) assert.equal(await image.evaluate((img) => Math.max(img.naturalWidth, img.naturalHeight)), width);
}
const shot = (name) => checkScreen(page, artifacts, name);

/** Whether an element's top is on the screen (below the sticky app bar). */
async function onScreen(locator) {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y < 800;
}

describe('site checklist', () => {
  let workshop;

  it('shows each missing answer next to its item and scrolls to the first', async () => {
    await signIn(page, baseUrl, INSPECTOR);
    await page.getByRole('link').filter({ hasText: DECISION_NUMBER }).click();
    await page.getByRole('heading', { name: 'Phiếu kiểm tra hiện trường' }).waitFor();
    await item('osh.machine_guards').getByRole('radio', { name: 'Có', exact: true }).check();
    const ppe = item('osh.ppe_observed');
    await ppe.getByRole('checkbox', { name: 'Găng tay bảo hộ' }).check();
    await ppe.getByRole('checkbox', { name: 'Mũ bảo hộ' }).check();

    // No workshop yet; adding one shows its items under its own heading.
    await page.getByText('Chưa có phân xưởng nào.').waitFor();
    await page.getByRole('button', { name: 'Thêm phân xưởng' }).click();
    workshop = page.locator('.instance').filter({ has: page.getByRole('heading', { name: /^Phân xưởng 1/ }) });
    await workshop.waitFor();
    // Measurements for a production floor are hidden until the area type says so.
    assert.equal(await item('workshop.noise_laeq', workshop).count(), 0);
    // A second one, added by mistake, is removed again (after a confirmation).
    await page.getByRole('button', { name: 'Thêm phân xưởng' }).click();
    await page.getByRole('heading', { name: 'Phân xưởng 2' }).waitFor();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Xoá Phân xưởng 2' }).click();
    await page.getByRole('heading', { name: 'Phân xưởng 2' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('.instance').count(), 1);

    // A head count mistyped: what was typed is kept, and it holds the submission back.
    const workers = item('workshop.workers', workshop);
    await workers.locator('input').fill('12a');
    await workers.getByText('Nhập một số nguyên.').waitFor();

    await page.getByRole('button', { name: 'Nộp phiếu' }).click();
    const required = 'Mục này bắt buộc phải trả lời.';
    await item('workshop.name', workshop).locator('.problem', { hasText: required }).waitFor();
    await item('workshop.area_type', workshop).locator('.problem', { hasText: required }).waitFor();
    await page.getByText('Chưa nộp được: còn 3 chỗ cần sửa.').waitFor();
    assert.match(await workers.getAttribute('class'), /item--problem/);
    assert.equal(await workers.locator('input').inputValue(), '12a');
    assert.ok(await onScreen(item('workshop.name', workshop)), 'the first problem is not in view');
    assert.equal(await page.locator('.tag--submitted').count(), 0);
    await shot('08-problems.png');
  });

  it('evaluates a noise measurement against its limit while it is typed', async () => {
    await item('workshop.name', workshop).locator('input').fill(WORKSHOP);
    // The problem goes as soon as it is fixed, and the workshop is named after it.
    await item('workshop.name', workshop).locator('.problem').waitFor({ state: 'detached' });
    await workshop.getByRole('heading', { name: `Phân xưởng 1 · ${WORKSHOP}` }).waitFor();
    await item('workshop.area_type', workshop).getByRole('radio', { name: 'Khu vực sản xuất' }).check();
    await item('workshop.workers', workshop).locator('input').fill('12');
    await page.locator('.submit-bar__problems').waitFor({ state: 'detached' });

    const noise = item('workshop.noise_laeq', workshop);
    await noise.waitFor();
    await workshop.evaluate((element) => element.scrollIntoView());
    await shot('09a-workshop.png');
    await noise.locator('.limit').getByText('≤ 85 dBA').waitFor();
    // 88 dBA is allowed for 4 hours a shift...
    await noise.getByLabel('Kết quả đo').fill('88');
    await noise.getByLabel('Thời gian tiếp xúc trong ca').fill('240');
    await noise.locator('.verdict--ok', { hasText: 'Đạt' }).waitFor();
    await noise.locator('.limit').getByText('≤ 88 dBA').waitFor();
    // ...but 90 dBA for a full shift (480 min) is 5 dBA over QCVN 24:2016/BYT.
    await noise.getByLabel('Kết quả đo').fill('90');
    await noise.getByLabel('Thời gian tiếp xúc trong ca').fill('480');
    const verdict = noise.locator('.verdict--bad');
    await verdict.getByText('Không đạt').waitFor();
    assert.match(await verdict.innerText(), /vượt giới hạn 5 dBA/);
    assert.match(await noise.locator('.limit').innerText(), /≤ 85 dBA.*8 giờ.*QCVN 24:2016\/BYT/s);

    await noise.getByLabel('Thiết bị đo').fill(INSTRUMENT);
    await noise.locator('input[type=file]').setInputFiles({
      name: 'may-dap.jpg', mimeType: 'image/jpeg', buffer: await drawJpeg(page, PHOTO),
    });
    await noise.locator('figure.photo').getByText(SITE_TEXT).waitFor();
    await noise.scrollIntoViewIfNeeded();
    await shot('09-measurement.png');
  });

  it('records where the inspection took place and the enterprise signature', async () => {
    const location = item('record.location');
    await location.getByRole('button', { name: 'Lấy vị trí hiện tại' }).click();
    await location.getByText(SITE_TEXT).waitFor();
    await item('record.inspected_on').locator('input[type=date]').fill('2026-11-23');
    await location.evaluate((element) => element.scrollIntoView());
    await shot('10a-record.png');

    const signature = item('record.enterprise_signature');
    await signature.getByLabel('Họ và tên người ký').fill('Lê Văn Doanh');
    await signature.getByLabel('Chức vụ').fill('Giám đốc');
    const pad = signature.locator('canvas');
    // In the middle of the screen, clear of the sticky app bar and submit bar.
    await pad.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    const box = await pad.boundingBox();
    await page.mouse.move(box.x + 30, box.y + 120);
    await page.mouse.down();
    for (const [x, y] of [[70, 50], [110, 130], [150, 60], [200, 120], [260, 70]]) {
      await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    }
    await page.mouse.up();
    await signature.getByRole('button', { name: 'Lưu chữ ký' }).click();
    const image = signature.locator('.signature__saved img');
    await image.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
    // Not a blank box: some pixels are ink.
    const inked = await image.evaluate((img) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 100) dark++;
      return dark;
    });
    assert.ok(inked > 200, `the signature has only ${inked} dark pixels`);
    await signature.scrollIntoViewIfNeeded();
    await shot('10-signature.png');
  });

  it('submits, and the reviewer reads the measurement and its non-compliance', async () => {
    await page.getByRole('button', { name: 'Nộp phiếu' }).click();
    await page.getByText('Đã nộp phiếu thành công.').waitFor();
    await page.locator('.tag--submitted', { hasText: 'Đã nộp' }).waitFor();
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login$/);

    // The reviewer reads it in the agency screens, where signing in takes them.
    await signIn(page, baseUrl, REVIEWER);
    await page.waitForURL(/\/agency$/);
    await expectAppBar(page, REVIEWER);
    await page.goto(baseUrl + '/agency/inspections');
    await page.getByRole('link', { name: DECISION_NUMBER, exact: true }).click();
    await page.waitForURL(/\/agency\/inspections\/[0-9a-f-]{36}$/);
    await item('osh.ppe_observed').waitFor();
    assert.equal(await page.locator('article.item input').count(), 0, 'the reviewer sees a form');

    // Chosen options are listed in the template's order, not the order they were ticked in.
    assert.deepEqual(await item('osh.ppe_observed').locator('.chip').allInnerTexts(), ['Mũ bảo hộ', 'Găng tay bảo hộ']);
    const read = page.locator('.instance').filter({ has: page.getByRole('heading', { name: `Phân xưởng 1 · ${WORKSHOP}` }) });
    await read.waitFor();
    assert.equal(await item('workshop.area_type', read).locator('.answer').innerText(), 'Khu vực sản xuất');
    assert.equal(await item('workshop.workers', read).locator('.answer').innerText(), '12 người');
    await read.evaluate((element) => element.scrollIntoView());
    await shot('11a-reviewer-workshop.png');
    const noise = item('workshop.noise_laeq', read);
    assert.equal((await noise.locator('.measured').innerText()).trim(), '90 dBA');
    assert.match(await noise.locator('.facts').innerText(), /8 giờ[\s\S]*Rion NL-42 #00123/);
    assert.match(await noise.locator('.verdict--bad').innerText(), /Không đạt[\s\S]*vượt giới hạn 5 dBA/);
    // Its photo is a link to the photo's card, which shows the 320 px thumbnail, not the original.
    const photoCard = await cardOf(noise);
    await expectThumbnail(photoCard, THUMBNAIL_EDGE);
    await noise.scrollIntoViewIfNeeded();
    await shot('11-reviewer-measurement.png');

    await item('record.location').getByText(SITE_TEXT).waitFor();
    assert.equal(await item('record.inspected_on').locator('.answer').innerText(), '23/11/2026');
    const signature = item('record.enterprise_signature');
    await signature.getByText('Lê Văn Doanh').waitFor();
    await signature.getByText('Giám đốc').waitFor();
    await expectThumbnail(await cardOf(signature));
    await signature.scrollIntoViewIfNeeded();
    await shot('12-reviewer-record.png');
    assert.deepEqual(env.pageErrors, []);
  });
});
