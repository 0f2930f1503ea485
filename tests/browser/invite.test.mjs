// The invitation link on a 360×800 phone: a reviewer invites a person to act for the demo
// enterprise (through the API: there is no screen for it yet); the invitee opens the link, is
// told the password rule and that the two passwords differ before anything is sent, sets a
// password and lands on the enterprise's inspections, signed in. The spent link then says it is
// no longer valid, and a second invitation for the same email says the account exists.
//
// The tests of this file run in order and share one server and one browser.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkScreen, PASSWORD, REVIEWER, api, expectAppBar, startAll } from './support.mjs';

const DECISION_NUMBER = '125/QĐ-TTr';
const INVITEE = { email: 'le.thi.an@songhong.test', name: 'Lê Thị An', role: 'Doanh nghiệp' };
const NEW_PASSWORD = 'Song-Hong-2026';

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

async function expectFocused(id) {
  await page.waitForFunction((id) => document.activeElement?.id === id, id);
}

describe('invitation link', () => {
  it('shows the password rule and sends nothing when the password is too short', async () => {
    await page.goto(baseUrl + invite.accept_path);
    await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();
    await page.getByText('Ít nhất 10 ký tự.').waitFor();
    await checkScreen(page, artifacts, '01-form.png');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByText('At least 10 characters.').waitFor();
    await checkScreen(page, artifacts, '01-form-en.png');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Đặt mật khẩu' }).waitFor();

    await passwordField().fill('ngan-qua');
    await confirmationField().fill('ngan-qua');
    await submitButton().click();

    await page.getByText('Mật khẩu cần ít nhất 10 ký tự.').waitFor();
    assert.equal(await passwordField().getAttribute('aria-invalid'), 'true');
    await expectFocused('invite-password');
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
    await expectFocused('invite-confirmation');
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

    await page.waitForURL(/\/inspections$/);
    await expectAppBar(page, INVITEE);
    await page.getByRole('link').filter({ hasText: DECISION_NUMBER }).waitFor();
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

  it('says the link is no longer valid when it is opened again', async () => {
    await page.goto(baseUrl + invite.accept_path);
    // Still signed in from the first visit: the page says as whom.
    await page.getByText(`Máy này đang đăng nhập với tài khoản ${INVITEE.name} (${INVITEE.role}).`).waitFor();
    await checkScreen(page, artifacts, '05-signed-in-form.png');
    await passwordField().fill('Mot-mat-khau-khac');
    await confirmationField().fill('Mot-mat-khau-khac');
    await submitButton().click();

    await page.getByRole('heading', { name: 'Liên kết không còn hiệu lực' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'gửi cho bạn một liên kết mới' }).waitFor();
    assert.equal(await passwordField().count(), 0, 'the form of a spent link is still shown');
    await checkScreen(page, artifacts, '06-link-spent.png');

    // The refusal left the session alone: the way out leads to the invitee's list.
    await page.getByRole('link', { name: 'Cuộc thanh tra' }).click();
    await page.waitForURL(/\/inspections$/);
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
});

