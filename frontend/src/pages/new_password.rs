//! What the invitation page and the password-reset page share: the new-password form (two
//! fields, shown or hidden together, checked as typed after a first try), how a one-time link
//! that cannot be used is told, and the texts of the link pages in their own table.

use kiemtra_shared::auth::MIN_PASSWORD_CHARS;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{Lang, use_lang, use_strings};

const PASSWORD_ID: &str = "new-password";
const PASSWORD_HINT_ID: &str = "new-password-hint";
const CONFIRMATION_ID: &str = "new-password-confirmation";
const CONFIRMATION_PROBLEM_ID: &str = "new-password-confirmation-problem";

/// Texts of the invitation, password-reset and forgotten-password pages, Vietnamese first.
#[derive(Debug, PartialEq)]
pub struct LinkStrings {
    pub checking_link: &'static str,
    pub link_used_title: &'static str,
    pub link_expired_title: &'static str,
    pub link_unknown_title: &'static str,
    pub invite_used_text: &'static str,
    pub invite_expired_text: &'static str,
    pub invite_unknown_text: &'static str,
    pub reset_used_text: &'static str,
    pub reset_expired_text: &'static str,
    pub reset_unknown_text: &'static str,
    pub reset_title: &'static str,
    pub forgot_password: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub send_link: &'static str,
    pub sending_link: &'static str,
    pub forgot_sent: &'static str,
    pub back_to_sign_in: &'static str,
    pub ask_again: &'static str,
}

pub const VI: LinkStrings = LinkStrings {
    checking_link: "Đang kiểm tra liên kết…",
    link_used_title: "Liên kết đã được dùng",
    link_expired_title: "Liên kết đã hết hạn",
    link_unknown_title: "Liên kết không đúng",
    invite_used_text: "Lời mời này đã được dùng để tạo tài khoản. Hãy đăng nhập bằng mật khẩu đã đặt, hoặc đề nghị cơ quan thanh tra gửi lời mời mới.",
    invite_expired_text: "Lời mời này đã hết hạn. Hãy đề nghị cơ quan thanh tra gửi cho bạn một lời mời mới.",
    invite_unknown_text: "Không tìm thấy lời mời này: liên kết có thể bị chép thiếu. Hãy mở lại liên kết trong thư, hoặc đề nghị cơ quan thanh tra gửi lời mời mới.",
    reset_used_text: "Liên kết đặt lại mật khẩu này đã được dùng. Hãy đăng nhập, hoặc yêu cầu một liên kết mới.",
    reset_expired_text: "Liên kết đặt lại mật khẩu này đã hết hạn. Hãy yêu cầu một liên kết mới.",
    reset_unknown_text: "Không tìm thấy liên kết này: có thể nó bị chép thiếu. Hãy mở lại liên kết trong thư, hoặc yêu cầu một liên kết mới.",
    reset_title: "Đặt lại mật khẩu",
    forgot_password: "Quên mật khẩu?",
    forgot_title: "Quên mật khẩu",
    forgot_intro: "Nhập email của tài khoản. Nếu email có tài khoản, chúng tôi gửi vào đó một liên kết để đặt mật khẩu mới. Nếu không nhận được thư, hãy nhờ quản trị viên của cơ quan tạo liên kết cho bạn.",
    send_link: "Gửi liên kết",
    sending_link: "Đang gửi…",
    forgot_sent: "Nếu email này có tài khoản, thư có liên kết đặt lại mật khẩu đã được gửi. Liên kết dùng được một lần, trong 60 phút.",
    back_to_sign_in: "Quay lại đăng nhập",
    ask_again: "Yêu cầu liên kết mới",
};

pub const EN: LinkStrings = LinkStrings {
    checking_link: "Checking the link…",
    link_used_title: "This link was used already",
    link_expired_title: "This link has expired",
    link_unknown_title: "This link is wrong",
    invite_used_text: "This invitation was used to make an account already. Sign in with the password that was set, or ask the inspection agency for a new invitation.",
    invite_expired_text: "This invitation has expired. Ask the inspection agency to send you a new one.",
    invite_unknown_text: "This invitation was not found: the link may have been copied in part. Open the link in the e-mail again, or ask the inspection agency for a new invitation.",
    reset_used_text: "This password-reset link was used already. Sign in, or ask for a new link.",
    reset_expired_text: "This password-reset link has expired. Ask for a new link.",
    reset_unknown_text: "This link was not found: it may have been copied in part. Open the link in the e-mail again, or ask for a new one.",
    reset_title: "Reset your password",
    forgot_password: "Forgot your password?",
    forgot_title: "Forgotten password",
    forgot_intro: "Enter your account's email. If it has an account, we send it a link to set a new password. If no e-mail arrives, ask your agency's administrator to make a link for you.",
    send_link: "Send the link",
    sending_link: "Sending…",
    forgot_sent: "If this email has an account, an e-mail with a password-reset link is on its way. The link works once, within 60 minutes.",
    back_to_sign_in: "Back to sign-in",
    ask_again: "Ask for a new link",
};

impl LinkStrings {
    pub fn of(lang: Lang) -> &'static LinkStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// The greeting of the invitation page.
    pub fn invite_greeting(&self, lang: Lang, name: &str) -> String {
        match lang {
            Lang::Vi => format!("Xin chào {name}"),
            Lang::En => format!("Hello {name}"),
        }
    }

    /// Who invites whom for which enterprise.
    pub fn invite_for(&self, lang: Lang, agency: &str, enterprise: &str) -> String {
        match lang {
            Lang::Vi => format!(
                "{agency} mời bạn dùng Kiểm tra thay mặt {enterprise}: điền phiếu, gửi tài liệu và minh chứng khắc phục. Chọn một mật khẩu để đăng nhập."
            ),
            Lang::En => format!(
                "{agency} invites you to use Kiemtra for {enterprise}: fill in forms, send documents and proof of fixes. Choose a password to sign in."
            ),
        }
    }

    /// The account and how long the link holds.
    pub fn account_until(&self, lang: Lang, email: &str, until: &str) -> String {
        match lang {
            Lang::Vi => format!("Tài khoản: {email}. Liên kết dùng được đến {until}."),
            Lang::En => format!("Account: {email}. The link works until {until}."),
        }
    }
}

#[hook]
pub fn use_link_strings() -> &'static LinkStrings {
    LinkStrings::of(use_lang().lang())
}

/// Why a one-time link cannot be used, from the answer to looking it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadLink {
    Used,
    Expired,
    Unknown,
}

impl DeadLink {
    pub fn of(failure: &ApiError) -> Option<DeadLink> {
        match failure {
            ApiError::NotFound(_) => Some(DeadLink::Unknown),
            ApiError::Rejected { status: 410, body } if body.code == api::auth::LINK_USED => {
                Some(DeadLink::Used)
            }
            ApiError::Rejected { status: 410, .. } => Some(DeadLink::Expired),
            _ => None,
        }
    }

    pub fn title(self, strings: &LinkStrings) -> &'static str {
        match self {
            DeadLink::Used => strings.link_used_title,
            DeadLink::Expired => strings.link_expired_title,
            DeadLink::Unknown => strings.link_unknown_title,
        }
    }
}

/// A date and time as people read it here: `14:05 17/12/2026` (local time).
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let offset_minutes = js_sys::Date::new_0().get_timezone_offset() as i64;
    (at - chrono::Duration::minutes(offset_minutes))
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

/// What is wrong with the passwords as typed; checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Problems {
    too_short: bool,
    differ: bool,
}

impl Problems {
    /// Counts characters as the server does, not bytes: "mậtkhẩu" is 7 long.
    fn of(password: &str, confirmation: &str) -> Problems {
        Problems {
            too_short: password.chars().count() < MIN_PASSWORD_CHARS,
            differ: password != confirmation,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NewPasswordFormProps {
    pub heading: AttrValue,
    /// Shown under the heading: whom the link is for.
    #[prop_or_default]
    pub children: Html,
    pub busy: bool,
    pub error: Option<String>,
    /// Called with the new password once both fields agree and it is long enough.
    pub on_submit: Callback<String>,
}

/// The new password, typed twice.
#[component]
pub fn NewPasswordForm(props: &NewPasswordFormProps) -> Html {
    let strings = use_strings();
    let password = use_state(String::new);
    let confirmation = use_state(String::new);
    let visible = use_state(|| false);
    // The checks are shown once the user has tried to send, then follow the typing.
    let checked = use_state(|| false);
    let password_ref = use_node_ref();
    let confirmation_ref = use_node_ref();

    let problems = Problems::of(&password, &confirmation);
    let shown = if *checked {
        problems
    } else {
        Problems::default()
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_confirmation = {
        let confirmation = confirmation.clone();
        Callback::from(move |e: InputEvent| {
            confirmation.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let toggle_visible = {
        let visible = visible.clone();
        Callback::from(move |_| visible.set(!*visible))
    };
    let on_submit = {
        let value = (*password).clone();
        let checked = checked.clone();
        let (password_ref, confirmation_ref) = (password_ref.clone(), confirmation_ref.clone());
        let (busy, submit) = (props.busy, props.on_submit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            checked.set(true);
            if problems.too_short {
                focus(&password_ref);
            } else if problems.differ {
                focus(&confirmation_ref);
            } else {
                submit.emit(value.clone());
            }
        })
    };

    html! {
        <form class="card login__form" onsubmit={on_submit} novalidate=true>
            <h2>{ &props.heading }</h2>
            { props.children.clone() }
            if let Some(message) = &props.error {
                <crate::components::notice::Notice tone={crate::components::notice::Tone::Error}>
                    { message.clone() }
                </crate::components::notice::Notice>
            }
            <div class="field">
                <label class="field__label" for={PASSWORD_ID}>{ strings.new_password }</label>
                <div class="password-input">
                    <input id={PASSWORD_ID} ref={password_ref} class="input"
                        type={if *visible { "text" } else { "password" }}
                        name="new-password" autocomplete="new-password"
                        autocapitalize="none" autocorrect="off" spellcheck="false" required=true
                        aria-invalid={shown.too_short.to_string()}
                        aria-describedby={PASSWORD_HINT_ID}
                        value={(*password).clone()} oninput={on_password} />
                    <button type="button" class="button button--secondary password-input__toggle"
                        aria-controls={format!("{PASSWORD_ID} {CONFIRMATION_ID}")}
                        aria-label={if *visible { strings.hide_password } else { strings.show_password }}
                        onclick={toggle_visible}>
                        { if *visible { strings.hide } else { strings.show } }
                    </button>
                </div>
                if shown.too_short {
                    <p id={PASSWORD_HINT_ID} class="problem">{ strings.password_too_short() }</p>
                } else {
                    <p id={PASSWORD_HINT_ID} class="field__hint">{ strings.password_rule() }</p>
                }
            </div>
            <div class="field">
                <label class="field__label" for={CONFIRMATION_ID}>{ strings.confirm_password }</label>
                <input id={CONFIRMATION_ID} ref={confirmation_ref} class="input"
                    type={if *visible { "text" } else { "password" }}
                    name="confirm-password" autocomplete="new-password"
                    autocapitalize="none" autocorrect="off" spellcheck="false" required=true
                    aria-invalid={shown.differ.to_string()}
                    aria-describedby={shown.differ.then_some(CONFIRMATION_PROBLEM_ID)}
                    value={(*confirmation).clone()} oninput={on_confirmation} />
                if shown.differ {
                    <p id={CONFIRMATION_PROBLEM_ID} class="problem">{ strings.passwords_differ }</p>
                }
            </div>
            <button type="submit" class="button button--primary button--block" disabled={props.busy}>
                { if props.busy { strings.setting_password } else { strings.set_password } }
            </button>
        </form>
    }
}

/// Puts the cursor in the field to correct, which also brings it into view above the keyboard.
fn focus(field: &NodeRef) {
    if let Some(input) = field.cast::<HtmlInputElement>() {
        // A field that cannot take focus still shows its problem.
        let _ = input.focus();
    }
}
