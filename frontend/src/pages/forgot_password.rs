//! `/forgot`: asks for a password-reset e-mail. The server answers the same for any address, so
//! the page says the same too: "if this email has an account, a link is on its way".

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::notice::{Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use crate::pages::new_password::use_link_strings;
use crate::routes::Route;

#[component]
pub fn ForgotPasswordPage() -> Html {
    let lang = use_lang();
    let strings = use_strings();
    let links = use_link_strings();
    let email = use_state(String::new);
    let busy = use_state(|| false);
    let sent = use_state(|| false);
    let error = use_state(|| None::<String>);

    let on_email = {
        let email = email.clone();
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_submit = {
        let (email, busy, sent, error) = (email.clone(), busy.clone(), sent.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (email, busy, sent, error) =
                ((*email).clone(), busy.clone(), sent.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::request_password_reset(email.trim()).await {
                    Ok(()) => sent.set(true),
                    Err(failure) => error.set(Some(failure.user_message(strings))),
                }
                busy.set(false);
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
                <h2>{ links.forgot_title }</h2>
                if *sent {
                    <Notice tone={Tone::Success}>{ links.forgot_sent }</Notice>
                } else {
                    <p class="invite__intro">{ links.forgot_intro }</p>
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
                <button type="submit" class="button button--primary button--block" disabled={*busy}>
                    { if *busy { links.sending_link } else { links.send_link } }
                </button>
            </form>
            <p class="invite__sign-in">
                <Link<Route> to={Route::Login}>{ links.back_to_sign_in }</Link<Route>>
            </p>
            <button type="button" class="button button--ghost login__lang" onclick={switch_language}>
                { strings.switch_language }
            </button>
        </main>
    }
}
