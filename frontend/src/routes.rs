//! The routes of the app and the page each one shows.

use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::auth::{RequireSession, use_auth};
use crate::pages::accept_invite::AcceptInvitePage;
use crate::pages::inspection_detail::InspectionDetailPage;
use crate::pages::inspection_list::InspectionListPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    /// The link of an invitation (`InviteCreated::accept_path`): set a password, get an account.
    #[at("/invite/:token")]
    Invite { token: String },
    #[at("/inspections")]
    Inspections,
    #[at("/inspections/:id")]
    Inspection { id: Uuid },
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Login => html! { <LoginPage /> },
        Route::Invite { token } => html! { <AcceptInvitePage token={token} /> },
        Route::Inspections => html! {
            <RequireSession render={Callback::from(|session| html! {
                <InspectionListPage {session} />
            })} />
        },
        Route::Inspection { id } => html! {
            <RequireSession render={Callback::from(move |session| html! {
                <InspectionDetailPage {session} {id} />
            })} />
        },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

/// `/` goes to the inspection list when signed in, to the login page otherwise.
#[component]
fn Home() -> Html {
    let to = if use_auth().session().is_some() {
        Route::Inspections
    } else {
        Route::Login
    };
    html! { <Redirect<Route> {to} /> }
}
