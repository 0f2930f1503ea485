//! The invitation link `/invite/<token>`: the person an agency invited to act for an enterprise
//! chooses a password here and is signed in with the new account.
//!
//! The page looks the invitation up first (`GET /auth/invites/{token}`): it greets the invitee
//! by name, with the enterprise and the inviting agency, and tells a used, expired or wrong
//! link at once, before anything is typed.
//!
//! The link may be opened on a phone someone is signed in on already (an inspector setting up
//! the enterprise's phone, say): the page still works, says who is signed in, and replaces that
//! session with the new account's.

use kiemtra_shared::auth::InvitePreview;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use crate::pages::new_password::{DeadLink, NewPasswordForm, local_time, use_link_strings};
use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct AcceptInvitePageProps {
    /// The invitation's token, from the link.
    pub token: AttrValue,
}

/// Why the invitation cannot be accepted, so that the form is of no more use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeadEnd {
    /// The link is unknown, spent or expired, as looking it up said.
    Link(DeadLink),
    /// The link was refused when the password was sent (spent in another tab meanwhile).
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

/// What looking the invitation up gave.
#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    Checking,
    Found(InvitePreview),
    /// It could not be looked up (offline, say): the form is shown without the greeting, and
    /// sending the password tells whether the link holds.
    Unknown,
}

#[component]
pub fn AcceptInvitePage(props: &AcceptInvitePageProps) -> Html {
    let auth = use_auth();
    let lang = use_lang();
    let strings = use_strings();
    let links = use_link_strings();
    let navigator = use_navigator();
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let dead_end = use_state(|| None::<DeadEnd>);
    let lookup = use_state(|| Lookup::Checking);

    {
        let (lookup, dead_end) = (lookup.clone(), dead_end.clone());
        use_effect_with(props.token.clone(), move |token| {
            let token = token.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::show_invite(&token).await {
                    Ok(preview) => lookup.set(Lookup::Found(preview)),
                    Err(failure) => {
                        if let Some(dead) = DeadLink::of(&failure) {
                            dead_end.set(Some(DeadEnd::Link(dead)));
                        }
                        lookup.set(Lookup::Unknown);
                    }
                }
            });
        });
    }

    let on_submit = {
        let token = props.token.clone();
        let (busy, error, dead_end) = (busy.clone(), error.clone(), dead_end.clone());
        let auth = auth.clone();
        Callback::from(move |password: String| {
            busy.set(true);
            error.set(None);
            let (token, busy, error, dead_end, auth, navigator) = (
                token.clone(),
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
                DeadEnd::Link(dead) => (
                    dead.title(links),
                    match dead {
                        DeadLink::Used => links.invite_used_text,
                        DeadLink::Expired => links.invite_expired_text,
                        DeadLink::Unknown => links.invite_unknown_text,
                    },
                    Tone::Error,
                ),
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
        None if *lookup == Lookup::Checking => html! {
            <section class="card login__form">
                <Loading text={links.checking_link} />
            </section>
        },
        None => html! {
            <>
                <NewPasswordForm heading={strings.invite_title} busy={*busy} error={(*error).clone()}
                    {on_submit}>
                    if let Lookup::Found(invite) = &*lookup {
                        <p class="invite__greeting">{ links.invite_greeting(lang.lang(), &invite.display_name) }</p>
                        <p class="invite__intro">
                            { links.invite_for(lang.lang(), &invite.agency_name, &invite.enterprise_name) }
                        </p>
                        <p class="invite__intro">
                            { links.account_until(lang.lang(), &invite.email, &local_time(invite.expires_at)) }
                        </p>
                    } else {
                        <p class="invite__intro">{ strings.invite_intro }</p>
                    }
                    { signed_in }
                </NewPasswordForm>
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
