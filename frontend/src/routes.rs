//! The routes of the app and the page each one shows.

use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use std::rc::Rc;

use kiemtra_shared::auth::Role;

use crate::auth::{RequireSession, Session, use_auth};
use crate::components::notice::Loading;
use crate::i18n::use_strings;
use crate::pages::accept_invite::AcceptInvitePage;
use crate::pages::forgot_password::ForgotPasswordPage;
use crate::pages::inspection_detail::InspectionDetailPage;
use crate::pages::inspection_list::InspectionListPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::reset_password::ResetPasswordPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    /// The link of an invitation (`InviteCreated::accept_path`): set a password, get an account.
    #[at("/invite/:token")]
    Invite { token: String },
    /// Asks for a password-reset e-mail.
    #[at("/forgot")]
    Forgot,
    /// The link of a password reset (`PasswordResetLink::reset_path`): set a new password.
    #[at("/reset/:token")]
    Reset { token: String },
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
        Route::Forgot => html! { <ForgotPasswordPage /> },
        Route::Reset { token } => html! { <ResetPasswordPage token={token} /> },
        Route::Inspections => html! {
            <RequireSession render={Callback::from(|session: Rc<Session>| {
                if let Some(home) = screens_elsewhere(session.user.role) {
                    // The portal's home is the enterprise's list of inspections.
                    let list = if home == "/agency" { "/agency/inspections" } else { home };
                    html! { <ToAgency path={list} /> }
                } else {
                    html! { <InspectionListPage {session} /> }
                }
            })} />
        },
        Route::Inspection { id } => html! {
            <RequireSession render={Callback::from(move |session: Rc<Session>| {
                if let Some(home) = screens_elsewhere(session.user.role) {
                    html! { <ToAgency path={format!("{home}/inspections/{id}")} /> }
                } else {
                    html! { <InspectionDetailPage {session} {id} /> }
                }
            })} />
        },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

/// `/` goes to the user's work when signed in ([`Landing`]), to the login page otherwise.
#[component]
fn Home() -> Html {
    match use_auth().session() {
        Some(session) => html! { <Landing {session} /> },
        None => html! { <Redirect<Route> to={Route::Login} /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct LandingProps {
    pub session: Rc<Session>,
}

/// The home of the bundle a role works in when it is not this field app: reviewers and
/// admins in the agency screens, enterprise users in the enterprise portal.
fn screens_elsewhere(role: Role) -> Option<&'static str> {
    if role.uses_agency_screens() {
        Some("/agency")
    } else if role == Role::Enterprise {
        Some("/portal")
    } else {
        None
    }
}

/// Where a signed-in user starts: reviewers and admins in the agency screens, enterprise users
/// in their portal, inspectors in their inspection list.
#[component]
pub fn Landing(props: &LandingProps) -> Html {
    if let Some(home) = screens_elsewhere(props.session.user.role) {
        html! { <ToAgency path={home} /> }
    } else {
        html! { <Redirect<Route> to={Route::Inspections} /> }
    }
}

#[derive(Properties, PartialEq)]
pub struct ToAgencyProps {
    pub path: AttrValue,
}

/// Leaves for a page of the agency screens or of the enterprise portal: each a bundle of its
/// own, so a full page load (which replaces this entry of the history), not a route of this app.
#[component]
fn ToAgency(props: &ToAgencyProps) -> Html {
    let strings = use_strings();
    use_effect_with(props.path.clone(), |path| {
        let _ = gloo::utils::window().location().replace(path);
    });
    html! { <Loading text={strings.loading} /> }
}
