//! The agency screens: reviewers and admins at the office (1280 px first, usable at 360 px).
//!
//! A download of its own (`kiemtra-agency`, under `/agency`), so that the inspector's phone
//! never loads it. It shares the session, the language choice and the API client with the
//! field app; signing in happens there (`/login`), and anyone else who opens these URLs gets
//! the "not allowed" page (the server refuses them the data as well).

mod dashboard;
mod enterprise_picker;
mod enterprises;
mod field_errors;
mod findings;
mod follow_up;
pub mod inspection_tabs;
mod inspections;
mod planning;
mod review;
mod strings;
mod users;

use std::rc::Rc;

use kiemtra_shared::auth::Role;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::auth::{AuthProvider, Session, use_auth};
use crate::components::app_bar::BundleBar;
use crate::components::notice;
use crate::i18n::{LangProvider, use_lang};
use strings::AgencyStrings;

/// The agency app: runs when `agency.html` initialises the `kiemtra-agency` module.
pub fn run() {
    crate::remove_boot_message();
    yew::Renderer::<AgencyApp>::new().render();
}

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum AgencyRoute {
    #[at("/agency")]
    Dashboard,
    /// Cuộc thanh tra: the list with its filters in the query.
    #[at("/agency/inspections")]
    Inspections,
    /// Lập kế hoạch: plan a new inspection.
    #[at("/agency/inspections/new")]
    PlanNew,
    /// Hồ sơ: the review screen of one inspection.
    #[at("/agency/inspections/:id")]
    Inspection { id: Uuid },
    /// Findings, corrective actions and the conclusion of one inspection.
    #[at("/agency/inspections/:id/findings")]
    Findings { id: Uuid },
    /// Kế hoạch: the dates, team and status of one inspection.
    #[at("/agency/inspections/:id/plan")]
    Plan { id: Uuid },
    /// Chờ duyệt: the review queue.
    #[at("/agency/queue")]
    Queue,
    /// The follow-up board (`?status=…`, `?due=week`).
    #[at("/agency/follow-up")]
    FollowUp,
    #[at("/agency/enterprises")]
    Enterprises,
    #[at("/agency/users")]
    Users,
    #[not_found]
    #[at("/agency/404")]
    NotFound,
}

#[component]
fn AgencyApp() -> Html {
    html! {
        <LangProvider>
            <AuthProvider>
                <BrowserRouter>
                    <Gate />
                </BrowserRouter>
            </AuthProvider>
        </LangProvider>
    }
}

/// The texts of the agency screens in the chosen language.
#[hook]
fn use_agency_strings() -> &'static AgencyStrings {
    AgencyStrings::of(use_lang().lang())
}

/// Signed-out visitors go to the field app's sign-in page; signed-in users who are not agency
/// staff get the "not allowed" page; staff get the screens.
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
        Some(session) if !session.user.role.uses_agency_screens() => html! {
            <Shell session={session.clone()} staff={false}>
                <NotAllowed />
            </Shell>
        },
        Some(session) => html! {
            <Shell session={session.clone()} staff={true}>
                <Switch<AgencyRoute> render={move |route| switch(route, session.clone())} />
            </Shell>
        },
    }
}

fn switch(route: AgencyRoute, session: Rc<Session>) -> Html {
    match route {
        AgencyRoute::Dashboard => html! { <dashboard::DashboardPage {session} /> },
        AgencyRoute::Findings { id } => html! { <findings::FindingsPage {id} /> },
        AgencyRoute::FollowUp => html! { <follow_up::FollowUpBoard /> },
        AgencyRoute::Inspection { id } => html! { <review::RecordPage {session} {id} /> },
        AgencyRoute::Queue => html! { <review::QueuePage /> },
        AgencyRoute::Inspections => html! { <inspections::InspectionsPage {session} /> },
        AgencyRoute::PlanNew => html! { <planning::PlanNewPage {session} /> },
        AgencyRoute::Plan { id } => html! { <planning::PlanPage {session} {id} /> },
        AgencyRoute::Enterprises => html! { <enterprises::EnterprisesPage {session} /> },
        // Accounts are the admin's: a reviewer who opens the URL gets "not allowed".
        AgencyRoute::Users if session.user.role == Role::Admin => {
            html! { <users::UsersPage {session} /> }
        }
        AgencyRoute::Users => html! { <users::AdminsOnly /> },
        AgencyRoute::NotFound => html! { <NotFound /> },
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    session: Rc<Session>,
    /// Whether to show the navigation (agency staff only).
    staff: bool,
    children: Html,
}

/// The frame of every agency screen: the header with the user, the language switch and signing
/// out, the navigation of the role, and the screen itself.
#[component]
fn Shell(props: &ShellProps) -> Html {
    let agency = use_agency_strings();
    let route = use_route::<AgencyRoute>();
    let nav_link = |to: AgencyRoute, label: &'static str| {
        let current = route.as_ref() == Some(&to);
        html! {
            <li>
                <Link<AgencyRoute> {to} classes={classes!("agency-nav__link", current.then_some("agency-nav__link--current"))}>
                    <span aria-current={current.then_some("page")}>{ label }</span>
                </Link<AgencyRoute>>
            </li>
        }
    };
    html! {
        <div class="agency">
            <a class="skip-link" href="#main">{ agency.main_content }</a>
            <BundleBar session={props.session.clone()} home="/agency" class="agency__bar" />
            <div class="agency__body">
                if props.staff {
                    <nav class="agency-nav" aria-label={agency.navigation}>
                        <ul>
                            { nav_link(AgencyRoute::Dashboard, agency.dashboard) }
                            { nav_link(AgencyRoute::Inspections, agency.inspections) }
                            { nav_link(AgencyRoute::Queue, review::strings_of(agency.lang).nav_queue) }
                            { nav_link(AgencyRoute::FollowUp, follow_up::FollowUpStrings::of(agency.lang).nav) }
                            { nav_link(AgencyRoute::Enterprises, agency.enterprises) }
                            if props.session.user.role == Role::Admin {
                                { nav_link(AgencyRoute::Users, agency.users) }
                            }
                        </ul>
                    </nav>
                }
                <main id="main" class="agency__main" tabindex="-1">
                    { props.children.clone() }
                </main>
            </div>
        </div>
    }
}

/// What an inspector or an enterprise user sees on an agency URL.
#[component]
fn NotAllowed() -> Html {
    let agency = use_agency_strings();
    html! {
        <notice::NotAllowed title={agency.not_allowed_title} text={agency.not_allowed_text}
            back={agency.to_my_work} />
    }
}

#[component]
fn NotFound() -> Html {
    let agency = use_agency_strings();
    html! {
        <div class="card empty">
            <h1>{ agency.not_found_title }</h1>
            <p>{ agency.not_found_text }</p>
            <Link<AgencyRoute> to={AgencyRoute::Dashboard} classes="button button--primary">
                { agency.to_dashboard }
            </Link<AgencyRoute>>
        </div>
    }
}
