//! What a proposed finding came from: the checklist item, the answer given, and for a
//! measurement the limit it was held to and how far it is off.

use kiemtra_shared::answers::{Answer, AnswerValue};
use kiemtra_shared::inspection::{InspectionDetail, ResponseView};
use kiemtra_shared::measurement::{Direction, Evaluation};
use kiemtra_shared::review::FindingView;
use kiemtra_shared::template::{Item, TemplateSchema};

use crate::components::format;
use crate::i18n::Strings;

/// The answer behind a finding, as the screen writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerContext {
    /// The item's label, with the repeat instance ("Phân xưởng 1") when there is one.
    pub item: String,
    pub answer: String,
    /// "≤ 85 dBA (8 giờ)".
    pub limit: Option<String>,
    /// Above or below the limit, and by how much.
    pub deviation: Option<(Direction, String)>,
}

/// Where in the answers a finding's slot points: `items/<key>` or
/// `repeats/<section>/<instance>/<key>`.
fn parse_slot(slot: &str) -> Option<(Option<(&str, usize)>, &str)> {
    let parts: Vec<&str> = slot.split('/').collect();
    match parts.as_slice() {
        ["items", key] => Some((None, key)),
        ["repeats", section, n, key] => Some((Some((section, n.parse().ok()?)), key)),
        _ => None,
    }
}

fn schema_of<'a>(
    detail: &'a InspectionDetail,
    response: &ResponseView,
) -> Option<&'a TemplateSchema> {
    [
        Some(&detail.site_checklist),
        detail.questionnaire.as_ref(),
        detail.self_inspection.as_ref(),
    ]
    .into_iter()
    .flatten()
    .find(|t| t.id == response.template_id)
    .map(|t| &t.schema)
}

/// The answer a finding was proposed from, if it came from one still on record.
pub fn context_of(
    finding: &FindingView,
    detail: &InspectionDetail,
    strings: &Strings,
) -> Option<AnswerContext> {
    let response_id = finding.response_id?;
    let response = detail
        .site_response
        .iter()
        .chain(detail.responses.iter())
        .find(|r| r.id == response_id)?;
    let (instance, key) = parse_slot(finding.slot.as_deref()?)?;
    let schema = schema_of(detail, response)?;
    let location = schema.locate(key)?;
    let answer: &Answer = match instance {
        None => response.answers.items.get(key)?,
        Some((section, n)) => response.answers.repeats.get(section)?.get(n)?.get(key)?,
    };
    let mut item = strings.label(&location.item.label).to_owned();
    if let (Some((_, n)), Some(repeat)) = (instance, &location.section.repeat) {
        item = format!("{} — {}", strings.instance_title(&repeat.label, n), item);
    }
    let evaluation = response
        .non_compliances
        .iter()
        .find(|nc| nc.item_key == key && nc.instance == instance.map(|(_, n)| n))
        .and_then(|nc| nc.evaluation.as_ref());
    Some(AnswerContext {
        item,
        answer: answer_text(location.item, &answer.value, strings),
        limit: evaluation.and_then(|e| limit_text(e, strings)),
        deviation: evaluation.and_then(|e| {
            let d = e.deviation?;
            let mut text = format!("{} {}", strings.number(d.amount), e.unit);
            if let Some(percent) = d.percent {
                let percent = strings.number((percent * 10.0).round() / 10.0);
                text.push_str(&format!(" ({percent} %)"));
            }
            Some((d.direction, text))
        }),
    })
}

fn answer_text(item: &Item, value: &AnswerValue, strings: &Strings) -> String {
    let option = |key: &str| {
        item.kind
            .options()
            .and_then(|options| options.iter().find(|o| o.key == key))
            .map(|o| strings.label(&o.label).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    match value {
        AnswerValue::YesNo(v) => strings.answer(*v).to_owned(),
        AnswerValue::Number(n) => strings.number(*n),
        AnswerValue::Text(t) => t.clone(),
        AnswerValue::Choice(key) => option(key),
        AnswerValue::Choices(keys) => keys
            .iter()
            .map(|k| option(k))
            .collect::<Vec<_>>()
            .join(", "),
        AnswerValue::Date(d) => format::date(*d),
        AnswerValue::Measurement(m) => {
            let mut text = format!("{} {}", strings.number(m.value), m.unit);
            if let Some(minutes) = m.exposure_minutes {
                text.push_str(&format!(" · {}", strings.duration(minutes)));
            }
            if !m.instrument.is_empty() {
                text.push_str(&format!(" · {}", m.instrument));
            }
            text
        }
        AnswerValue::Photos(_) | AnswerValue::Signature(_) | AnswerValue::Gps(_) => "—".to_owned(),
    }
}

fn limit_text(evaluation: &Evaluation, strings: &Strings) -> Option<String> {
    let unit = &evaluation.unit;
    let mut text = match (evaluation.limit_min, evaluation.limit_max) {
        (Some(min), Some(max)) => {
            format!("{} – {} {unit}", strings.number(min), strings.number(max))
        }
        (None, Some(max)) => format!("≤ {} {unit}", strings.number(max)),
        (Some(min), None) => format!("≥ {} {unit}", strings.number(min)),
        (None, None) => return None,
    };
    if let Some(minutes) = evaluation.exposure_row_minutes {
        text.push_str(&format!(" ({})", strings.duration(minutes)));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use kiemtra_shared::measurement::{Deviation, Unit};

    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn slots_name_the_item_and_the_repeat_instance() {
        assert_eq!(
            parse_slot("items/osh.machine_guards"),
            Some((None, "osh.machine_guards"))
        );
        assert_eq!(
            parse_slot("repeats/workshops/2/workshop.noise_laeq"),
            Some((Some(("workshops", 2)), "workshop.noise_laeq"))
        );
        assert_eq!(parse_slot("repeats/workshops/x/workshop.noise_laeq"), None);
        assert_eq!(parse_slot("answers/osh.machine_guards"), None);
    }

    #[test]
    fn limits_read_as_the_standard_writes_them() {
        let strings = Lang::Vi.strings();
        let mut evaluation = Evaluation {
            compliant: false,
            limit_min: None,
            limit_max: Some(85.0),
            exposure_row_minutes: Some(480),
            deviation: Some(Deviation {
                direction: Direction::Above,
                amount: 5.0,
                percent: Some(5.88),
            }),
            unit: Unit::Dba,
            legal_reference: "QCVN 24:2016/BYT".to_owned(),
        };
        assert_eq!(
            limit_text(&evaluation, strings).as_deref(),
            Some("≤ 85 dBA (8 giờ)")
        );
        evaluation.limit_min = Some(18.5);
        evaluation.exposure_row_minutes = None;
        evaluation.unit = Unit::Celsius;
        assert_eq!(
            limit_text(&evaluation, strings).as_deref(),
            Some("18,5 – 85 °C")
        );
        evaluation.limit_max = None;
        evaluation.unit = Unit::Lux;
        assert_eq!(
            limit_text(&evaluation, strings).as_deref(),
            Some("≥ 18,5 lx")
        );
    }
}
