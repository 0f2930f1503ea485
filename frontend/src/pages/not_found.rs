//! Any path the app does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::use_strings;
use crate::routes::Route;

#[component]
pub fn NotFoundPage() -> Html {
    let strings = use_strings();
    html! {
        <main class="page page--narrow">
            <div class="card empty">
                <h1>{ strings.not_found_title }</h1>
                <p>{ strings.not_found_text }</p>
                <Link<Route> to={Route::Home} classes="button button--primary">
                    { strings.inspections }
                </Link<Route>>
            </div>
        </main>
    }
}
