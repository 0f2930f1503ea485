//! The non-compliances in a set of answers, which the server proposes as findings (vi phạm)
//! for the team to confirm.

use serde::{Deserialize, Serialize};

use crate::answers::{AnswerValue, Answers, YesNo};
use crate::form::Form;
use crate::measurement::{Deviation, Direction, Evaluation};
use crate::template::{ItemKind, Label, Severity, TemplateSchema};

/// One non-compliant answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NonCompliance {
    /// Template path of the item (`sections[3][1].items[4]` in repeat instance 1).
    pub path: String,
    pub item_key: String,
    /// The repeat instance, for items of repeated sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<usize>,
    pub severity: Option<Severity>,
    /// The item's legal basis, or for a measurement the standard that sets the limit.
    pub legal_basis: Option<String>,
    pub reason: Label,
    /// The comparison with the limit, for a measurement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
}

/// The non-compliant answers among the visible ones, in form order: a yes/no item answered
/// the opposite of its `compliant_answer` ("not applicable" never is), and a measurement
/// outside its limits. Meant for answers that [`crate::validate::validate`] accepted; answers
/// it would reject (wrong type, wrong unit) are skipped here rather than guessed at.
pub fn compliance(schema: &TemplateSchema, answers: &Answers) -> Vec<NonCompliance> {
    let form = Form::new(schema, answers);
    let mut found = Vec::new();
    for slot in form.slots() {
        let (true, Some(answer)) = (slot.visible, slot.answer) else {
            continue;
        };
        let item = slot.item;
        let (reason, evaluation, legal_basis) = match (&item.kind, &answer.value) {
            (
                ItemKind::YesNo {
                    compliant_answer: Some(expected),
                },
                AnswerValue::YesNo(given),
            ) if *given != YesNo::NotApplicable && given != expected => {
                let reason = Label {
                    vi: format!(
                        "Trả lời \"{}\"; yêu cầu là \"{}\".",
                        given.label().vi,
                        expected.label().vi
                    ),
                    en: format!(
                        "Answered \"{}\"; compliance requires \"{}\".",
                        given.label().en,
                        expected.label().en
                    ),
                };
                (reason, None, item.legal_basis.clone())
            }
            (ItemKind::Measurement(spec), AnswerValue::Measurement(measurement)) => {
                let Ok(evaluation) = spec.evaluate(measurement) else {
                    continue;
                };
                let Some(deviation) = evaluation.deviation else {
                    continue;
                };
                let reason = measurement_reason(measurement.value, &evaluation, deviation);
                let basis = item
                    .legal_basis
                    .clone()
                    .filter(|b| !b.trim().is_empty())
                    .or_else(|| Some(spec.legal_reference.clone()));
                (reason, Some(evaluation), basis)
            }
            _ => continue,
        };
        found.push(NonCompliance {
            path: slot.path(),
            item_key: item.key.clone(),
            instance: slot.instance,
            severity: item.severity,
            legal_basis,
            reason,
            evaluation,
        });
    }
    found
}

fn measurement_reason(value: f64, evaluation: &Evaluation, deviation: Deviation) -> Label {
    let unit = evaluation.unit.symbol();
    let (limit, vi_side, en_side) = match deviation.direction {
        Direction::Above => (
            evaluation.limit_max,
            "vượt giới hạn tối đa",
            "above the maximum of",
        ),
        Direction::Below => (
            evaluation.limit_min,
            "thấp hơn giới hạn tối thiểu",
            "below the minimum of",
        ),
    };
    let limit = limit.unwrap_or_default();
    let percent_vi = deviation
        .percent
        .map(|p| format!(" ({} %)", number_vi(p)))
        .unwrap_or_default();
    let percent_en = deviation
        .percent
        .map(|p| format!(" ({} %)", number_en(p)))
        .unwrap_or_default();
    Label {
        vi: format!(
            "Đo được {} {unit}, {vi_side} {} {unit} là {} {unit}{percent_vi}.",
            number_vi(value),
            number_vi(limit),
            number_vi(deviation.amount)
        ),
        en: format!(
            "Measured {} {unit}, {en_side} {} {unit} by {} {unit}{percent_en}.",
            number_en(value),
            number_en(limit),
            number_en(deviation.amount)
        ),
    }
}

/// At most two decimals, trailing zeros dropped: 3.4, 85, 0.15.
fn number_en(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// As [`number_en`], with the decimal comma Vietnamese uses.
fn number_vi(value: f64) -> String {
    number_en(value).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn with_guards(answer: YesNo) -> Answers {
        let mut answers = minimal_answers();
        answers.set("a.guards", yes_no(answer));
        answers
    }

    #[test]
    fn the_opposite_of_the_compliant_answer_is_a_non_compliance() {
        let found = compliance(&schema(), &with_guards(YesNo::No));
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert_eq!(finding.path, "sections[0].items[0]");
        assert_eq!(finding.item_key, "a.guards");
        assert_eq!(finding.instance, None);
        assert_eq!(finding.severity, Some(Severity::Major));
        assert_eq!(
            finding.legal_basis.as_deref(),
            Some("Luật An toàn, vệ sinh lao động 2015")
        );
        assert_eq!(finding.reason.vi, "Trả lời \"Không\"; yêu cầu là \"Có\".");
        assert_eq!(finding.evaluation, None);
    }

    #[test]
    fn compliant_and_not_applicable_answers_are_not_non_compliances() {
        assert_eq!(compliance(&schema(), &with_guards(YesNo::Yes)), Vec::new());
        assert_eq!(
            compliance(&schema(), &with_guards(YesNo::NotApplicable)),
            Vec::new()
        );
    }

    #[test]
    fn a_yes_no_item_without_a_compliant_answer_only_asks() {
        let mut answers = minimal_answers();
        answers.set("a.boiler", yes_no(YesNo::No));
        assert_eq!(compliance(&schema(), &answers), Vec::new());
    }

    #[test]
    fn a_measurement_above_its_limit_is_a_non_compliance_in_its_instance() {
        let mut answers = minimal_answers();
        answers.push_instance(
            "workshops",
            workshop("Xưởng dập", "production", Some(noise(89.5, Some(240)))),
        );
        let found = compliance(&schema(), &answers);
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert_eq!(finding.path, "sections[1][1].items[2]");
        assert_eq!(finding.instance, Some(1));
        assert_eq!(finding.legal_basis.as_deref(), Some("QCVN 24:2016/BYT"));
        let evaluation = finding.evaluation.as_ref().unwrap();
        assert_eq!(evaluation.limit_max, Some(88.0));
        assert_eq!(evaluation.deviation.map(|d| d.amount), Some(1.5));
        assert_eq!(
            finding.reason.en,
            "Measured 89.5 dBA, above the maximum of 88 dBA by 1.5 dBA (1.7 %)."
        );
        assert_eq!(
            finding.reason.vi,
            "Đo được 89,5 dBA, vượt giới hạn tối đa 88 dBA là 1,5 dBA (1,7 %)."
        );
    }

    #[test]
    fn a_measurement_within_its_limit_is_not_a_non_compliance() {
        let mut answers = minimal_answers();
        answers.push_instance(
            "workshops",
            workshop("Xưởng dập", "production", Some(noise(88.0, Some(240)))),
        );
        assert_eq!(compliance(&schema(), &answers), Vec::new());
    }

    #[test]
    fn hidden_answers_are_not_judged() {
        let mut answers = minimal_answers();
        answers.push_instance(
            "workshops",
            workshop("Văn phòng 2", "office", Some(noise(99.0, None))),
        );
        assert_eq!(compliance(&schema(), &answers), Vec::new());
    }
}
