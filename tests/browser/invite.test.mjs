// The invitation link on a 360×800 phone (each screen looked at on a 1280×800 desktop too): a
// reviewer invites a person to act for the demo enterprise (through the API); the invitee opens
// the link, is greeted by name with the enterprise and the inviting agency, is told the
// password rule and that the two passwords differ before anything is sent, sets a password and
// lands on the enterprise's inspections, signed in. The spent link then says at once that it
// was used, before anything is typed; a wrong link says so; a second invitation for the same
// email says the account exists. Then the password reset: "Quên mật khẩu?" on the login page,
// and an admin's reset link that sets a new password and is spent after.
//
// The tests of this file run in order and share one server and one browser.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, checkScreen, PASSWORD, REVIEWER, api, expectAppBar, startAll } from './support.mjs';

const DECISION_NUMBER = '125/QĐ-TTr';
const INVITEE = { email: 'le.thi.an@songhong.test', name: 'Lê Thị An', role: 'Doanh nghiệp' };
const NEW_PASSWORD = 'Song-Hong-2026';
const RESET_PASSWORD = 'Mat-khau-moi-2027';
const ENTERPRISE_NAME = 'Công ty TNHH Cơ khí Sông Hồng (demo)';
const AGENCY_NAME = 'Thanh tra Sở Nội vụ Hà Nội (demo)';

let env;
let page;
let baseUrl;
let artifacts;
let pageErrors;
let invite;
let secondInvite;
/** Every accept-invite request the page makes, to show which checks stay in the browser. */
const acceptRequests = [];

before(async () => {
  env = await startAll('invite');
  ({ page, baseUrl, artifacts, pageErrors } = env);
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/auth/accept-invite')) acceptRequests.push(request);
  });
  [invite, secondInvite] = await inviteToDemoEnterprise(2);
});

after(async () => {
  await env?.stop();
});

/** `count` invitations of INVITEE to the enterprise of the demo inspection, made by the reviewer. */
async function inviteToDemoEnterprise(count) {
  const { access_token: token } = await api(baseUrl, 'POST', '/auth/login', {
    body: { email: REVIEWER.email, password: PASSWORD },
  });
  const inspections = await api(baseUrl, 'GET', '/inspections', { token });
  const inspection = inspections.find((i) => i.decision_number === DECISION_NUMBER);
  assert.ok(inspection, `the reviewer does not see ${DECISION_NUMBER}`);
  const enterprises = await api(baseUrl, 'GET', `/enterprises?q=${inspection.enterprise_tax_code}`, { token });
  assert.equal(enterprises.items.length, 1);
  const invites = [];
  for (let i = 0; i < count; i++) {
    invites.push(await api(baseUrl, 'POST', `/enterprises/${enterprises.items[0].id}/invites`, {
      token,
      body: { email: INVITEE.email, display_name: INVITEE.name },
    }));
  }
  return invites;
}

const passwordField = () => page.getByLabel('Mật khẩu mới', { exact: true });
const confirmationField = () => page.getByLabel('Nhập lại mật khẩu', { exact: true });
const submitButton = () => page.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' });

/** Looks at the screen on the phone and on a 1280×800 desktop. */
async function checkBoth(name) {
  await checkScreen(page, artifacts, `${name}-360.png`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkScreen(page, artifacts, `${name}-1280.png`);
  await page.setViewportSize({ width: 360, height: 800 });
}

async function expectFocused(id) {
  await page.waitForFunction((id) => document.activeElement?.id === id, id);
}

describe('invitation link', () => {
  it('greets the invitee by name, with the enterprise and the inviting agency', async () => {
    await page.goto(baseUrl + invite.accept_path);
    await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();
    await page.getByText(`Xin chào ${INVITEE.name}`, { exact: true }).waitFor();
    await page.getByText(`${AGENCY_NAME} mời bạn dùng Kiểm tra thay mặt ${ENTERPRISE_NAME}`).waitFor();
    await page.getByText(`Tài khoản: ${INVITEE.email}.`).waitFor();
    await checkBoth('01-greeting');
  });

  it('shows the password rule and sends nothing when the password is too short', async () => {
    await page.getByText('Ít nhất 10 ký tự.').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByText('At least 10 characters.').waitFor();
    await page.getByText(`Hello ${INVITEE.name}`, { exact: true }).waitFor();
    await checkScreen(page, artifacts, '01-form-en.png');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();

    await passwordField().fill('ngan-qua');
    await confirmationField().fill('ngan-qua');
    await submitButton().click();

    await page.getByText('Mật khẩu cần ít nhất 10 ký tự.').waitFor();
    assert.equal(await passwordField().getAttribute('aria-invalid'), 'true');
    await expectFocused('new-password');
    assert.equal(acceptRequests.length, 0, 'a too short password was sent');
    await checkScreen(page, artifacts, '02-too-short.png');
  });

  it('says when the two passwords differ, and shows them on request', async () => {
    await passwordField().fill(NEW_PASSWORD);
    await confirmationField().fill(NEW_PASSWORD.replace('2026', '2025'));
    // The rule is met now, and says so while typing.
    await page.getByText('Ít nhất 10 ký tự.').waitFor();
    await submitButton().click();

    await page.getByText('Hai mật khẩu không khớp nhau.').waitFor();
    assert.equal(await confirmationField().getAttribute('aria-invalid'), 'true');
    assert.equal(await passwordField().getAttribute('aria-invalid'), 'false');
    await expectFocused('new-password-confirmation');
    assert.equal(acceptRequests.length, 0, 'differing passwords were sent');

    await page.getByRole('button', { name: 'Hiện mật khẩu' }).click();
    assert.equal(await passwordField().getAttribute('type'), 'text');
    assert.equal(await confirmationField().getAttribute('type'), 'text');
    await checkScreen(page, artifacts, '03-differ-shown.png');
    await page.getByRole('button', { name: 'Ẩn mật khẩu' }).click();
    assert.equal(await passwordField().getAttribute('type'), 'password');
    assert.equal(await confirmationField().getAttribute('type'), 'password');
  });

  it('signs the invitee in and shows the enterprise inspection', async () => {
    await confirmationField().fill(NEW_PASSWORD);
    await submitButton().click();

    // Enterprise users work in the portal.
    await page.waitForURL(/\/portal$/);
    await expectAppBar(page, INVITEE);
    await page.locator('main').getByText(DECISION_NUMBER).first().waitFor();
    assert.equal(acceptRequests.length, 1);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('kiemtra.session')).user);
    assert.equal(stored.email, INVITEE.email);
    assert.equal(stored.role, 'enterprise');
    await checkScreen(page, artifacts, '04-signed-in.png');

    // The new password works for signing in too.
    const login = await api(baseUrl, 'POST', '/auth/login', {
      body: { email: INVITEE.email, password: NEW_PASSWORD },
    });
    assert.equal(login.user.email, INVITEE.email);
  });

  it('says at once that the link was used when it is opened again', async () => {
    await page.goto(baseUrl + invite.accept_path);

    // Before anything is typed: no form, the reason, and who is signed in on this device.
    await page.getByRole('heading', { name: 'Liên kết đã được dùng' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Lời mời này đã được dùng để tạo tài khoản' }).waitFor();
    await page.getByText(`Máy này đang đăng nhập với tài khoản ${INVITEE.name} (${INVITEE.role}).`).waitFor();
    assert.equal(await passwordField().count(), 0, 'the form of a spent link is shown');
    assert.equal(acceptRequests.length, 1, 'the spent link was tried');
    await checkBoth('05-link-used');

    // The refusal left the session alone: the way out leads to the invitee's list.
    await page.getByRole('link', { name: 'Cuộc thanh tra' }).click();
    await page.waitForURL(/\/portal$/);
    await expectAppBar(page, INVITEE);
    assert.deepEqual(pageErrors, []);
  });

  it('suggests signing in when the invited email has an account already', async () => {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(baseUrl + secondInvite.accept_path);
    await passwordField().fill(NEW_PASSWORD);
    await confirmationField().fill(NEW_PASSWORD);
    await submitButton().click();

    await page.getByRole('heading', { name: 'Bạn đã có tài khoản' }).waitFor();
    await page.getByText('Hãy đăng nhập bằng mật khẩu của tài khoản đó.').waitFor();
    await checkScreen(page, artifacts, '07-account-exists.png');
    await page.getByRole('link', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/login$/);
    assert.deepEqual(pageErrors, []);
  });

  it('says a wrong link is wrong', async () => {
    await page.goto(`${baseUrl}/invite/khong-co-loi-moi-nay`);
    await page.getByRole('heading', { name: 'Liên kết không đúng' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Không tìm thấy lời mời này' }).waitFor();
    assert.equal(await passwordField().count(), 0);
    await checkBoth('08-link-unknown');
  });
});

describe('password reset', () => {
  it('asks for a reset e-mail from the login page, saying the same for any address', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('link', { name: 'Quên mật khẩu?' }).click();
    await page.waitForURL(/\/forgot$/);
    await page.getByRole('heading', { name: 'Quên mật khẩu' }).waitFor();
    await checkBoth('09-forgot');
    await page.getByLabel('Email').fill('khong-ai@songhong.test');
    await page.getByRole('button', { name: 'Gửi liên kết' }).click();

    await page.getByText('Nếu email này có tài khoản, thư có liên kết đặt lại mật khẩu đã được gửi.').waitFor();
    await checkBoth('10-forgot-sent');
    await page.getByRole('link', { name: 'Quay lại đăng nhập' }).click();
    await page.waitForURL(/\/login$/);
  });

  it("sets a new password with an admin's link, which is spent after", async () => {
    const { access_token: token } = await api(baseUrl, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: PASSWORD },
    });
    const users = await api(baseUrl, 'GET', '/users?per_page=100', { token });
    const invitee = users.find((u) => u.email === INVITEE.email);
    assert.ok(invitee, 'the admin sees the enterprise account');
    const link = await api(baseUrl, 'POST', `/users/${invitee.id}/password-reset`, { token });
    assert.equal(link.email_delivery, 'not_configured');

    await page.goto(baseUrl + link.reset_path);
    await page.getByRole('heading', { name: 'Đặt lại mật khẩu' }).waitFor();
    await page.getByText(`Xin chào ${INVITEE.name}`, { exact: true }).waitFor();
    await page.getByText(`Tài khoản: ${INVITEE.email}.`).waitFor();
    await checkBoth('11-reset-form');
    await passwordField().fill('ngan');
    await confirmationField().fill('ngan');
    await submitButton().click();
    await page.getByText('Mật khẩu cần ít nhất 10 ký tự.').waitFor();
    await passwordField().fill(RESET_PASSWORD);
    await confirmationField().fill(RESET_PASSWORD);
    await submitButton().click();

    await page.waitForURL(/\/portal$/);
    await expectAppBar(page, INVITEE);
    const login = await api(baseUrl, 'POST', '/auth/login', {
      body: { email: INVITEE.email, password: RESET_PASSWORD },
    });
    assert.equal(login.user.email, INVITEE.email);

    await page.goto(baseUrl + link.reset_path);
    await page.getByRole('heading', { name: 'Liên kết đã được dùng' }).waitFor();
    await page.getByRole('link', { name: 'Yêu cầu liên kết mới' }).waitFor();
    assert.equal(await passwordField().count(), 0);
    await checkBoth('12-reset-used');
    assert.deepEqual(pageErrors, []);
  });
});

