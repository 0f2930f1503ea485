//! The site checklist read-only: the submitted answers and the evidence photos.

use std::rc::Rc;

use kiemtra_shared::inspection::{InspectionDetail, YesNo};
use yew::prelude::*;

use super::item::{ItemHeading, dom_id};
use crate::components::format;
use crate::components::notice::{Notice, Tone};
use crate::components::photo::EvidencePhoto;
use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct ChecklistViewProps {
    pub detail: Rc<InspectionDetail>,
}

#[component]
pub fn ChecklistView(props: &ChecklistViewProps) -> Html {
    let strings = use_strings();
    let detail = &props.detail;
    let template = &detail.site_checklist;
    let response = detail.site_response.as_ref();
    let answer_of = |key: &str| {
        response
            .and_then(|r| r.answers.iter().find(|a| a.item_key == key))
            .map(|a| a.value)
    };

    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <div class="checklist__head">
                <h2 id="checklist-title">{ strings.site_checklist }</h2>
                <p class="checklist__template">
                    { &template.name }{ " · " }
                    <span class="nowrap">{ strings.version }{ " " }{ template.version }</span>
                </p>
                if let Some(response) = response {
                    <p class="submitted-stamp">
                        <span class="tag tag--submitted">{ strings.submitted }</span>
                        <span>{ strings.submitted_at }{ " " }{ format::date_time(response.submitted_at) }</span>
                    </p>
                } else {
                    <Notice tone={Tone::Info}>{ strings.no_submission_yet }</Notice>
                }
            </div>
            { for template.schema.sections.iter().enumerate().map(|(s, section)| html! {
                <section class="section" key={section.key.clone()}>
                    <h3 class="section__title">{ format!("{}. ", s + 1) }{ strings.label(&section.title) }</h3>
                    { for section.items.iter().enumerate().map(|(i, item)| {
                        let photos: Vec<_> =
                            detail.evidence.iter().filter(|e| e.item_key == item.key).cloned().collect();
                        let heading_id = dom_id("item", &item.key);
                        html! {
                            <article class="card item" key={item.key.clone()}
                                data-item-key={item.key.clone()} aria-labelledby={heading_id.clone()}>
                                <ItemHeading item={item.clone()}
                                    number={format!("{}.{}", s + 1, i + 1)} {heading_id} />
                                <Answer value={answer_of(&item.key)} />
                                if !photos.is_empty() {
                                    <div class="photos" aria-label={strings.evidence}>
                                        { for photos.iter().map(|evidence| html! {
                                            <EvidencePhoto key={evidence.id.to_string()} evidence={evidence.clone()} />
                                        }) }
                                    </div>
                                }
                            </article>
                        }
                    }) }
                </section>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AnswerProps {
    value: Option<YesNo>,
}

#[component]
fn Answer(props: &AnswerProps) -> Html {
    let strings = use_strings();
    let (class, text) = match props.value {
        Some(YesNo::Yes) => ("answer answer--yes", strings.yes),
        Some(YesNo::No) => ("answer answer--no", strings.no),
        Some(YesNo::NotApplicable) => ("answer answer--na", strings.not_applicable),
        None => ("answer answer--none", strings.not_answered),
    };
    html! { <p {class}>{ text }</p> }
}
