//! Measurements (kết quả đo): entering one, and how it compares with the item's legal limit,
//! evaluated on the spot by the shared engine (`measurement::evaluate`) while the inspector
//! types, and shown the same way to the reviewer.

use std::rc::Rc;

use chrono::Utc;
use kiemtra_shared::answers::AnswerValue;
use kiemtra_shared::measurement::{
    Direction, EvaluationError, Measurement, MeasurementSpec, Unit, evaluate,
};
use kiemtra_shared::template::{Item, ItemKind};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::draft::UNREADABLE_NUMBER;
use super::fields::{InputCommon, use_number_text};
use super::problems::Problem;
use crate::components::format;
use crate::i18n::{Strings, use_strings};

#[derive(Properties, PartialEq)]
pub struct MeasurementInputProps {
    pub common: InputCommon,
    pub item: Rc<Item>,
    pub value: Option<Measurement>,
    /// Problems of this item; those about one field are shown at it.
    pub problems: Vec<Problem>,
    pub instruments: Rc<Vec<String>>,
    pub on_value: Callback<Option<AnswerValue>>,
    /// Whether the text of the value or the exposure field does not read as a number.
    pub on_unreadable: Callback<(&'static str, bool)>,
}

/// The measured value with the item's unit, the exposure time when the limit depends on it,
/// the instrument; then the limit and, live, whether the value complies.
#[component]
pub fn MeasurementInput(props: &MeasurementInputProps) -> Html {
    let strings = use_strings();
    let ItemKind::Measurement(spec) = &props.item.kind else {
        return html! {};
    };
    let common = &props.common;
    // Typed here before the value exists, so kept apart from the answer until then.
    let instrument = use_state(|| {
        props
            .value
            .as_ref()
            .map(|m| m.instrument.clone())
            .unwrap_or_default()
    });
    let exposure_text = use_state(|| {
        props
            .value
            .as_ref()
            .and_then(|m| m.exposure_minutes)
            .map(|m| m.to_string())
            .unwrap_or_default()
    });
    let exposure = parse_minutes(&exposure_text);
    let has_table = !spec.exposure_limits.is_empty();

    // Builds the answer from its parts; `None` until there is a value.
    let emit = {
        let (on_value, unit) = (props.on_value.clone(), spec.unit.clone());
        let previous = props.value.clone();
        move |value: Option<f64>, instrument: String, exposure: Option<u32>| {
            let measurement = value.map(|value| Measurement {
                value,
                unit: unit.clone(),
                instrument,
                // When it was measured: now, unless only the notes around the value changed.
                measured_at: previous
                    .as_ref()
                    .filter(|p| p.value == value)
                    .map_or_else(Utc::now, |p| p.measured_at),
                exposure_minutes: exposure,
            });
            on_value.emit(measurement.map(AnswerValue::Measurement));
        }
    };
    let current = props.value.as_ref().map(|m| m.value);
    let (raw, on_value_input, unreadable) = use_number_text(
        current,
        strings,
        {
            let (emit, instrument) = (emit.clone(), instrument.clone());
            Callback::from(move |value: Option<f64>| {
                emit(value, (*instrument).clone(), exposure.ok().flatten())
            })
        },
        {
            let on_unreadable = props.on_unreadable.clone();
            Callback::from(move |bad| on_unreadable.emit((".value.value", bad)))
        },
    );
    let on_instrument = {
        let (emit, instrument) = (emit.clone(), instrument.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            instrument.set(input.value());
            if current.is_some() {
                emit(current, input.value(), exposure.ok().flatten());
            }
        })
    };
    let on_exposure = {
        let (emit, instrument, exposure_text) = (emit, instrument.clone(), exposure_text.clone());
        let on_unreadable = props.on_unreadable.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let minutes = parse_minutes(&input.value());
            on_unreadable.emit((".value.exposure_minutes", minutes.is_err()));
            exposure_text.set(input.value());
            if current.is_some() {
                emit(current, (*instrument).clone(), minutes.ok().flatten());
            }
        })
    };

    let problem_at = |part: &str| -> Html {
        props
            .problems
            .iter()
            .filter(|p| p.part == part && p.code != UNREADABLE_NUMBER)
            .map(|p| html! { <p class="problem">{ p.text.clone() }</p> })
            .collect()
    };
    let id = &common.id;
    let list_id = format!("{id}-instruments");
    html! {
        <div class="measurement">
            <div class="measurement__row">
                <label class="field__label" for={format!("{id}-value")}>{ strings.measured_value }</label>
                <div class="with-unit">
                    <input type="text" class="input input--number input--big" id={format!("{id}-value")}
                        inputmode="decimal" autocomplete="off" value={raw} oninput={on_value_input}
                        disabled={common.disabled} aria-describedby={common.labelled_by.clone()}
                        aria-invalid={(unreadable || props.problems.iter().any(|p| p.part.is_empty() || p.part == ".value.value")).to_string()} />
                    <span class="with-unit__unit">{ spec.unit.symbol() }</span>
                </div>
                if unreadable {
                    <p class="problem">{ strings.not_a_number }</p>
                }
                { problem_at(".value.value") }
                { problem_at(".value.unit") }
            </div>
            if has_table {
                <div class="measurement__row">
                    <label class="field__label" for={format!("{id}-exposure")}>{ strings.exposure_time }</label>
                    <div class="with-unit">
                        <input type="text" class="input input--number" id={format!("{id}-exposure")}
                            inputmode="numeric" autocomplete="off" value={(*exposure_text).clone()}
                            oninput={on_exposure} disabled={common.disabled}
                            placeholder={spec.exposure_limits.iter().map(|r| r.minutes).max().map(|m| m.to_string())}
                            aria-invalid={exposure.is_err().to_string()} />
                        <span class="with-unit__unit">{ strings.minutes }</span>
                    </div>
                    <p class="field__hint">{ strings.exposure_default }</p>
                    if exposure.is_err() {
                        <p class="problem">{ strings.not_a_whole_number }</p>
                    }
                    { problem_at(".value.exposure_minutes") }
                </div>
            }
            <div class="measurement__row">
                <label class="field__label" for={format!("{id}-instrument")}>{ strings.instrument }</label>
                <input type="text" class="input" id={format!("{id}-instrument")} list={list_id.clone()}
                    value={(*instrument).clone()} oninput={on_instrument} disabled={common.disabled}
                    placeholder={strings.instrument_hint} autocomplete="off"
                    aria-invalid={props.problems.iter().any(|p| p.part == ".value.instrument").to_string()} />
                <datalist id={list_id}>
                    { for props.instruments.iter().map(|name| html! { <option value={name.clone()} /> }) }
                </datalist>
                { problem_at(".value.instrument") }
            </div>
            <MeasurementResult item={props.item.clone()} value={props.value.clone()} />
        </div>
    }
}

/// Minutes as typed: `Ok(None)` when empty, `Err` when not a whole number.
fn parse_minutes(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

#[derive(Properties, PartialEq)]
pub struct MeasurementResultProps {
    pub item: Rc<Item>,
    /// Nothing measured yet: only the limit is shown.
    pub value: Option<Measurement>,
}

/// The limit that applies, and the verdict: green "Đạt", or red "Không đạt" with how far off.
#[component]
pub fn MeasurementResult(props: &MeasurementResultProps) -> Html {
    let strings = use_strings();
    let ItemKind::Measurement(spec) = &props.item.kind else {
        return html! {};
    };
    let evaluation = props.value.as_ref().map(|m| evaluate(&props.item, m));
    let (limit_min, limit_max, row) = match &evaluation {
        Some(Ok(e)) => (e.limit_min, e.limit_max, e.exposure_row_minutes),
        _ => (
            spec.limit_min.map(|l| l.get()),
            spec.limit_max.map(|l| l.get()),
            None,
        ),
    };
    let limit = limit_text(strings, &spec.unit, limit_min, limit_max);
    let verdict = match &evaluation {
        None => html! {},
        Some(Ok(e)) if e.compliant => html! {
            <p class="verdict verdict--ok" role="status">
                <span class="verdict__word">{ strings.compliant }</span>
            </p>
        },
        Some(Ok(e)) => {
            let detail = e.deviation.map(|d| {
                let mut amount = format!("{} {}", strings.number(d.amount), e.unit.symbol());
                // A percentage of decibels means nothing (logarithmic): the standard speaks of
                // the amount.
                if let (Some(percent), false) = (d.percent, e.unit == Unit::Dba) {
                    amount.push_str(&format!(
                        " ({}%)",
                        strings.number((percent * 10.0).round() / 10.0)
                    ));
                }
                strings.deviation(d.direction == Direction::Above, &amount)
            });
            html! {
                <p class="verdict verdict--bad" role="status">
                    <span class="verdict__word">{ strings.non_compliant }</span>
                    if let Some(detail) = detail {
                        <span class="verdict__detail">{ detail }</span>
                    }
                </p>
            }
        }
        Some(Err(EvaluationError::NoLimit)) => html! {
            <p class="verdict verdict--none">{ strings.no_limit }</p>
        },
        Some(Err(EvaluationError::ExposureBeyondTable { longest, .. })) => html! {
            <p class="problem">{ strings.exposure_beyond_table(*longest) }</p>
        },
        Some(Err(EvaluationError::ZeroExposure)) => html! {
            <p class="problem">{ strings.zero_exposure }</p>
        },
        Some(Err(_)) => html! { <p class="problem">{ strings.problem_wrong_type }</p> },
    };
    let mut table: Vec<_> = spec.exposure_limits.clone();
    table.sort_by_key(|row| std::cmp::Reverse(row.minutes));
    html! {
        <div class="measurement__result">
            <p class="limit">
                <span class="limit__label">{ strings.limit }{ ": " }</span>
                <span class="limit__value">{ limit }</span>
                if let Some(minutes) = row {
                    <span class="limit__row">{ format!(" ({} {})", strings.exposure_short, strings.duration(minutes)) }</span>
                }
                <span class="limit__reference">{ " · " }{ &spec.legal_reference }</span>
            </p>
            if let Some(note) = &spec.note {
                <p class="field__hint">{ strings.label(note) }</p>
            }
            if !table.is_empty() {
                <details class="exposure-table">
                    <summary>{ strings.exposure_table }</summary>
                    <ul>
                        { for table.iter().map(|row| html! {
                            <li>{ strings.duration(row.minutes) }{ ": ≤ " }{ strings.number(row.max.get()) }{ " " }{ spec.unit.symbol() }</li>
                        }) }
                    </ul>
                </details>
            }
            { verdict }
        </div>
    }
}

/// "≤ 85 dBA", "≥ 100 lx", "20 – 34 °C", or that there is no limit yet.
fn limit_text(strings: &Strings, unit: &Unit, min: Option<f64>, max: Option<f64>) -> String {
    let n = |v: f64| strings.number(v);
    let unit = unit.symbol();
    match (min, max) {
        (Some(min), Some(max)) => format!("{} – {} {unit}", n(min), n(max)),
        (Some(min), None) => format!("≥ {} {unit}", n(min)),
        (None, Some(max)) => format!("≤ {} {unit}", n(max)),
        (None, None) => strings.no_limit.to_owned(),
    }
}

/// A measurement as the reviewer reads it: value and unit, exposure, instrument and time.
pub fn measurement_facts(strings: &Strings, spec: &MeasurementSpec, m: &Measurement) -> Html {
    html! {
        <>
            <p class="measured">
                <span class="measured__value">{ strings.number(m.value) }</span>
                { " " }<span class="measured__unit">{ m.unit.symbol() }</span>
            </p>
            <dl class="facts">
                if let (Some(minutes), false) = (m.exposure_minutes, spec.exposure_limits.is_empty()) {
                    <div><dt>{ strings.exposure_time }</dt><dd>{ strings.duration(minutes) }</dd></div>
                }
                <div><dt>{ strings.instrument }</dt><dd>{ &m.instrument }</dd></div>
                <div><dt>{ strings.measured_at }</dt><dd>{ format::date_time(m.measured_at) }</dd></div>
            </dl>
        </>
    }
}
