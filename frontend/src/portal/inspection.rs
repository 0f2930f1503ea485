//! One inspection in the portal: a tab per form asked of the enterprise (questionnaire,
//! self-inspection), filled in with the field app's form engine and read-only once submitted,
//! with "Sửa đổi" to amend it; and, once the agency has concluded, the conclusion with its
//! findings and corrective actions.

use std::rc::Rc;

use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus, TemplateRef};
use kiemtra_shared::response::ResponseStatus;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::follow_up::ConclusionSection;
use super::form::EnterpriseForm;
use super::home::is_concluded;
use super::{PortalRoute, use_portal_strings};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::{Strings, use_strings};
use crate::pages::inspection_detail::{ChecklistForm, ChecklistView, FormTarget};

#[derive(Properties, PartialEq)]
pub struct InspectionPageProps {
    pub session: Rc<Session>,
    pub id: Uuid,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Rc<InspectionDetail>),
    NotFound,
    Failed(String),
}

/// The tabs of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Questionnaire,
    SelfInspection,
    Conclusion,
}

#[component]
pub fn InspectionPage(props: &InspectionPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let portal = use_portal_strings();
    let load = use_state(|| Load::Loading);
    let reloads = use_state(|| 0u32);
    let tab = use_state(|| None::<Tab>);
    // What the last action on a form came to: submitted, or why amending failed.
    let message = use_state(|| None::<(Tone, String)>);
    {
        let (load, auth) = (load.clone(), auth.clone());
        use_effect_with((props.id, *reloads), move |&(id, _)| {
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::inspections::get_detail(&auth, id).await {
                    Ok(detail) => Load::Loaded(Rc::new(detail)),
                    Err(ApiError::NotFound(_) | ApiError::Forbidden(_)) => Load::NotFound,
                    Err(error) => Load::Failed(error.user_message(strings)),
                });
            });
        });
    }
    let reload = {
        let reloads = reloads.clone();
        Callback::from(move |_: ()| reloads.set(*reloads + 1))
    };

    let detail = match &*load {
        Load::Loading => return html! { <Loading text={strings.loading} /> },
        Load::Failed(text) => {
            return html! { <Notice tone={Tone::Error}>{ text.clone() }</Notice> };
        }
        Load::NotFound => {
            return html! {
                <div class="card empty" role="alert">
                    <h1>{ portal.not_found_title }</h1>
                    <p>{ portal.not_found_text }</p>
                    <Link<PortalRoute> to={PortalRoute::Home} classes="button button--primary">
                        { portal.to_home }
                    </Link<PortalRoute>>
                </div>
            };
        }
        Load::Loaded(detail) => detail.clone(),
    };
    let summary = &detail.summary;
    let concluded = is_concluded(summary.status);
    let mut tabs = Vec::new();
    if concluded {
        tabs.push((Tab::Conclusion, portal.conclusion_tab));
    }
    if detail.questionnaire.is_some() {
        tabs.push((Tab::Questionnaire, portal.questionnaire));
    }
    if detail.self_inspection.is_some() {
        tabs.push((Tab::SelfInspection, portal.self_inspection));
    }
    let current = tab
        .filter(|t| tabs.iter().any(|(known, _)| known == t))
        .or(tabs.first().map(|(t, _)| *t));
    let tab_bar = html! {
        <div class="tabs portal-tabs" role="tablist">
            { for tabs.iter().map(|(t, label)| {
                let selected = current == Some(*t);
                let onclick = {
                    let (tab, message) = (tab.clone(), message.clone());
                    let t = *t;
                    Callback::from(move |_| { tab.set(Some(t)); message.set(None); })
                };
                html! {
                    <button type="button" role="tab" aria-selected={selected.to_string()}
                        class={classes!("tabs__tab", selected.then_some("tabs__tab--current"))} {onclick}>
                        { *label }
                    </button>
                }
            }) }
        </div>
    };
    let form_tab = |template: &TemplateRef, title: &'static str| {
        form_panel(
            &detail,
            template,
            title,
            auth.clone(),
            reload.clone(),
            message.clone(),
            strings,
        )
    };
    let panel = match current {
        Some(Tab::Conclusion) => html! { <ConclusionSection inspection_id={summary.id} /> },
        Some(Tab::Questionnaire) => detail
            .questionnaire
            .as_ref()
            .map(|t| form_tab(t, portal.questionnaire))
            .unwrap_or_default(),
        Some(Tab::SelfInspection) => detail
            .self_inspection
            .as_ref()
            .map(|t| form_tab(t, portal.self_inspection))
            .unwrap_or_default(),
        None => html! {},
    };

    html! {
        <>
            <Link<PortalRoute> to={PortalRoute::Home} classes="back-link">
                { "← " }{ portal.back }
            </Link<PortalRoute>>
            <section class="card inspection-head">
                <div class="inspection-card__top">
                    <span class="inspection-card__number">
                        { strings.decision_number }{ " " }{ &summary.decision_number }
                    </span>
                    <StatusChip status={summary.status} />
                </div>
                <h1 class="inspection-head__title">{ &summary.title }</h1>
                <p class="inspection-card__enterprise">{ &summary.enterprise_name }</p>
                <p class="inspection-card__meta">
                    { strings.planned_dates }{ ": " }{ format::date(summary.planned_start) }
                    { " – " }{ format::date(summary.planned_end) }
                </p>
            </section>
            if let Some((tone, text)) = &*message {
                <Notice tone={*tone}>{ text.clone() }</Notice>
            }
            if tabs.len() > 1 { { tab_bar } }
            <div class="portal-panel" role={(tabs.len() > 1).then_some("tabpanel")}>
                { panel }
            </div>
        </>
    }
}

/// One of the enterprise's forms: editable while the inspection is before the visit and the
/// form is not submitted; read-only with "Sửa đổi" once submitted.
fn form_panel(
    detail: &Rc<InspectionDetail>,
    template: &TemplateRef,
    title: &'static str,
    auth: crate::auth::AuthHandle,
    reload: Callback<()>,
    message: UseStateHandle<Option<(Tone, String)>>,
    strings: &'static Strings,
) -> Html {
    let open = matches!(
        detail.summary.status,
        InspectionStatus::Planned | InspectionStatus::Preparing | InspectionStatus::InProgress
    );
    let current = detail
        .responses
        .iter()
        .find(|r| r.template_id == template.id)
        .cloned();
    let submitted = current
        .as_ref()
        .filter(|r| r.status != ResponseStatus::Draft)
        .cloned();
    if let Some(response) = submitted {
        // The read-only view shows "the site checklist" of a detail: make this form that one.
        let mut shown = (**detail).clone();
        shown.site_checklist = template.clone();
        shown.site_response = Some(response.clone());
        let amend = {
            let (auth, reload) = (auth.clone(), reload.clone());
            let id = response.id;
            Callback::from(move |_: MouseEvent| {
                let (auth, reload, message) = (auth.clone(), reload.clone(), message.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api::responses::amend(&auth, id, Uuid::new_v4()).await {
                        Ok(_) => {
                            message.set(None);
                            reload.emit(());
                        }
                        Err(error) => {
                            message.set(Some((Tone::Error, error.user_message(strings))));
                        }
                    }
                });
            })
        };
        return html! {
            <PortalFormView detail={Rc::new(shown)} {title} version={response.version}
                on_amend={open.then_some(amend)} />
        };
    }
    if !open {
        return html! {
            <>
                <h2>{ title }</h2>
                <PortalNotice />
            </>
        };
    }
    let target = FormTarget::Other(Rc::new(EnterpriseForm {
        template: template.clone(),
        title: AttrValue::from(title),
        open_draft: current,
    }));
    let on_submitted = Callback::from(move |_| {
        message.set(Some((Tone::Success, strings.submitted_ok.to_owned())));
        // The confirmation is at the top; the user was at the submit button.
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
        reload.emit(());
    });
    html! {
        <ChecklistForm key={template.id.to_string()} inspection_id={detail.summary.id}
            detail={detail.clone()} {on_submitted} {target} />
    }
}

#[component]
fn PortalNotice() -> Html {
    let portal = use_portal_strings();
    html! { <Notice tone={Tone::Info}>{ portal.closed_forms }</Notice> }
}

#[derive(Properties, PartialEq)]
struct PortalFormViewProps {
    detail: Rc<InspectionDetail>,
    title: &'static str,
    version: i32,
    on_amend: Option<Callback<MouseEvent>>,
}

/// A submitted form, read-only, with its version and "Sửa đổi".
#[component]
fn PortalFormView(props: &PortalFormViewProps) -> Html {
    let portal = use_portal_strings();
    html! {
        <>
            <div class="portal-version">
                <span class="tag tag--submitted">{ portal.version_submitted(props.version) }</span>
                if let Some(on_amend) = &props.on_amend {
                    <button type="button" class="button button--secondary" onclick={on_amend.clone()}>
                        { portal.amend }
                    </button>
                    <p class="portal-version__note">{ portal.amend_note }</p>
                }
            </div>
            <ChecklistView detail={props.detail.clone()} title={AttrValue::from(props.title)} />
        </>
    }
}
