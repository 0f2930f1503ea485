//! The password-reset link `/reset/<token>`: looks the link up first (whose account, or why it
//! cannot be used), then sets the new password with the invitation's form and signs in. Every
//! other session of the account ends on the server.

use kiemtra_shared::auth::PasswordResetPreview;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::auth::use_auth;
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use crate::pages::new_password::{DeadLink, NewPasswordForm, local_time, use_link_strings};
use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct ResetPasswordPageProps {
    pub token: AttrValue,
}

#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    Checking,
    Found(PasswordResetPreview),
    Dead(DeadLink),
    /// Not looked up (offline, say): the form is shown, and sending tells.
    Unknown,
}

#[component]
pub fn ResetPasswordPage(props: &ResetPasswordPageProps) -> Html {
    let auth = use_auth();
    let lang = use_lang();
    let strings = use_strings();
    let links = use_link_strings();
    let navigator = use_navigator();
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let lookup = use_state(|| Lookup::Checking);

    {
        let lookup = lookup.clone();
        use_effect_with(props.token.clone(), move |token| {
            let token = token.clone();
            wasm_bindgen_futures::spawn_local(async move {
                lookup.set(match api::auth::show_password_reset(&token).await {
                    Ok(preview) => Lookup::Found(preview),
                    Err(failure) => DeadLink::of(&failure).map_or(Lookup::Unknown, Lookup::Dead),
                });
            });
        });
    }
    let on_submit = {
        let token = props.token.clone();
        let (busy, error, lookup) = (busy.clone(), error.clone(), lookup.clone());
        Callback::from(move |password: String| {
            busy.set(true);
            error.set(None);
            let (token, busy, error, lookup, auth, navigator) = (
                token.clone(),
                busy.clone(),
                error.clone(),
                lookup.clone(),
                auth.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::complete_password_reset(&token, &password).await {
                    Ok(login) => {
                        auth.sign_out();
                        auth.sign_in(login);
                        if let Some(navigator) = navigator {
                            navigator.replace(&Route::Home);
                        }
                    }
                    Err(failure) => {
                        busy.set(false);
                        if let Some(dead) = DeadLink::of(&failure) {
                            lookup.set(Lookup::Dead(dead));
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

    let body = match &*lookup {
        Lookup::Checking => html! {
            <section class="card login__form">
                <Loading text={links.checking_link} />
            </section>
        },
        Lookup::Dead(dead) => html! {
            <section class="card login__form invite__dead-end">
                <h2>{ dead.title(links) }</h2>
                <Notice tone={Tone::Error}>
                    { match dead {
                        DeadLink::Used => links.reset_used_text,
                        DeadLink::Expired => links.reset_expired_text,
                        DeadLink::Unknown => links.reset_unknown_text,
                    } }
                </Notice>
                <Link<Route> to={Route::Forgot} classes="button button--primary button--block">
                    { links.ask_again }
                </Link<Route>>
                <Link<Route> to={Route::Login} classes="button button--secondary button--block">
                    { links.back_to_sign_in }
                </Link<Route>>
            </section>
        },
        found => html! {
            <NewPasswordForm heading={links.reset_title} busy={*busy} error={(*error).clone()}
                {on_submit}>
                if let Lookup::Found(preview) = found {
                    <p class="invite__greeting">{ links.invite_greeting(lang.lang(), &preview.display_name) }</p>
                    <p class="invite__intro">
                        { links.account_until(lang.lang(), &preview.email, &local_time(preview.expires_at)) }
                    </p>
                }
            </NewPasswordForm>
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
