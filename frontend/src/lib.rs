//! The kiemtra PWA: inspectors fill in site checklists and take evidence photos on their
//! phones; reviewers and admins work in the agency screens. Built with `cargo xtask build-pwa`,
//! served by the API server.
//!
//! Three downloads are built from this library: `kiemtra-field` (src/bin/field.rs,
//! [`run_field`]), the app the phone installs; `kiemtra-agency` (src/bin/agency.rs,
//! [`agency::run`]), loaded only under `/agency` when an agency role opens it; and
//! `kiemtra-portal` (src/bin/portal.rs, [`portal::run`]), the enterprise portal under `/portal`.
//! None references another's screens, so the linker leaves them out and the phone never
//! downloads the agency or portal code.

pub mod agency;
mod api;
mod auth;
mod browser;
mod components;
mod i18n;
mod outbox;
mod pages;
pub mod portal;
mod routes;
mod store;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::auth::AuthProvider;
use crate::i18n::LangProvider;
use crate::outbox::OutboxProvider;
use crate::routes::{Route, switch};

#[component]
fn App() -> Html {
    html! {
        <LangProvider>
            <AuthProvider>
                <OutboxProvider>
                    <BrowserRouter>
                        <Switch<Route> render={switch} />
                    </BrowserRouter>
                </OutboxProvider>
            </AuthProvider>
        </LangProvider>
    }
}

/// The field app: runs when `index.html` initialises the `kiemtra-field` module.
pub fn run_field() {
    remove_boot_message();
    yew::Renderer::<App>::new().render();
}

/// Replaces the loading message of the HTML page with the app.
fn remove_boot_message() {
    if let Some(boot) = gloo::utils::document().get_element_by_id("boot") {
        boot.remove();
    }
}
