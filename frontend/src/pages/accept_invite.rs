//! The invitation link `/invite/<token>`: the person an agency invited to act for an enterprise
//! chooses a password here and is signed in with the new account.
//!
//! The link may be opened on a phone someone is signed in on already (an inspector setting up
//! the enterprise's phone, say): the page still works, says who is signed in, and replaces that
//! session with the new account's.
//!
//! Whether the link is still valid is only known once a password is sent: the API has no call
//! that looks an invitation up without accepting it.

use kiemtra_shared::auth::MIN_PASSWORD_CHARS;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::notice::{Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use crate::routes::Route;

const PASSWORD_ID: &str = "invite-password";
const PASSWORD_HINT_ID: &str = "invite-password-hint";
const CONFIRMATION_ID: &str = "invite-confirmation";
const CONFIRMATION_PROBLEM_ID: &str = "invite-confirmation-problem";

#[derive(Properties, PartialEq)]
pub struct AcceptInvitePageProps {
    /// The invitation's token, from the link.
    pub token: AttrValue,
}

/// Why the invitation cannot be accepted, so that the form is of no more use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeadEnd {
    /// The link is unknown, spent or expired.
    InviteInvalid,
    /// The invited email has an account already.
    AccountExists,
}

impl DeadEnd {
    fn of(failure: &ApiError) -> Option<DeadEnd> {
        if failure.has_detail(api::auth::INVITE_INVALID) {
            Some(DeadEnd::InviteInvalid)
        } else if matches!(failure, ApiError::Rejected { status: 409, .. }) {
            Some(DeadEnd::AccountExists)
        } else {
            None
        }
    }
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

#[component]
pub fn AcceptInvitePage(props: &AcceptInvitePageProps) -> Html {
    let auth = use_auth();
    let lang = use_lang();
    let strings = use_strings();
    let navigator = use_navigator();
    let password = use_state(String::new);
    let confirmation = use_state(String::new);
    let visible = use_state(|| false);
    // The checks are shown once the user has tried to send, then follow the typing.
    let checked = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let dead_end = use_state(|| None::<DeadEnd>);
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
        let token = props.token.clone();
        let password = (*password).clone();
        let (busy, checked, error, dead_end) = (
            busy.clone(),
            checked.clone(),
            error.clone(),
            dead_end.clone(),
        );
        let (password_ref, confirmation_ref) = (password_ref.clone(), confirmation_ref.clone());
        let auth = auth.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            checked.set(true);
            error.set(None);
            if problems.too_short {
                focus(&password_ref);
                return;
            }
            if problems.differ {
                focus(&confirmation_ref);
                return;
            }
            busy.set(true);
            let (token, password, busy, error, dead_end, auth, navigator) = (
                token.clone(),
                password.clone(),
                busy.clone(),
                error.clone(),
                dead_end.clone(),
                auth.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::accept_invite(&token, &password).await {
                    Ok(login) => {
                        // Whoever was signed in on this device is signed out, on the server
                        // too: the phone now belongs to the invited person.
                        auth.sign_out();
                        auth.sign_in(login);
                        // Replace: going back must not show the spent link's form.
                        if let Some(navigator) = navigator {
                            navigator.replace(&Route::Inspections);
                        }
                    }
                    Err(failure) => {
                        busy.set(false);
                        if let Some(end) = DeadEnd::of(&failure) {
                            dead_end.set(Some(end));
                        } else if failure.has_detail(api::auth::PASSWORD_TOO_SHORT) {
                            error.set(Some(strings.password_too_short()));
                        } else {
                            error.set(Some(failure.user_message(strings)));
                        }
                    }
                }
            });
        })
    };
    let switch_language = {
        let lang = lang.clone();
        Callback::from(move |_| lang.set(lang.lang().other()))
    };

    let signed_in = auth.session().map(|session| {
        html! {
            <Notice tone={Tone::Info}>
                <p>{ strings.signed_in_as(&session.user.display_name, session.user.role) }</p>
                if dead_end.is_none() {
                    <p>{ strings.switch_account }</p>
                }
            </Notice>
        }
    });

    let body = match *dead_end {
        Some(end) => {
            // Having an account already is good news, only not what the link is for.
            let (title, text, tone) = match end {
                DeadEnd::InviteInvalid => (
                    strings.invite_invalid_title,
                    strings.invite_invalid_text,
                    Tone::Error,
                ),
                DeadEnd::AccountExists => (
                    strings.account_exists_title,
                    strings.account_exists_text,
                    Tone::Info,
                ),
            };
            // Signed in, the login page would only forward to the list: go there directly.
            let (to, label) = if auth.session().is_some() {
                (Route::Inspections, strings.inspections)
            } else {
                (Route::Login, strings.sign_in)
            };
            html! {
                <section class="card login__form invite__dead-end">
                    <h2>{ title }</h2>
                    { signed_in }
                    <Notice {tone}>{ text }</Notice>
                    <Link<Route> {to} classes="button button--primary button--block">{ label }</Link<Route>>
                </section>
            }
        }
        None => html! {
            <>
                <form class="card login__form" onsubmit={on_submit} novalidate=true>
                    <h2>{ strings.invite_title }</h2>
                    <p class="invite__intro">{ strings.invite_intro }</p>
                    { signed_in }
                    if let Some(message) = &*error {
                        <Notice tone={Tone::Error}>{ message.clone() }</Notice>
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
                    <button type="submit" class="button button--primary button--block" disabled={*busy}>
                        { if *busy { strings.setting_password } else { strings.set_password } }
                    </button>
                </form>
                <p class="invite__sign-in">
                    { strings.have_account }{ " " }
                    <Link<Route> to={Route::Login}>{ strings.sign_in }</Link<Route>>
                </p>
            </>
        },
    };

    html! {
        <main class="login">
            <div class="login__brand">
                <img src="/icon-192.png" alt="" width="72" height="72" />
                <h1>{ strings.app_name }</h1>
                <p>{ strings.app_tagline }</p>
            </div>
            { body }
            <button type="button" class="button button--ghost login__lang" onclick={switch_language}>
                { strings.switch_language }
            </button>
        </main>
    }
}

/// Puts the cursor in the field to correct, which also brings it into view above the keyboard.
fn focus(field: &NodeRef) {
    if let Some(input) = field.cast::<HtmlInputElement>() {
        // A field that cannot take focus still shows its problem.
        let _ = input.focus();
    }
}
