//! The site checklist read-only: every answer as it was submitted, repeat instances with their
//! names, measurements with their evaluation, and the evidence photos and signatures.

use std::collections::HashMap;
use std::rc::Rc;

use kiemtra_shared::answers::{Answer, AnswerValue, Answers, YesNo};
use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::inspection::InspectionDetail;
use kiemtra_shared::template::{Item, ItemKind, TemplateSchema};
use uuid::Uuid;
use yew::prelude::*;

use super::item::ItemHeading;
use super::measurement::{MeasurementResult, measurement_facts};
use super::section_number;
use super::slots::{SlotRef, Visibility, answer_at, dom_id};
use crate::components::format;
use crate::components::notice::{Notice, Tone};
use crate::components::photo::EvidencePhoto;
use crate::i18n::{Strings, use_strings};

#[derive(Properties, PartialEq)]
pub struct ChecklistViewProps {
    pub detail: Rc<InspectionDetail>,
    /// Whether to show the photos of each answer; without them (the agency's review screen,
    /// which shows every piece of evidence below, lazily) each is a link to its card there,
    /// `#evidence-<id>`.
    #[prop_or(true)]
    pub photos: bool,
    /// The heading, when the form shown is not the site checklist (the enterprise portal shows
    /// its forms this way, through an [`InspectionDetail`] whose site checklist is that form).
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

#[component]
pub fn ChecklistView(props: &ChecklistViewProps) -> Html {
    let strings = use_strings();
    let detail = &props.detail;
    let template = &detail.site_checklist;
    let schema = &template.schema;
    let response = detail.site_response.as_ref();
    let empty = Answers::new();
    let answers = response.map_or(&empty, |r| &r.answers);
    let visibility = Visibility::of(schema, answers);
    let evidence: HashMap<Uuid, &EvidenceMeta> =
        detail.evidence.iter().map(|e| (e.id, e)).collect();
    let page = Page {
        strings,
        schema,
        answers,
        visibility: &visibility,
        evidence: &evidence,
        photos: props.photos,
    };

    let mut shown_sections = 0;
    let sections = schema.sections.iter().enumerate().filter(|(s, _)| visibility.shows_section(*s) && response.is_some()).map(|(s, section)| {
        shown_sections += 1;
        let number = shown_sections;
        let body = match &section.repeat {
            None => page.items(s, None, &format!("{number}.")),
            Some(repeat) => {
                let count = answers.repeats.get(&section.key).map_or(0, Vec::len);
                if count == 0 {
                    html! { <p class="section__empty">{ strings.no_instances(&repeat.label) }</p> }
                } else {
                    (0..count).map(|n| html! {
                        <div class="instance" key={n} role="group" aria-labelledby={format!("section-{s}-{n}-title")}>
                            <div class="instance__head">
                                <h4 class="instance__title" id={format!("section-{s}-{n}-title")}>
                                    { strings.instance_title(&repeat.label, n) }
                                    if let Some(name) = page.instance_name(s, n) {
                                        <span class="instance__subtitle">{ " · " }{ name }</span>
                                    }
                                </h4>
                            </div>
                            { page.items(s, Some(n), &format!("{number}.{}.", n + 1)) }
                        </div>
                    }).collect()
                }
            }
        };
        html! {
            <section class="section" key={section.key.clone()} aria-labelledby={format!("section-{s}-title")}>
                <h3 class="section__title" id={format!("section-{s}-title")}>
                    { section_number(number) }{ strings.label(&section.title) }
                </h3>
                { body }
            </section>
        }
    }).collect::<Html>();

    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <div class="checklist__head">
                <h2 id="checklist-title">{ props.title.clone().unwrap_or(AttrValue::from(strings.site_checklist)) }</h2>
                <p class="checklist__template">
                    { &template.name }{ " · " }
                    <span class="nowrap">{ strings.version }{ " " }{ template.version }</span>
                </p>
                if let Some(response) = response {
                    <p class="submitted-stamp">
                        <span class="tag tag--submitted">{ strings.submitted }</span>
                        if let Some(at) = response.submitted_at {
                            <span>{ strings.submitted_at }{ " " }{ format::date_time(at) }</span>
                        }
                    </p>
                } else {
                    <Notice tone={Tone::Info}>{ strings.no_submission_yet }</Notice>
                }
            </div>
            { sections }
        </section>
    }
}

/// What every item of the page is read with.
struct Page<'a> {
    strings: &'static Strings,
    schema: &'a TemplateSchema,
    answers: &'a Answers,
    visibility: &'a Visibility,
    evidence: &'a HashMap<Uuid, &'a EvidenceMeta>,
    photos: bool,
}

impl Page<'_> {
    /// The visible items of a section (or of one instance of it), numbered as shown.
    fn items(&self, section: usize, instance: Option<usize>, prefix: &str) -> Html {
        let Some(items) = self.schema.sections.get(section).map(|s| &s.items) else {
            return html! {};
        };
        let mut shown = 0;
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let slot = SlotRef {
                    section,
                    instance,
                    item: i,
                };
                if !self.visibility.shows(slot) {
                    return None;
                }
                shown += 1;
                Some(self.item(slot, item, format!("{prefix}{shown}")))
            })
            .collect()
    }

    fn item(&self, slot: SlotRef, item: &Item, number: String) -> Html {
        let id = dom_id(slot);
        let heading_id = format!("{id}-label");
        let answer = answer_at(self.schema, self.answers, slot);
        let attachments = answer.map(|a| a.photos.as_slice()).unwrap_or_default();
        html! {
            <article class="card item" key={id.clone()} {id} data-item-key={item.key.clone()}
                data-kind={item.kind.type_name()} aria-labelledby={heading_id.clone()}>
                <ItemHeading item={item.clone()} {number} {heading_id} reading=true />
                { self.answer(item, answer) }
                if !attachments.is_empty() {
                    <div class="photos" aria-label={self.strings.evidence}>
                        { for attachments.iter().map(|id| self.photo(*id)) }
                    </div>
                }
            </article>
        }
    }

    fn answer(&self, item: &Item, answer: Option<&Answer>) -> Html {
        let strings = self.strings;
        let Some(answer) = answer else {
            return html! { <p class="answer answer--none">{ strings.not_answered }</p> };
        };
        match (&item.kind, &answer.value) {
            (ItemKind::YesNo { compliant_answer }, AnswerValue::YesNo(value)) => {
                let class = match (value, compliant_answer) {
                    (YesNo::NotApplicable, _) => "answer answer--na",
                    (value, Some(compliant)) if value == compliant => "answer answer--yes",
                    (_, Some(_)) => "answer answer--no",
                    (_, None) => "answer answer--plain",
                };
                html! { <p {class}>{ strings.answer(*value) }</p> }
            }
            (ItemKind::Number { unit, .. }, AnswerValue::Number(value)) => html! {
                <p class="answer answer--plain">
                    { strings.number(*value) }
                    if let Some(unit) = unit { { " " }{ strings.label(unit) } }
                </p>
            },
            (_, AnswerValue::Text(text)) => html! { <p class="answer-text">{ text }</p> },
            (kind, AnswerValue::Choice(key)) => html! {
                <p class="answer answer--plain">{ self.option_label(kind, key) }</p>
            },
            (kind, AnswerValue::Choices(keys)) => html! {
                <ul class="chips">
                    { for keys.iter().map(|key| html! { <li class="chip chip--choice">{ self.option_label(kind, key) }</li> }) }
                </ul>
            },
            (_, AnswerValue::Date(date)) => {
                html! { <p class="answer answer--plain">{ format::date(*date) }</p> }
            }
            (_, AnswerValue::Photos(ids)) => html! {
                <div class="photos">{ for ids.iter().map(|id| self.photo(*id)) }</div>
            },
            (_, AnswerValue::Signature(signature)) => html! {
                <div class="signature signature--read">
                    <div class="photos photos--signature">{ self.photo_as(signature.evidence_id, true) }</div>
                    <p class="signature__signer">
                        <strong>{ &signature.signer_name }</strong>
                        if !signature.signer_role.is_empty() { { " · " }{ &signature.signer_role } }
                    </p>
                </div>
            },
            (_, AnswerValue::Gps(point)) => html! {
                <p class="answer answer--plain gps__value">
                    { format::position(point.lat, point.lon) }
                    if let Some(accuracy) = point.accuracy_m.filter(|a| *a >= 0.5) {
                        <span class="gps__accuracy">{ format!(" ({} ±{} m)", strings.accuracy, accuracy.round()) }</span>
                    }
                </p>
            },
            (ItemKind::Measurement(spec), AnswerValue::Measurement(measurement)) => html! {
                <div class="measurement measurement--read">
                    { measurement_facts(strings, spec, measurement) }
                    <MeasurementResult item={Rc::new(item.clone())} value={Some(measurement.clone())} />
                </div>
            },
            // An answer of another type than the item takes: the server refuses those, so
            // this is old data; show what it is rather than nothing.
            (_, other) => html! { <p class="answer answer--plain">{ other.type_name() }</p> },
        }
    }

    fn option_label(&self, kind: &ItemKind, key: &str) -> String {
        kind.options()
            .and_then(|options| options.iter().find(|o| o.key == key))
            .map_or_else(
                || key.to_owned(),
                |o| self.strings.label(&o.label).to_owned(),
            )
    }

    /// A stored photo, or a plain statement that the server does not have it (never a
    /// broken "download").
    fn photo(&self, id: Uuid) -> Html {
        self.photo_as(id, false)
    }

    fn photo_as(&self, id: Uuid, signature: bool) -> Html {
        if !self.photos {
            let short: String = id.to_string().chars().take(8).collect();
            return html! {
                <a class="evidence-ref" key={id.to_string()} href={format!("#evidence-{id}")}>
                    { self.strings.evidence }{ " · " }{ short }
                </a>
            };
        }
        match self.evidence.get(&id) {
            Some(meta) => html! {
                <EvidencePhoto key={id.to_string()} evidence={(*meta).clone()} {signature} />
            },
            None => html! {
                <figure class="photo" key={id.to_string()} data-evidence-id={id.to_string()}>
                    <div class="photo__placeholder photo__placeholder--error">{ self.strings.photo_not_uploaded }</div>
                </figure>
            },
        }
    }

    /// The answer of the first text item of an instance, which names it.
    fn instance_name(&self, section: usize, instance: usize) -> Option<String> {
        let items = &self.schema.sections.get(section)?.items;
        let item = items
            .iter()
            .position(|item| matches!(item.kind, ItemKind::Text { .. }))?;
        let slot = SlotRef {
            section,
            instance: Some(instance),
            item,
        };
        match &answer_at(self.schema, self.answers, slot)?.value {
            AnswerValue::Text(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
            _ => None,
        }
    }
}
