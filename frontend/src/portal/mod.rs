//! The enterprise portal: the inspected enterprise's users fill in the questionnaire and the
//! self-inspection before the visit, and after the conclusion see the findings and send proof
//! of every fix (laid out for a phone and for a desktop).
//!
//! A download of its own (`kiemtra-portal`, under `/portal`), so that neither the inspector's
//! phone nor the agency screens carry it. It shares the session, the language choice, the API
//! client, the evidence outbox and the form engine with the field app; signing in happens there
//! (`/login`), and anyone but an enterprise user who opens these URLs gets the "not allowed"
//! page (the server refuses them the data as well).

mod follow_up;
mod form;
mod home;
mod inspection;
mod strings;

use std::rc::Rc;

use kiemtra_shared::auth::Role;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::auth::{AuthProvider, Session, use_auth};
use crate::components::app_bar::BundleBar;
use crate::components::notice;
use crate::i18n::{LangProvider, use_lang};
use crate::outbox::OutboxProvider;
use strings::PortalStrings;

/// The portal: runs when `portal.html` initialises the `kiemtra-portal` module.
pub fn run() {
    crate::remove_boot_message();
    yew::Renderer::<PortalApp>::new().render();
}

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum PortalRoute {
    /// The enterprise's inspections.
    #[at("/portal")]
    Home,
    /// One inspection: its forms, then its conclusion and corrective actions.
    #[at("/portal/inspections/:id")]
    Inspection { id: Uuid },
    #[not_found]
    #[at("/portal/404")]
    NotFound,
}

#[component]
fn PortalApp() -> Html {
    html! {
        <LangProvider>
            <AuthProvider>
                <OutboxProvider>
                    <BrowserRouter>
                        <Gate />
                    </BrowserRouter>
                </OutboxProvider>
            </AuthProvider>
        </LangProvider>
    }
}

/// The texts of the portal in the chosen language.
#[hook]
fn use_portal_strings() -> &'static PortalStrings {
    PortalStrings::of(use_lang().lang())
}

/// Signed-out visitors go to the sign-in page; signed-in users who are not enterprise users
/// get the "not allowed" page; enterprise users get the portal.
#[component]
fn Gate() -> Html {
    let auth = use_auth();
    let session = auth.session();
    let signed_out = session.is_none();
    use_effect_with(signed_out, |signed_out| {
        if *signed_out {
            let _ = gloo::utils::window().location().assign("/login");
        }
    });
    match session {
        None => html! {},
        Some(session) if session.user.role != Role::Enterprise => html! {
            <Shell session={session.clone()}>
                <NotAllowed />
            </Shell>
        },
        Some(session) => html! {
            <Shell session={session.clone()}>
                <Switch<PortalRoute> render={move |route| switch(route, session.clone())} />
            </Shell>
        },
    }
}

fn switch(route: PortalRoute, session: Rc<Session>) -> Html {
    match route {
        PortalRoute::Home => html! { <home::HomePage /> },
        PortalRoute::Inspection { id } => html! { <inspection::InspectionPage {session} {id} /> },
        PortalRoute::NotFound => html! { <NotFound /> },
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    session: Rc<Session>,
    children: Html,
}

/// The frame of every portal screen: the header with the user, the language switch and
/// signing out, and the screen.
#[component]
fn Shell(props: &ShellProps) -> Html {
    let portal = use_portal_strings();
    html! {
        <div class="portal">
            <a class="skip-link" href="#main">{ portal.main_content }</a>
            <BundleBar session={props.session.clone()} home="/portal" class="portal__bar" />
            <main id="main" class="page portal__main" tabindex="-1">
                { props.children.clone() }
            </main>
        </div>
    }
}

/// What agency staff see on a portal URL.
#[component]
fn NotAllowed() -> Html {
    let portal = use_portal_strings();
    html! {
        <notice::NotAllowed title={portal.not_allowed_title} text={portal.not_allowed_text}
            back={portal.to_my_work} />
    }
}

#[component]
fn NotFound() -> Html {
    let portal = use_portal_strings();
    html! {
        <div class="card empty">
            <h1>{ portal.not_found_title }</h1>
            <p>{ portal.not_found_text }</p>
            <Link<PortalRoute> to={PortalRoute::Home} classes="button button--primary">
                { portal.to_home }
            </Link<PortalRoute>>
        </div>
    }
}
