// Planning and the agency's registers, at 1280×800 with a look at 360×800: an admin makes an
// inspector on the users screen, plans an inspection for an enterprise with a team of two, and
// the inspector then sees it on the phone; the inspections list filters by status and pages
// through the URL; the enterprise register adds an enterprise and shows an invitation link to
// copy; a reviewer who opens the users screen gets "not allowed", and the API refuses them.
//
// Run by `cargo xtask test` (or `node --test --test-concurrency=1` here); see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, INSPECTOR, PASSWORD, REVIEWER, UI_TIMEOUT, api, checkScreen, signIn, startAll, tokenOf,
} from './support.mjs';

const SECOND_INSPECTOR = { email: 'do@kiemtra.test', name: 'Phạm Thị Đo' };
const DECISION = '501/QĐ-TTr';

let env;
let page;
let baseUrl;
let artifacts;
let pageErrors;
let desktop;
let adminToken;

before(async () => {
  env = await startAll('planning');
  ({ page, baseUrl, artifacts, pageErrors } = env);
  const context = await env.browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  desktop = await context.newPage();
  desktop.on('pageerror', (error) => pageErrors.push(String(error)));
  desktop.on('console', (message) => {
    if (message.type() === 'error' && /panicked/.test(message.text())) pageErrors.push(message.text());
  });
  adminToken = await tokenOf(baseUrl, ADMIN);
});

after(async () => {
  await env?.stop();
});

/** Signs `target` in as `user` and opens the agency screen at `path`. */
async function openAgency(target, user, path) {
  await signIn(target, baseUrl, user);
  await target.waitForURL(/\/agency$/);
  await target.goto(baseUrl + path);
}

async function users() {
  return api(baseUrl, 'GET', '/users?per_page=100', { token: adminToken });
}

/** Nothing wider than the screen. */
async function fitsTheScreen(target) {
  const overflow = await target.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

describe('planning and the registers', () => {
  it('lets the admin create, re-role and disable accounts on the users screen', async () => {
    await openAgency(desktop, ADMIN, '/agency/users');
    await desktop.getByRole('heading', { name: 'Người dùng', level: 1 }).waitFor();
    const nav = desktop.getByRole('navigation', { name: 'Điều hướng' });
    await nav.getByRole('link', { name: 'Người dùng' }).waitFor();

    // Refused at the field before anything is sent.
    await desktop.getByRole('button', { name: 'Thêm tài khoản' }).click();
    await desktop.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await desktop.getByText('Mật khẩu cần ít nhất 10 ký tự.').waitFor();

    for (const [name, email, role] of [
      [SECOND_INSPECTOR.name, SECOND_INSPECTOR.email, 'Thanh tra viên'],
      ['Lê Tạm Thời', 'tam@kiemtra.test', 'Người duyệt'],
    ]) {
      if (await desktop.getByLabel('Họ và tên').count() === 0) {
        await desktop.getByRole('button', { name: 'Thêm tài khoản' }).click();
      }
      await desktop.getByLabel('Họ và tên').fill(name);
      await desktop.getByLabel('Email').fill(email);
      await desktop.getByLabel('Vai trò', { exact: true }).selectOption({ label: role });
      await desktop.getByLabel('Mật khẩu ban đầu').fill(PASSWORD);
      await desktop.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await desktop.getByText('Đã tạo tài khoản.').waitFor();
      await desktop.getByRole('cell', { name: email }).waitFor();
    }
    await checkScreen(desktop, artifacts, '01-users-1280.png');

    // The reviewer made by mistake becomes an inspector, then is disabled.
    await desktop.getByLabel('Vai trò của Lê Tạm Thời').selectOption({ label: 'Thanh tra viên' });
    await desktop.getByText('Lê Tạm Thời: Thanh tra viên.').waitFor();
    await desktop.getByRole('button', { name: 'Vô hiệu hoá Lê Tạm Thời' }).click();
    await desktop.getByText('Lê Tạm Thời: Đã vô hiệu hoá.').waitFor();
    await desktop.getByRole('button', { name: 'Kích hoạt lại Lê Tạm Thời' }).waitFor();

    const stored = await users();
    const second = stored.find((u) => u.email === SECOND_INSPECTOR.email);
    assert.deepEqual([second.role, second.active], ['inspector', true]);
    const temporary = stored.find((u) => u.email === 'tam@kiemtra.test');
    assert.deepEqual([temporary.role, temporary.active], ['inspector', false]);
    // The admin cannot lock themselves out: no buttons on their own line.
    const ownRow = desktop.getByRole('row', { name: /admin@kiemtra\.test/ });
    assert.equal(await ownRow.getByRole('button').count(), 0);
  });

  it('plans an inspection with a team of two, which the inspector then sees on the phone', async () => {
    await desktop.goto(baseUrl + '/agency/inspections');
    await desktop.getByRole('heading', { name: 'Cuộc thanh tra', level: 1 }).waitFor();
    await desktop.getByRole('link', { name: 'Lập kế hoạch' }).click();
    await desktop.waitForURL(/\/agency\/inspections\/new$/);
    await desktop.getByRole('heading', { name: 'Lập kế hoạch', level: 1 }).waitFor();

    // Sent empty: each error at its field.
    await desktop.getByRole('button', { name: 'Lập kế hoạch' }).click();
    await desktop.getByText('Chọn doanh nghiệp được thanh tra.').waitFor();
    await desktop.getByText('Chọn trưởng đoàn.').waitFor();
    assert.equal(await desktop.getByLabel('Số quyết định').getAttribute('aria-invalid'), 'true');
    await checkScreen(desktop, artifacts, '02-plan-new-errors-1280.png');

    await desktop.getByLabel('Doanh nghiệp', { exact: true }).fill('sông hồng');
    await desktop.getByRole('button', { name: /Cơ khí Sông Hồng/ }).click();
    await desktop.getByRole('button', { name: 'Chọn doanh nghiệp khác' }).waitFor();
    await desktop.getByLabel('Số quyết định').fill(DECISION);
    await desktop.getByLabel('Tên cuộc thanh tra').fill('Thanh tra ATVSLĐ xưởng dập mới');
    await desktop.getByLabel('Chuyên đề').fill('Cơ khí 2026');
    await desktop.getByLabel('Ngày bắt đầu').fill('2026-12-14');
    await desktop.getByLabel('Ngày kết thúc').fill('2026-12-16');
    await desktop.getByLabel('Trưởng đoàn').selectOption({ label: `${INSPECTOR.name} (Thanh tra viên)` });
    await desktop.getByRole('checkbox', { name: SECOND_INSPECTOR.name }).check();
    // The disabled account is offered to nobody.
    assert.equal(await desktop.getByRole('checkbox', { name: 'Lê Tạm Thời' }).count(), 0);
    await checkScreen(desktop, artifacts, '03-plan-new-1280.png');
    await desktop.getByRole('button', { name: 'Lập kế hoạch' }).click();

    await desktop.waitForURL(/\/agency\/inspections\/[0-9a-f-]{36}\/plan\?created=1$/);
    await desktop.getByRole('heading', { name: `Kế hoạch ${DECISION}` }).waitFor();
    await desktop.getByText('Đã lập kế hoạch thanh tra.').waitFor();
    const id = desktop.url().match(/inspections\/([0-9a-f-]{36})\/plan/)[1];
    const planned = await api(baseUrl, 'GET', `/inspections/${id}`, { token: adminToken });
    const stored = await users();
    const idOf = (email) => stored.find((u) => u.email === email).id;
    assert.equal(planned.summary.status, 'planned');
    assert.equal(planned.campaign, 'Cơ khí 2026');
    assert.deepEqual(
      planned.team.map((m) => [m.user_id, m.lead]).sort(),
      [[idOf(INSPECTOR.email), true], [idOf(SECOND_INSPECTOR.email), false]].sort(),
    );

    // The end moves a day later while it is planned.
    await desktop.getByLabel('Ngày kết thúc').fill('2026-12-17');
    await desktop.getByRole('button', { name: 'Lưu kế hoạch' }).click();
    await desktop.getByText('Đã lưu kế hoạch.').waitFor();
    const moved = await api(baseUrl, 'GET', `/inspections/${id}`, { token: adminToken });
    assert.equal(moved.summary.planned_end, '2026-12-17');
    await checkScreen(desktop, artifacts, '04-plan-1280.png');

    // Someone else moves it on meanwhile: the refused move is told in words.
    await api(baseUrl, 'POST', `/inspections/${id}/transition`, { token: adminToken, body: { to: 'preparing' } });
    await desktop.getByRole('button', { name: 'Chuyển sang: Chuẩn bị' }).click();
    await desktop.getByText('Hiện chỉ có thể chuyển sang: Đang thanh tra.', { exact: false }).waitFor();
    // The screen now shows where it stands, and offers the one move left.
    await desktop.getByRole('button', { name: 'Chuyển sang: Đang thanh tra' }).waitFor();
    await desktop.getByText('Thời gian và đoàn chỉ thay đổi được khi cuộc thanh tra còn ở trạng thái Kế hoạch.').waitFor();
    await desktop.getByRole('button', { name: 'Chuyển sang: Đang thanh tra' }).click();
    await desktop.getByText('Đã chuyển sang “Đang thanh tra”.').waitFor();
    const started = await api(baseUrl, 'GET', `/inspections/${id}`, { token: adminToken });
    assert.equal(started.summary.status, 'in_progress');

    // The inspector on the team sees it on the phone.
    await signIn(page, baseUrl, INSPECTOR);
    await page.waitForURL(/\/inspections$/);
    await page.getByText(DECISION).waitFor();
    await page.getByText('Thanh tra ATVSLĐ xưởng dập mới').waitFor();
    await checkScreen(page, artifacts, '05-inspector-phone-list-360.png');
  });

  it('filters the inspections list by status in the URL, and pages through it', async () => {
    // Twenty more planned inspections: the planned ones fill more than a page.
    const stored = await users();
    const templates = await api(baseUrl, 'GET', '/templates?kind=site_checklist', { token: adminToken });
    const site = templates.find((t) => t.status === 'published');
    const enterprises = await api(baseUrl, 'GET', '/enterprises?q=0101234567', { token: adminToken });
    for (let n = 1; n <= 20; n += 1) {
      await api(baseUrl, 'POST', '/inspections', {
        token: adminToken,
        body: {
          enterprise_id: enterprises.items[0].id,
          decision_number: `P-${String(n).padStart(2, '0')}/QĐ-TTr`,
          title: 'Thanh tra định kỳ',
          campaign: null,
          planned_start: '2027-01-04',
          planned_end: '2027-01-05',
          lead_id: stored.find((u) => u.email === REVIEWER.email).id,
          member_ids: [],
          site_template_id: site.id,
          questionnaire_template_id: null,
          self_inspection_template_id: null,
        },
      });
    }

    // The dashboard's link: the inspections under way.
    await desktop.goto(baseUrl + '/agency/inspections?status=in_progress');
    const table = desktop.getByRole('table');
    await table.getByRole('link', { name: DECISION, exact: true }).waitFor();
    await table.getByRole('link', { name: '125/QĐ-TTr', exact: true }).waitFor();
    assert.equal(await table.getByRole('link', { name: '126/QĐ-TTr', exact: true }).count(), 0);
    assert.ok(await desktop.getByRole('checkbox', { name: 'Đang thanh tra' }).isChecked());
    await desktop.getByText('Trang 1/1 · 2 cuộc thanh tra').waitFor();
    // Each line's counts, as the API gives them.
    const lines = await api(baseUrl, 'GET', '/inspections?status=in_progress', { token: adminToken });
    assert.ok(lines.every((line) => line.counts), 'the agency gets each line\'s counts');
    await checkScreen(desktop, artifacts, '06-inspections-in-progress-1280.png');

    // Planned instead: 22 of them, newest first, over two pages.
    await desktop.getByRole('checkbox', { name: 'Đang thanh tra' }).uncheck();
    await desktop.getByRole('checkbox', { name: 'Kế hoạch' }).check();
    await desktop.getByRole('button', { name: 'Lọc', exact: true }).click();
    await desktop.waitForURL(/status=planned$/);
    await desktop.getByText('Trang 1/2 · 21 cuộc thanh tra').waitFor();
    assert.equal(await table.locator('tbody tr').count(), 20);
    // The January ones come first: the newest planned start.
    assert.match(await table.locator('tbody tr').first().innerText(), /P-\d\d\/QĐ-TTr/);
    await desktop.getByRole('button', { name: 'Trang sau' }).click();
    await desktop.waitForURL(/page=2/);
    await desktop.getByText('Trang 2/2 · 21 cuộc thanh tra').waitFor();
    await table.getByRole('link', { name: '126/QĐ-TTr', exact: true }).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 1);
    // A reload keeps the filter and the page.
    await desktop.reload();
    await desktop.getByText('Trang 2/2 · 21 cuộc thanh tra').waitFor();

    // The enterprise, searched by name.
    await desktop.getByRole('button', { name: 'Bỏ lọc' }).click();
    await desktop.getByLabel('Doanh nghiệp', { exact: true }).fill('Tây Hồ');
    await desktop.getByRole('button', { name: /Xây dựng Tây Hồ/ }).click();
    await desktop.getByRole('button', { name: 'Lọc', exact: true }).click();
    await desktop.waitForURL(/enterprise=[0-9a-f-]{36}/);
    await desktop.getByText('Trang 1/1 · 1 cuộc thanh tra').waitFor();
    await table.getByRole('link', { name: '126/QĐ-TTr', exact: true }).waitFor();

    // Part of the decision number, sent with Enter.
    await desktop.getByRole('button', { name: 'Bỏ lọc' }).click();
    await desktop.waitForURL(/\/agency\/inspections$/);
    await desktop.getByLabel('Số quyết định').fill('501');
    await desktop.getByLabel('Số quyết định').press('Enter');
    await desktop.waitForURL(/decision_number=501/);
    await desktop.getByText('Trang 1/1 · 1 cuộc thanh tra').waitFor();
    await table.getByRole('link', { name: DECISION, exact: true }).waitFor();

    // The same list on a phone: the admin signs in there.
    await openAgency(page, ADMIN, '/agency/inspections?status=in_progress');
    await page.getByRole('table').getByRole('link', { name: DECISION, exact: true }).waitFor();
    await fitsTheScreen(page);
    await checkScreen(page, artifacts, '07-inspections-360.png');
    await page.goto(baseUrl + '/agency/inspections/new');
    await page.getByLabel('Trưởng đoàn').waitFor();
    await fitsTheScreen(page);
    await checkScreen(page, artifacts, '08-plan-new-360.png');
    // The plan of 126/QĐ-TTr, still planned: its form to change dates and team.
    const [other] = await api(baseUrl, 'GET', '/inspections?decision_number=126', { token: adminToken });
    await page.goto(`${baseUrl}/agency/inspections/${other.id}/plan`);
    await page.getByRole('button', { name: 'Lưu kế hoạch' }).waitFor();
    await fitsTheScreen(page);
    await checkScreen(page, artifacts, '08b-plan-360.png');
  });

  it('adds an enterprise to the register and shows an invitation link to copy', async () => {
    await desktop.goto(baseUrl + '/agency/enterprises');
    await desktop.getByRole('heading', { name: 'Doanh nghiệp', level: 1 }).waitFor();
    await desktop.getByRole('button', { name: 'Thêm doanh nghiệp' }).click();
    await desktop.getByLabel('Tên doanh nghiệp').fill('Công ty May Hoà Bình');
    await desktop.getByLabel('Mã số thuế', { exact: true }).fill('12345');
    await desktop.getByLabel('Địa chỉ').fill('Số 5 Đường Cù Chính Lan');
    await desktop.getByLabel('Tỉnh/thành phố').fill('Hoà Bình');
    await desktop.getByRole('button', { name: 'Thêm', exact: true }).click();
    await desktop.getByText('Mã số thuế gồm 10 chữ số, hoặc 13 chữ số cho chi nhánh.').waitFor();
    await desktop.getByLabel('Mã số thuế', { exact: true }).fill('5400123456');
    await desktop.getByRole('button', { name: 'Thêm', exact: true }).click();
    await desktop.getByText('Đã thêm doanh nghiệp.').waitFor();

    await desktop.getByLabel('Tìm theo tên hoặc mã số thuế').fill('5400123456');
    await desktop.getByRole('button', { name: 'Tìm', exact: true }).click();
    await desktop.getByText('Trang 1/1 · 1 doanh nghiệp').waitFor();
    await desktop.getByRole('cell', { name: 'Công ty May Hoà Bình' }).first().waitFor();
    const [created] = (await api(baseUrl, 'GET', '/enterprises?q=5400123456', { token: adminToken })).items;
    assert.equal(created.province, 'Hoà Bình');

    // Edit: the headcount.
    await desktop.getByRole('button', { name: 'Sửa Công ty May Hoà Bình' }).click();
    await desktop.getByLabel('Số lao động').fill('350');
    await desktop.getByRole('button', { name: 'Lưu', exact: true }).click();
    await desktop.getByText('Đã lưu thông tin doanh nghiệp.').waitFor();
    const edited = await api(baseUrl, 'GET', `/enterprises/${created.id}`, { token: adminToken });
    assert.equal(edited.headcount, 350);

    // Invite the person who will act for it: refused while the agency has no inspection of it
    // (an agency invites only into the enterprises it inspects), made once one is planned.
    await desktop.getByRole('button', { name: 'Mời người dùng Công ty May Hoà Bình' }).click();
    await desktop.getByLabel('Họ và tên').fill('Đinh Thị Nhân Sự');
    await desktop.getByLabel('Email').fill('nhansu@mayhoabinh.example');
    await desktop.getByRole('button', { name: 'Tạo lời mời' }).click();
    await desktop.getByText('Cơ quan của bạn chưa có cuộc thanh tra nào với doanh nghiệp này.').waitFor();
    await checkScreen(desktop, artifacts, '09-enterprises-invite-refused-1280.png');
    const staff = await api(baseUrl, 'GET', '/users?per_page=100', { token: adminToken });
    const sites = await api(baseUrl, 'GET', '/templates?kind=site_checklist', { token: adminToken });
    await api(baseUrl, 'POST', '/inspections', {
      token: adminToken,
      body: {
        enterprise_id: created.id, decision_number: '140/QĐ-TTr', title: 'Thanh tra may mặc',
        planned_start: '2026-12-14', planned_end: '2026-12-15',
        lead_id: staff.find((u) => u.email === REVIEWER.email).id,
        site_template_id: sites.find((t) => t.status === 'published' && t.code === 'osh-site-checklist').id,
      },
    });
    await desktop.getByRole('button', { name: 'Tạo lời mời' }).click();
    await desktop.getByText('Đã tạo lời mời.').waitFor();
    const link = await desktop.getByLabel('Liên kết mời').inputValue();
    assert.match(link, new RegExp(`^${baseUrl}/invite/\\S+$`));
    await desktop.locator('code', { hasText: link }).waitFor();
    await desktop.getByRole('button', { name: 'Sao chép liên kết' }).click();
    await desktop.getByText('Đã sao chép liên kết.').waitFor();
    assert.equal(await desktop.evaluate(() => navigator.clipboard.readText()), link);
    await checkScreen(desktop, artifacts, '09-enterprises-invite-1280.png');

    // The link works: the invitee sets a password on the phone.
    await page.evaluate(() => localStorage.removeItem('kiemtra.session'));
    await page.goto(link);
    await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();

    await openAgency(page, ADMIN, '/agency/enterprises');
    await page.getByRole('cell', { name: 'Công ty May Hoà Bình' }).first().waitFor();
    await fitsTheScreen(page);
    await checkScreen(page, artifacts, '10-enterprises-360.png');
    await page.goto(baseUrl + '/agency/users');
    await page.getByRole('cell', { name: SECOND_INSPECTOR.email }).waitFor();
    await fitsTheScreen(page);
    await checkScreen(page, artifacts, '11-users-360.png');
  });

  it('shows a reviewer "not allowed" on the users screen, and the API refuses them', async () => {
    await openAgency(desktop, REVIEWER, '/agency/users');
    await desktop.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    const nav = desktop.getByRole('navigation', { name: 'Điều hướng' });
    await nav.getByRole('link', { name: 'Cuộc thanh tra' }).waitFor();
    await nav.getByRole('link', { name: 'Doanh nghiệp' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Người dùng' }).count(), 0);
    await checkScreen(desktop, artifacts, '12-reviewer-users-not-allowed-1280.png');

    const token = await tokenOf(baseUrl, REVIEWER);
    const created = await fetch(`${baseUrl}/api/v1/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'x@kiemtra.test', display_name: 'X', role: 'admin', password: PASSWORD }),
    });
    assert.equal(created.status, 403);
    const second = (await users()).find((u) => u.email === SECOND_INSPECTOR.email);
    const disabled = await fetch(`${baseUrl}/api/v1/users/${second.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    assert.equal(disabled.status, 403);
    assert.deepEqual(pageErrors, []);
  });
});
