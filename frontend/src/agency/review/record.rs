//! Hồ sơ: the review screen of one inspection. Its header, the non-compliant answers with the
//! limit, the excess and the legal basis, every piece of evidence with its decisions, the
//! answers by section (the form engine's read-only view), and the versions of an amended
//! checklist.

use std::collections::HashMap;
use std::rc::Rc;

use kiemtra_shared::compliance::NonCompliance;
use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus, ResponseView};
use kiemtra_shared::measurement::Direction;
use kiemtra_shared::review::{ReviewTarget, ReviewView};
use uuid::Uuid;
use yew::prelude::*;

use super::list::{ReviewItem, ReviewList};
use super::strings::ReviewStrings;
use super::use_review_strings;
use crate::agency::inspection_tabs::{InspectionTab, InspectionTabs};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::{Strings, use_strings};
use crate::pages::inspection_detail::ChecklistView;

#[derive(Properties, PartialEq)]
pub struct RecordPageProps {
    pub session: Rc<Session>,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq)]
struct Record {
    detail: Rc<InspectionDetail>,
    items: Rc<Vec<ReviewItem>>,
    history: Rc<HashMap<Uuid, Vec<ReviewView>>>,
    names: Rc<HashMap<Uuid, String>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Record),
    Failed(ApiError),
}

/// What a piece of evidence documents: the label of its form item.
fn what(
    detail: &InspectionDetail,
    item_key: &str,
    strings: &Strings,
    texts: &ReviewStrings,
) -> String {
    if item_key.starts_with("proof.") {
        return texts.proof.to_owned();
    }
    [
        Some(&detail.site_checklist),
        detail.questionnaire.as_ref(),
        detail.self_inspection.as_ref(),
    ]
    .into_iter()
    .flatten()
    .find_map(|form| form.schema.item(item_key))
    .map_or_else(
        || item_key.to_owned(),
        |item| strings.label(&item.label).to_owned(),
    )
}

#[component]
pub fn RecordPage(props: &RecordPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let texts = use_review_strings();
    let state = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);
    let session_user = (
        props.session.user.id,
        props.session.user.display_name.clone(),
    );
    {
        let (state, auth) = (state.clone(), auth.clone());
        use_effect_with((props.id, *attempt, strings.lang), move |&(id, _, _)| {
            state.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                // Both at once: one round trip less before the first thumbnail.
                let (detail, reviews) = futures_util::future::join(
                    api::inspections::detail(&auth, id),
                    api::review::list(&auth, id),
                )
                .await;
                let loaded = detail.and_then(|(detail, _)| Ok((detail, reviews?)));
                match loaded {
                    Ok((detail, reviews)) => {
                        let mut history: HashMap<Uuid, Vec<ReviewView>> = HashMap::new();
                        for review in reviews {
                            if let ReviewTarget::Evidence { id } = review.target {
                                history.entry(id).or_default().push(review);
                            }
                        }
                        let mut names: HashMap<Uuid, String> = detail
                            .team
                            .iter()
                            .map(|m| (m.user_id, m.display_name.clone()))
                            .collect();
                        names.entry(session_user.0).or_insert(session_user.1);
                        let items = detail
                            .evidence
                            .iter()
                            .map(|evidence| ReviewItem {
                                what: what(&detail, &evidence.item_key, strings, texts),
                                inspection: None,
                                evidence: evidence.clone(),
                            })
                            .collect();
                        state.set(Load::Loaded(Record {
                            detail: Rc::new(detail),
                            items: Rc::new(items),
                            history: Rc::new(history),
                            names: Rc::new(names),
                        }));
                    }
                    Err(error) => state.set(Load::Failed(error)),
                }
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    match &*state {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(error) => html! {
            <Notice tone={Tone::Error}>
                <p>{ error.user_message(strings) }</p>
                <button type="button" class="button" onclick={retry}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded(record) => view(record, strings, texts),
    }
}

fn view(record: &Record, strings: &'static Strings, texts: &'static ReviewStrings) -> Html {
    let detail = &record.detail;
    let summary = &detail.summary;
    let can_decide = matches!(
        summary.status,
        InspectionStatus::Submitted | InspectionStatus::UnderReview
    );
    let response = detail.site_response.as_ref();
    html! {
        <article class="record" aria-labelledby="record-title">
            <header class="card record__head">
                <p class="record__number">
                    { strings.decision_number }{ " " }<strong>{ &summary.decision_number }</strong>
                    { " " }<StatusChip status={summary.status} />
                </p>
                <h1 id="record-title">{ &summary.title }</h1>
                <dl class="record__facts">
                    <dt>{ texts.enterprise }</dt>
                    <dd>{ &summary.enterprise_name }{ " · " }{ strings.tax_code }{ " " }{ &summary.enterprise_tax_code }</dd>
                    <dt>{ texts.planned }</dt>
                    <dd>{ format::date(summary.planned_start) }{ " – " }{ format::date(summary.planned_end) }</dd>
                    <dt>{ texts.team }</dt>
                    <dd>
                        { for detail.team.iter().enumerate().map(|(i, member)| html! {
                            <>
                                if i > 0 { { ", " } }
                                { &member.display_name }
                                if member.lead { { " (" }{ texts.lead }{ ")" } }
                            </>
                        }) }
                    </dd>
                </dl>
            </header>
            <InspectionTabs inspection_id={summary.id} current={InspectionTab::Record} />
            <section class="card" aria-labelledby="non-compliances-title">
                <h2 id="non-compliances-title">{ texts.non_compliances }</h2>
                { non_compliances(detail, response, strings, texts) }
            </section>
            <section class="record__evidence" aria-labelledby="evidence-title">
                <h2 id="evidence-title">{ texts.evidence }{ format!(" ({})", record.items.len()) }</h2>
                if record.items.is_empty() {
                    <p class="card">{ texts.evidence_none }</p>
                } else {
                    <ReviewList items={record.items.clone()} history={record.history.clone()}
                        names={record.names.clone()} {can_decide} />
                }
            </section>
            if let Some(response) = response.filter(|r| r.version > 1) {
                <Versions response_id={response.id} names={record.names.clone()} />
            }
            <section class="record__answers" aria-label={texts.answers}>
                <ChecklistView detail={detail.clone()} photos={false} />
            </section>
        </article>
    }
}

/// The non-compliant answers of the site checklist, as the server's form engine judged them.
fn non_compliances(
    detail: &InspectionDetail,
    response: Option<&ResponseView>,
    strings: &'static Strings,
    texts: &'static ReviewStrings,
) -> Html {
    let found = response
        .map(|r| r.non_compliances.as_slice())
        .unwrap_or_default();
    if found.is_empty() {
        return html! { <p class="muted">{ texts.non_compliances_none }</p> };
    }
    let schema = &detail.site_checklist.schema;
    let line = |nc: &NonCompliance| {
        let label = schema.item(&nc.item_key).map_or_else(
            || nc.item_key.clone(),
            |item| strings.label(&item.label).to_owned(),
        );
        let instance = nc
            .instance
            .map(|n| format!(" #{}", n + 1))
            .unwrap_or_default();
        html! {
            <li class="non-compliance" key={format!("{}{instance}", nc.path)}>
                <p class="non-compliance__item"><strong>{ label }{ instance }</strong></p>
                <p>{ strings.label(&nc.reason) }</p>
                if let Some(evaluation) = &nc.evaluation {
                    <p class="non-compliance__limit">
                        { texts.limit }{ ": " }
                        { limit_text(evaluation.limit_min, evaluation.limit_max, strings) }
                        { " " }{ evaluation.unit.symbol() }
                        if let Some(deviation) = &evaluation.deviation {
                            <span class="non-compliance__excess">
                                { " · " }
                                { match deviation.direction { Direction::Above => texts.above, Direction::Below => texts.below } }
                                { " " }{ strings.number(deviation.amount) }{ " " }{ evaluation.unit.symbol() }
                            </span>
                        }
                    </p>
                }
                if let Some(basis) = &nc.legal_basis {
                    <p class="non-compliance__basis">{ texts.legal_basis }{ ": " }{ basis }</p>
                }
            </li>
        }
    };
    html! { <ul class="non-compliances">{ for found.iter().map(line) }</ul> }
}

fn limit_text(min: Option<f64>, max: Option<f64>, strings: &Strings) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{} – {}", strings.number(min), strings.number(max)),
        (Some(min), None) => format!("≥ {}", strings.number(min)),
        (None, Some(max)) => format!("≤ {}", strings.number(max)),
        (None, None) => "–".to_owned(),
    }
}

#[derive(Properties, PartialEq)]
struct VersionsProps {
    response_id: Uuid,
    names: Rc<HashMap<Uuid, String>>,
}

/// The versions of an amended checklist, the current one last.
#[component]
fn Versions(props: &VersionsProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let texts = use_review_strings();
    let versions = use_state(|| None::<Result<Vec<ResponseView>, ApiError>>);
    {
        let versions = versions.clone();
        use_effect_with(props.response_id, move |&id| {
            wasm_bindgen_futures::spawn_local(async move {
                versions.set(Some(api::review::versions(&auth, id).await));
            });
        });
    }
    let body = match &*versions {
        None => html! { <Loading text={strings.loading} /> },
        Some(Err(error)) => html! { <p class="problem">{ error.user_message(strings) }</p> },
        Some(Ok(list)) => html! {
            <ol class="versions">
                { for list.iter().map(|v| {
                    let current = v.id == props.response_id;
                    let who = v.submitted_by.and_then(|id| props.names.get(&id).cloned());
                    html! {
                        <li key={v.id.to_string()}>
                            <strong>{ texts.version_n(v.version) }</strong>
                            if current { { " (" }{ texts.current }{ ")" } }
                            if let Some(at) = v.submitted_at { { " · " }{ format::date_time(at) } }
                            if let Some(who) = who { { " · " }{ who } }
                            { " · " }{ texts.non_compliances }{ format!(": {}", v.non_compliances.len()) }
                        </li>
                    }
                }) }
            </ol>
        },
    };
    html! {
        <section class="card" aria-labelledby="versions-title">
            <h2 id="versions-title">{ texts.versions }</h2>
            { body }
        </section>
    }
}
