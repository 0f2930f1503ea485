//! The kiemtra PWA: inspectors fill in site checklists and take evidence photos on their
//! phones; reviewers read them. Built with `cargo xtask build-pwa`, served by the API server.

mod api;
mod auth;
mod browser;
mod components;
mod i18n;
mod outbox;
mod pages;
mod routes;
mod store;

use wasm_bindgen::prelude::wasm_bindgen;
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

/// Runs when `index.html` initialises the module: replaces the loading message of
/// `index.html` with the app.
#[wasm_bindgen(start)]
pub fn start() {
    if let Some(boot) = gloo::utils::document().get_element_by_id("boot") {
        boot.remove();
    }
    yew::Renderer::<App>::new().render();
}
