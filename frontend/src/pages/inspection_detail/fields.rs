//! One item of the checklist being filled in, with the input its kind takes: yes/no buttons,
//! numbers with their unit, text, choices, dates, photos, a signature pad, the position and
//! measurements. Inputs report a new value (or `None` to clear it); the form keeps it.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use kiemtra_shared::answers::{Answer, AnswerValue, GpsPoint, YesNo};
use kiemtra_shared::template::{ChoiceOption, Item, ItemKind};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::SchemaRef;
use super::draft::{PhotoRecord, PhotoUse, UNREADABLE_NUMBER};
use super::item::ItemHeading;
use super::measurement::MeasurementInput;
use super::problems::Problem;
use super::signature::SignatureInput;
use super::slots::{SlotRef, dom_id};
use crate::browser;
use crate::components::format;
use crate::components::photo::{BlobImage, PhotoFacts};
use crate::i18n::{Strings, use_strings};
use crate::outbox::PhotoState;

/// A photo of the draft with its file, when this device has it, and how its upload stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoView {
    pub record: PhotoRecord,
    pub file: Option<web_sys::Blob>,
    /// `None` when the outbox does not know it (yet).
    pub state: Option<PhotoState>,
}

/// What an item can ask the form to do. Made once per language, so that an item whose answer
/// did not change is not drawn again.
#[derive(Clone, PartialEq)]
pub struct FieldActions {
    pub on_value: Callback<(SlotRef, Option<AnswerValue>)>,
    pub on_photos: Callback<(SlotRef, PhotoUse, Vec<web_sys::File>)>,
    pub on_remove_photo: Callback<Uuid>,
    /// Send a photo the server refused once more.
    pub on_retry_photo: Callback<Uuid>,
    /// A signature was drawn: its PNG, the signer's name and role.
    pub on_signature: Callback<(SlotRef, web_sys::Blob, String, String)>,
    pub on_clear_signature: Callback<SlotRef>,
    /// Whether the text of a number field (`part` of the answer: `""` for a number item)
    /// does not read as a number.
    pub on_unreadable: Callback<(SlotRef, &'static str, bool)>,
}

#[derive(Properties, PartialEq)]
pub struct ItemFieldProps {
    pub schema: SchemaRef,
    pub slot: SlotRef,
    /// Shown as the item's number, e.g. `4.1.3`.
    pub number: AttrValue,
    pub answer: Option<Answer>,
    /// The photos taken in this slot.
    pub photos: Vec<PhotoView>,
    pub problems: Vec<Problem>,
    pub disabled: bool,
    /// Instruments named elsewhere in the form, offered again.
    pub instruments: Rc<Vec<String>>,
    pub actions: FieldActions,
    /// The enterprise portal: documents (PDF, office files) as well as photos may be attached,
    /// to every item.
    #[prop_or_default]
    pub documents: bool,
}

#[component]
pub fn ItemField(props: &ItemFieldProps) -> Html {
    let strings = use_strings();
    let slot = props.slot;
    let Some(item) = props.schema.item(slot) else {
        return html! {};
    };
    let id = dom_id(slot);
    let heading_id = format!("{id}-label");
    let on_value = {
        let on_value = props.actions.on_value.clone();
        Callback::from(move |value| on_value.emit((slot, value)))
    };
    let value = props.answer.as_ref().map(|a| &a.value);
    let invalid = !props.problems.is_empty();
    let disabled = props.disabled;
    let on_unreadable = {
        let on_unreadable = props.actions.on_unreadable.clone();
        Callback::from(move |(part, bad)| on_unreadable.emit((slot, part, bad)))
    };
    let common = InputCommon {
        id: id.clone().into(),
        labelled_by: heading_id.clone().into(),
        invalid,
        disabled,
        required: item.required,
    };
    let photos_for = |used_as: PhotoUse| -> Vec<PhotoView> {
        props
            .photos
            .iter()
            .filter(|p| p.record.used_as == used_as)
            .cloned()
            .collect()
    };
    let input = match &item.kind {
        ItemKind::YesNo { .. } => html! {
            <YesNoInput {common} value={match value { Some(AnswerValue::YesNo(v)) => Some(*v), _ => None }}
                {on_value} />
        },
        ItemKind::Number { unit, integer, .. } => html! {
            <NumberInput {common} value={match value { Some(AnswerValue::Number(v)) => Some(*v), _ => None }}
                unit={unit.as_ref().map(|u| AttrValue::from(strings.label(u).to_owned()))}
                integer={*integer} {on_value} {on_unreadable} />
        },
        ItemKind::Text {
            max_length,
            multiline,
        } => html! {
            <TextInput {common} value={match value { Some(AnswerValue::Text(v)) => v.clone(), _ => String::new() }}
                max_length={*max_length} multiline={*multiline} {on_value} />
        },
        ItemKind::SingleChoice { options } => html! {
            <SingleChoiceInput {common} options={options.clone()}
                value={match value { Some(AnswerValue::Choice(v)) => Some(v.clone()), _ => None }}
                {on_value} />
        },
        ItemKind::MultipleChoice { options, .. } => html! {
            <MultipleChoiceInput {common} options={options.clone()}
                value={match value { Some(AnswerValue::Choices(v)) => v.clone(), _ => Vec::new() }}
                {on_value} />
        },
        ItemKind::Date => html! {
            <DateInput {common} value={match value { Some(AnswerValue::Date(v)) => Some(*v), _ => None }}
                {on_value} />
        },
        ItemKind::Gps => html! {
            <GpsInput {common} value={match value { Some(AnswerValue::Gps(v)) => Some(*v), _ => None }}
                {on_value} />
        },
        ItemKind::Measurement(_) => html! {
            <MeasurementInput {common} item={Rc::new(item.clone())}
                value={match value { Some(AnswerValue::Measurement(m)) => Some(m.clone()), _ => None }}
                problems={props.problems.clone()}
                instruments={props.instruments.clone()} {on_value} {on_unreadable} />
        },
        ItemKind::Photo { max, .. } => html! {
            <PhotoStrip slot={slot} used_as={PhotoUse::Answer} photos={photos_for(PhotoUse::Answer)}
                max={*max} {disabled} actions={props.actions.clone()} />
        },
        ItemKind::Signature => {
            let signature = match value {
                Some(AnswerValue::Signature(s)) => Some(s.clone()),
                _ => None,
            };
            let image = signature.as_ref().and_then(|s| {
                props
                    .photos
                    .iter()
                    .find(|p| p.record.id == s.evidence_id)
                    .and_then(|p| p.file.clone())
            });
            html! {
                <SignatureInput {common} {slot} value={signature} {image}
                    actions={props.actions.clone()} />
            }
        }
    };
    let attachments = (item.allows_photos || props.documents)
        && !matches!(item.kind, ItemKind::Photo { .. } | ItemKind::Signature);
    let documents = props.documents;
    let class = classes!("card", "item", invalid.then_some("item--problem"));
    // Measurement problems about one of its fields are shown at that field; unreadable numbers
    // are told at the field as they are typed.
    let shown_here: Vec<&Problem> = props
        .problems
        .iter()
        .filter(|p| p.code != UNREADABLE_NUMBER)
        .filter(|p| {
            !(matches!(item.kind, ItemKind::Measurement(_)) && p.part.starts_with(".value"))
        })
        .collect();
    html! {
        <article {class} id={id.clone()} data-item-key={item.key.clone()}
            data-kind={item.kind.type_name()} aria-labelledby={heading_id.clone()}>
            <ItemHeading item={item.clone()} number={props.number.clone()} heading_id={heading_id} />
            { input }
            { for shown_here.iter().map(|p| html! { <p class="problem">{ p.text.clone() }</p> }) }
            if attachments {
                <PhotoStrip {slot} used_as={PhotoUse::Attachment} photos={photos_for(PhotoUse::Attachment)}
                    max={None::<u32>} {disabled} actions={props.actions.clone()} {documents} />
            }
        </article>
    }
}

/// What every input needs from its item.
#[derive(Debug, Clone, PartialEq)]
pub struct InputCommon {
    /// The slot's DOM id, to make the inputs' ids from.
    pub id: AttrValue,
    /// The item's heading.
    pub labelled_by: AttrValue,
    pub invalid: bool,
    pub disabled: bool,
    pub required: bool,
}

#[derive(Properties, PartialEq)]
struct YesNoProps {
    common: InputCommon,
    value: Option<YesNo>,
    on_value: Callback<Option<AnswerValue>>,
}

/// Yes / no / not applicable: a segmented control of real radio buttons.
#[component]
fn YesNoInput(props: &YesNoProps) -> Html {
    let strings = use_strings();
    let common = &props.common;
    let options = [YesNo::Yes, YesNo::No, YesNo::NotApplicable].map(|value| {
        let onchange = {
            let on_value = props.on_value.clone();
            Callback::from(move |_: Event| on_value.emit(Some(AnswerValue::YesNo(value))))
        };
        let class = match value {
            YesNo::Yes => "choice__option choice__option--yes",
            YesNo::No => "choice__option choice__option--no",
            YesNo::NotApplicable => "choice__option choice__option--na",
        };
        html! {
            <label {class}>
                <input type="radio" name={format!("{}-answer", common.id)}
                    checked={props.value == Some(value)} disabled={common.disabled} {onchange} />
                <span>{ strings.answer(value) }</span>
            </label>
        }
    });
    html! {
        <div class="choice choice--yes-no" role="radiogroup" aria-labelledby={common.labelled_by.clone()}
            aria-required={common.required.to_string()} aria-invalid={common.invalid.to_string()}>
            { for options }
        </div>
    }
}

/// Reads a number as typed on a Vietnamese phone: a decimal comma or point, spaces ignored.
/// `Ok(None)` for an empty field, `Err` for text that is not a finite number.
pub fn parse_number(text: &str) -> Result<Option<f64>, ()> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(()),
    }
}

#[derive(Properties, PartialEq)]
struct NumberProps {
    common: InputCommon,
    value: Option<f64>,
    unit: Option<AttrValue>,
    integer: bool,
    on_value: Callback<Option<AnswerValue>>,
    on_unreadable: Callback<(&'static str, bool)>,
}

/// A number with its unit after it. What is typed is kept as typed ("85," on the way to
/// "85,5"); the answer follows whenever it reads as a number.
#[component]
fn NumberInput(props: &NumberProps) -> Html {
    let strings = use_strings();
    let (raw, on_input, unreadable) = use_number_text(
        props.value,
        strings,
        {
            let on_value = props.on_value.clone();
            Callback::from(move |value: Option<f64>| on_value.emit(value.map(AnswerValue::Number)))
        },
        {
            let on_unreadable = props.on_unreadable.clone();
            Callback::from(move |bad| on_unreadable.emit(("", bad)))
        },
    );
    let common = &props.common;
    html! {
        <div class="number-field">
            <div class="with-unit">
                <input type="text" class="input input--number" id={format!("{}-input", common.id)}
                    inputmode={if props.integer { "numeric" } else { "decimal" }} autocomplete="off"
                    value={raw} oninput={on_input} disabled={common.disabled}
                    aria-labelledby={common.labelled_by.clone()}
                    aria-invalid={(common.invalid || unreadable).to_string()} />
                if let Some(unit) = &props.unit {
                    <span class="with-unit__unit">{ unit }</span>
                }
            </div>
            if unreadable {
                <p class="problem">{ if props.integer { strings.not_a_whole_number } else { strings.not_a_number } }</p>
            }
        </div>
    }
}

/// The text of a number field: what was typed, an `oninput` that reports the number it reads
/// as (and whether it reads as one at all), and whether the text does not read as one.
/// Follows the value when it is changed from elsewhere.
#[hook]
pub fn use_number_text(
    value: Option<f64>,
    strings: &'static Strings,
    on_number: Callback<Option<f64>>,
    on_unreadable: Callback<bool>,
) -> (String, Callback<InputEvent>, bool) {
    let raw = use_state(|| value.map(|v| strings.number(v)).unwrap_or_default());
    {
        let raw = raw.clone();
        use_effect_with(value, move |value| {
            if parse_number(&raw).ok().flatten() != *value {
                raw.set(value.map(|v| strings.number(v)).unwrap_or_default());
            }
        });
    }
    let on_input = {
        let raw = raw.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            let parsed = parse_number(&text);
            on_unreadable.emit(parsed.is_err());
            on_number.emit(parsed.ok().flatten());
            raw.set(text);
        })
    };
    let unreadable = parse_number(&raw).is_err();
    ((*raw).clone(), on_input, unreadable)
}

#[derive(Properties, PartialEq)]
struct TextProps {
    common: InputCommon,
    value: String,
    max_length: Option<u32>,
    multiline: bool,
    on_value: Callback<Option<AnswerValue>>,
}

#[component]
fn TextInput(props: &TextProps) -> Html {
    let common = &props.common;
    let emit = {
        let on_value = props.on_value.clone();
        move |text: String| {
            on_value.emit((!text.is_empty()).then_some(AnswerValue::Text(text)));
        }
    };
    let max_length = props.max_length.map(|m| m.to_string());
    if props.multiline {
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlTextAreaElement = e.target_unchecked_into();
            emit(input.value());
        });
        html! {
            <textarea class="input input--text" rows="3" id={format!("{}-input", common.id)}
                value={props.value.clone()} {oninput} maxlength={max_length} disabled={common.disabled}
                aria-labelledby={common.labelled_by.clone()} aria-required={common.required.to_string()}
                aria-invalid={common.invalid.to_string()} />
        }
    } else {
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            emit(input.value());
        });
        html! {
            <input type="text" class="input input--text" id={format!("{}-input", common.id)}
                value={props.value.clone()} {oninput} maxlength={max_length} disabled={common.disabled}
                aria-labelledby={common.labelled_by.clone()} aria-required={common.required.to_string()}
                aria-invalid={common.invalid.to_string()} />
        }
    }
}

#[derive(Properties, PartialEq)]
struct SingleChoiceProps {
    common: InputCommon,
    options: Vec<ChoiceOption>,
    value: Option<String>,
    on_value: Callback<Option<AnswerValue>>,
}

/// Up to three options side by side, like yes/no; more as a list, one per line.
#[component]
fn SingleChoiceInput(props: &SingleChoiceProps) -> Html {
    let strings = use_strings();
    let common = &props.common;
    let segmented = props.options.len() <= 3;
    let options = props.options.iter().map(|option| {
        let onchange = {
            let (on_value, key) = (props.on_value.clone(), option.key.clone());
            Callback::from(move |_: Event| on_value.emit(Some(AnswerValue::Choice(key.clone()))))
        };
        let checked = props.value.as_deref() == Some(option.key.as_str());
        let class = if segmented {
            "choice__option choice__option--pick"
        } else {
            "option"
        };
        html! {
            <label {class} key={option.key.clone()}>
                <input type="radio" name={format!("{}-answer", common.id)} value={option.key.clone()}
                    {checked} disabled={common.disabled} {onchange} />
                <span>{ strings.label(&option.label) }</span>
            </label>
        }
    });
    let clear = {
        let on_value = props.on_value.clone();
        Callback::from(move |_: MouseEvent| on_value.emit(None))
    };
    let class = if segmented {
        classes!(
            "choice",
            "choice--pick",
            format!("choice--{}", props.options.len())
        )
    } else {
        classes!("options")
    };
    html! {
        <>
            <div {class} role="radiogroup" aria-labelledby={common.labelled_by.clone()}
                aria-required={common.required.to_string()} aria-invalid={common.invalid.to_string()}>
                { for options }
            </div>
            if props.value.is_some() && !common.required {
                <button type="button" class="link-button" onclick={clear} disabled={common.disabled}>
                    { strings.clear_choice }
                </button>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MultipleChoiceProps {
    common: InputCommon,
    options: Vec<ChoiceOption>,
    value: Vec<String>,
    on_value: Callback<Option<AnswerValue>>,
}

#[component]
fn MultipleChoiceInput(props: &MultipleChoiceProps) -> Html {
    let strings = use_strings();
    let common = &props.common;
    let options = props.options.iter().map(|option| {
        let checked = props.value.contains(&option.key);
        let onchange = {
            let on_value = props.on_value.clone();
            let (all, chosen, key) = (props.options.clone(), props.value.clone(), option.key.clone());
            Callback::from(move |_: Event| {
                // Kept in the template's order, whatever order they were ticked in.
                let now: Vec<String> = all
                    .iter()
                    .map(|o| &o.key)
                    .filter(|k| (**k == key) != chosen.contains(k))
                    .cloned()
                    .collect();
                on_value.emit((!now.is_empty()).then_some(AnswerValue::Choices(now)));
            })
        };
        html! {
            <label class="option option--check" key={option.key.clone()}>
                <input type="checkbox" value={option.key.clone()} {checked} disabled={common.disabled} {onchange} />
                <span>{ strings.label(&option.label) }</span>
            </label>
        }
    });
    html! {
        <div class="options" role="group" aria-labelledby={common.labelled_by.clone()}
            aria-invalid={common.invalid.to_string()}>
            <p class="options__hint">{ strings.choose_any }</p>
            { for options }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DateProps {
    common: InputCommon,
    value: Option<NaiveDate>,
    on_value: Callback<Option<AnswerValue>>,
}

/// `2026-11-23`, the form of `<input type=date>`.
fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-').map(str::parse::<u32>);
    let (year, month, day) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

#[component]
fn DateInput(props: &DateProps) -> Html {
    let strings = use_strings();
    let common = &props.common;
    let onchange = {
        let on_value = props.on_value.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_value.emit(parse_iso_date(&input.value()).map(AnswerValue::Date));
        })
    };
    let today = {
        let on_value = props.on_value.clone();
        Callback::from(move |_: MouseEvent| {
            on_value.emit(Some(AnswerValue::Date(chrono::Local::now().date_naive())))
        })
    };
    html! {
        <div class="inline-field">
            <input type="date" class="input input--date" id={format!("{}-input", common.id)}
                value={props.value.map(iso_date).unwrap_or_default()} {onchange} disabled={common.disabled}
                aria-labelledby={common.labelled_by.clone()} aria-invalid={common.invalid.to_string()} />
            <button type="button" class="button button--secondary" onclick={today} disabled={common.disabled}>
                { strings.today }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GpsProps {
    common: InputCommon,
    value: Option<GpsPoint>,
    on_value: Callback<Option<AnswerValue>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Failed,
}

/// "Use my position": asks the browser for the device's position.
#[component]
fn GpsInput(props: &GpsProps) -> Html {
    let strings = use_strings();
    let state = use_state(|| Locating::Idle);
    let common = &props.common;
    let locate = {
        let (state, on_value) = (state.clone(), props.on_value.clone());
        Callback::from(move |_: MouseEvent| {
            state.set(Locating::Busy);
            let (state, on_value) = (state.clone(), on_value.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match browser::current_position().await {
                    Some(position) => {
                        on_value.emit(Some(AnswerValue::Gps(GpsPoint {
                            lat: position.latitude,
                            lon: position.longitude,
                            accuracy_m: position.accuracy_m,
                        })));
                        state.set(Locating::Idle);
                    }
                    None => state.set(Locating::Failed),
                }
            });
        })
    };
    let busy = *state == Locating::Busy;
    html! {
        <div class="gps">
            if let Some(point) = props.value {
                <p class="gps__value">
                    <span class="gps__coordinates">{ format::position(point.lat, point.lon) }</span>
                    if let Some(accuracy) = point.accuracy_m.filter(|a| *a >= 0.5) {
                        <span class="gps__accuracy">{ format!(" ({} ±{} m)", strings.accuracy, accuracy.round()) }</span>
                    }
                </p>
            }
            <button type="button" class="button button--secondary" onclick={locate}
                disabled={common.disabled || busy} aria-describedby={common.labelled_by.clone()}>
                { if busy { strings.locating } else if props.value.is_some() { strings.update_position } else { strings.use_my_position } }
            </button>
            if *state == Locating::Failed {
                <p class="problem" role="alert">{ strings.position_failed }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PhotoStripProps {
    slot: SlotRef,
    used_as: PhotoUse,
    photos: Vec<PhotoView>,
    /// The most photos the item takes.
    max: Option<u32>,
    disabled: bool,
    actions: FieldActions,
    /// Documents may be chosen too (not only photos taken).
    #[prop_or_default]
    documents: bool,
}

/// What the enterprise may attach: images, PDF and office documents.
pub const DOCUMENT_TYPES: &str = "image/*,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods";

/// The photos of a slot and the button that takes another.
#[component]
fn PhotoStrip(props: &PhotoStripProps) -> Html {
    let strings = use_strings();
    let on_files = {
        let (on_photos, slot, used_as) =
            (props.actions.on_photos.clone(), props.slot, props.used_as);
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = browser::chosen_files(&input);
            // Lets the same file be chosen again after removing it.
            input.set_value("");
            if !files.is_empty() {
                on_photos.emit((slot, used_as, files));
            }
        })
    };
    let full = props
        .max
        .is_some_and(|max| props.photos.len() >= max as usize);
    let disabled = props.disabled || full;
    html! {
        <>
            <div class="photos">
                { for props.photos.iter().map(|photo| {
                    let record = &photo.record;
                    let on_remove = {
                        let (on_remove, id) = (props.actions.on_remove_photo.clone(), record.id);
                        Callback::from(move |_| on_remove.emit(id))
                    };
                    let on_retry = {
                        let (on_retry, id) = (props.actions.on_retry_photo.clone(), record.id);
                        Callback::from(move |_| on_retry.emit(id))
                    };
                    html! {
                        <figure class="photo" key={record.id.to_string()} data-evidence-id={record.id.to_string()}>
                            if let Some(file) = photo.file.as_ref().filter(|f| !f.type_().starts_with("image/")) {
                                <div class="photo__placeholder photo__document">
                                    { file.dyn_ref::<web_sys::File>().map(|f| f.name()).unwrap_or_default() }
                                </div>
                            } else if let Some(file) = &photo.file {
                                <BlobImage blob={file.clone()} alt={strings.photo_of} />
                            } else {
                                <div class="photo__placeholder photo__placeholder--error">{ strings.photo_failed }</div>
                            }
                            <figcaption class="photo__caption">
                                <PhotoFacts captured_at={Some(record.captured_at)}
                                    position={record.latitude.zip(record.longitude)}
                                    locating={record.locating} />
                                <UploadStatus state={photo.state.clone()} on_retry={on_retry.clone()}
                                    on_remove={on_remove.clone()} disabled={props.disabled} />
                            </figcaption>
                            if !props.disabled {
                                <button type="button" class="photo__remove" onclick={on_remove}
                                    aria-label={strings.remove_photo} title={strings.remove_photo}>{ "×" }</button>
                            }
                        </figure>
                    }
                }) }
            </div>
            <label class={classes!("button", "button--secondary", "photo-input", disabled.then_some("button--disabled"))}>
                if props.documents {
                    <input type="file" accept={DOCUMENT_TYPES} multiple=true class="visually-hidden"
                        {disabled} onchange={on_files} />
                } else {
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                        {disabled} onchange={on_files} />
                }
                <svg class="photo-input__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"
                    fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">
                    <path d="M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z" />
                    <circle cx="12" cy="13" r="4" />
                </svg>
                <span>{ if props.documents { strings.attach_document } else { strings.take_photo } }</span>
                if let Some(max) = props.max {
                    <span class="photo-input__count">{ format!("{}/{}", props.photos.len(), max) }</span>
                }
            </label>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct UploadStatusProps {
    state: Option<PhotoState>,
    on_retry: Callback<MouseEvent>,
    on_remove: Callback<MouseEvent>,
    disabled: bool,
}

/// Where a photo's upload stands: waiting, n % sent, sent, or refused with the server's reason
/// and what the inspector can do about it.
#[component]
fn UploadStatus(props: &UploadStatusProps) -> Html {
    let strings = use_strings();
    match &props.state {
        None | Some(PhotoState::Waiting) => html! {
            <span class="upload upload--waiting" role="status">{ strings.upload_waiting }</span>
        },
        Some(PhotoState::Uploading { percent }) => html! {
            <span class="upload upload--sending" role="status">
                { strings.upload_sending }{ format!(" {percent}%") }
                <progress class="upload__bar" max="100" value={percent.to_string()}></progress>
            </span>
        },
        Some(PhotoState::Sent) => html! {
            <span class="upload upload--sent" role="status">{ "✓ " }{ strings.upload_sent }</span>
        },
        Some(PhotoState::Failed(message)) => html! {
            <span class="upload upload--failed" role="alert">
                <span class="upload__reason">{ strings.photo_send_failed }{ ": " }{ message.clone() }</span>
                <span class="upload__actions">
                    <button type="button" class="button button--small" onclick={props.on_retry.clone()}
                        disabled={props.disabled}>{ strings.send_again }</button>
                    <button type="button" class="button button--small button--danger" onclick={props.on_remove.clone()}
                        disabled={props.disabled}>{ strings.remove_photo }</button>
                </span>
            </span>
        },
    }
}

impl SchemaRef {
    pub fn item(&self, slot: SlotRef) -> Option<&Item> {
        self.0.sections.get(slot.section)?.items.get(slot.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_a_decimal_comma_or_point() {
        assert_eq!(parse_number("85,5"), Ok(Some(85.5)));
        assert_eq!(parse_number(" 90 "), Ok(Some(90.0)));
        assert_eq!(parse_number("0.1"), Ok(Some(0.1)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("85,"), Ok(Some(85.0)));
        assert!(parse_number("abc").is_err());
        assert!(parse_number("inf").is_err());
    }

    #[test]
    fn dates_read_and_write_in_the_form_of_a_date_input() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(iso_date(date), "2026-11-03");
        assert_eq!(parse_iso_date("2026-11-03"), Some(date));
        assert_eq!(parse_iso_date(""), None);
        assert_eq!(parse_iso_date("2026-02-30"), None);
    }
}
