//! The bar at the top of every signed-in page: who is signed in, how many photos still wait
//! to be sent, the language switch and signing out.

use std::rc::Rc;

use kiemtra_shared::auth::Me;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::auth::{Session, use_auth};
use crate::i18n::{use_lang, use_strings};
use crate::outbox::use_outbox;
use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct AppBarProps {
    pub session: Rc<Session>,
}

#[component]
pub fn AppBar(props: &AppBarProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let navigator = use_navigator();
    let unsent = use_outbox().unsent();
    let sign_out = Callback::from(move |_| {
        if unsent > 0 && !gloo::dialogs::confirm(&strings.confirm_sign_out_unsent(unsent)) {
            return;
        }
        auth.sign_out();
        if let Some(navigator) = &navigator {
            navigator.push(&Route::Login);
        }
    });
    let user = &props.session.user;
    html! {
        <header class="app-bar">
            <Link<Route> to={Route::Inspections} classes="app-bar__brand">
                <img src="/icon-192.png" alt="" width="28" height="28" />
                <span>{ strings.app_name }</span>
            </Link<Route>>
            <div class="app-bar__user">
                <UserBadge user={user.clone()} />
                if unsent > 0 {
                    <span class="app-bar__unsent" role="status">{ "⇡ " }{ strings.unsent_photos(unsent) }</span>
                }
            </div>
            <div class="app-bar__actions">
                <LanguageSwitch />
                <button type="button" class="button button--ghost button--small" onclick={sign_out}>
                    { strings.sign_out }
                </button>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct UserBadgeProps {
    pub user: Me,
}

#[derive(Properties, PartialEq)]
pub struct BundleBarProps {
    pub session: Rc<Session>,
    /// The home of the bundle (`/agency`, `/portal`).
    pub home: AttrValue,
    /// The bundle's own class for the bar.
    #[prop_or_default]
    pub class: Classes,
}

/// The bar at the top of the agency screens and of the portal: bundles of their own, so the
/// brand is a plain link to their home, and signing out leaves for the field app's sign-in page.
#[component]
pub fn BundleBar(props: &BundleBarProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let sign_out = Callback::from(move |_| {
        auth.sign_out();
        let _ = gloo::utils::window().location().assign("/login");
    });
    html! {
        <header class={classes!("app-bar", props.class.clone())}>
            <a href={props.home.clone()} class="app-bar__brand">
                <img src="/icon-192.png" alt="" width="28" height="28" />
                <span>{ strings.app_name }</span>
            </a>
            <div class="app-bar__user">
                <UserBadge user={props.session.user.clone()} />
            </div>
            <div class="app-bar__actions">
                <LanguageSwitch />
                <button type="button" class="button button--ghost button--small" onclick={sign_out}>
                    { strings.sign_out }
                </button>
            </div>
        </header>
    }
}

/// Who is signed in: their name and role, as every header shows them.
#[component]
pub fn UserBadge(props: &UserBadgeProps) -> Html {
    let strings = use_strings();
    html! {
        <>
            <span class="app-bar__name">{ &props.user.display_name }</span>
            <span class="app-bar__role">{ strings.role(props.user.role) }</span>
        </>
    }
}

/// The button that switches the interface to the other language, labelled in that language.
#[component]
pub fn LanguageSwitch() -> Html {
    let lang = use_lang();
    let strings = use_strings();
    let other = lang.lang().other();
    let switch = Callback::from(move |_| lang.set(other));
    html! {
        <button type="button" class="button button--ghost button--small"
            onclick={switch} lang={other.code()}>
            { strings.switch_language }
        </button>
    }
}
