//! Signing in with email and password.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::auth::use_auth;
use crate::components::notice::{Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use crate::pages::new_password::use_link_strings;
use crate::routes::{Landing, Route};
use yew_router::prelude::Link;

#[component]
pub fn LoginPage() -> Html {
    let auth = use_auth();
    let lang = use_lang();
    let links = use_link_strings();
    let strings = use_strings();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    if let Some(session) = auth.session() {
        return html! { <Landing {session} /> };
    }

    let on_email = {
        let email = email.clone();
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let expired = auth.expired();
    let on_submit = {
        let (email, password, busy, error) =
            (email.clone(), password.clone(), busy.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (email, password, busy, error, auth) = (
                (*email).clone(),
                (*password).clone(),
                busy.clone(),
                error.clone(),
                auth.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::login(email.trim(), &password).await {
                    // Signing in re-renders this page, which redirects to the list.
                    Ok(login) => auth.sign_in(login),
                    Err(failure) => {
                        error.set(Some(failure.user_message(strings)));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let switch_language = {
        let lang = lang.clone();
        Callback::from(move |_| lang.set(lang.lang().other()))
    };

    html! {
        <main class="login">
            <div class="login__brand">
                <img src="/icon-192.png" alt="" width="72" height="72" />
                <h1>{ strings.app_name }</h1>
                <p>{ strings.app_tagline }</p>
            </div>
            <form class="card login__form" onsubmit={on_submit} novalidate=true>
                <h2>{ strings.sign_in }</h2>
                if expired && error.is_none() {
                    <Notice tone={Tone::Info}>{ strings.session_expired }</Notice>
                }
                if let Some(message) = &*error {
                    <Notice tone={Tone::Error}>{ message.clone() }</Notice>
                }
                <label class="field">
                    <span class="field__label">{ strings.email }</span>
                    <input type="email" name="email" autocomplete="username" inputmode="email"
                        autocapitalize="none" spellcheck="false" required=true
                        value={(*email).clone()} oninput={on_email} />
                </label>
                <label class="field">
                    <span class="field__label">{ strings.password }</span>
                    <input type="password" name="password" autocomplete="current-password" required=true
                        value={(*password).clone()} oninput={on_password} />
                </label>
                <button type="submit" class="button button--primary button--block" disabled={*busy}>
                    { if *busy { strings.signing_in } else { strings.sign_in } }
                </button>
            </form>
            <p class="invite__sign-in">
                <Link<Route> to={Route::Forgot}>{ links.forgot_password }</Link<Route>>
            </p>
            <button type="button" class="button button--ghost login__lang" onclick={switch_language}>
                { strings.switch_language }
            </button>
        </main>
    }
}
