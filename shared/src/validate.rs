//! Checks a set of answers against its template. The server runs this as the authority; the
//! PWA runs the same code before it queues a submission, so the two never disagree.
//!
//! Decisions:
//! - A hidden item (its `visible_if` or its section's is false) must not be answered: the
//!   answer is rejected with `hidden_answered`, not silently ignored, so that a stored response
//!   (and the signed record made from it) holds exactly what the form showed. The PWA calls
//!   [`prune_hidden`] before submitting, after the user changed an answer that hid others.
//! - Blank answers (empty text, no choice, no photo) count as unanswered.
//! - Errors about a template item are reported at its template path (`sections[2].items[5]`,
//!   `sections[1][0].items[3]` for instance 0 of repeated section 1), with a suffix that follows
//!   the answer's JSON for a part of it (`.value.unit`, `.value[2]`, `.photos`). Errors about
//!   keys the template does not have are reported at their place in the answers
//!   (`items["x"]`, `repeats["workshops"][0]["x"]`, `repeats["x"]`).
//! - Messages are English; clients translate by the stable `code` ([`rule`]).

use std::collections::HashSet;

use crate::answers::{Answer, AnswerValue, Answers};
use crate::error::FieldError;
use crate::form::{Form, Slot};
use crate::measurement::EvaluationError;
use crate::template::{ItemKind, TemplateSchema};

/// Stable rule codes of [`validate`] and [`TemplateSchema::check`] errors.
pub mod rule {
    /// A visible required item is unanswered or blank.
    pub const REQUIRED: &str = "required";
    /// The answer's `type` is not the one the item takes, or a number is not finite.
    pub const WRONG_TYPE: &str = "wrong_type";
    /// A number, coordinate or exposure time outside what the item allows.
    pub const OUT_OF_RANGE: &str = "out_of_range";
    pub const NOT_INTEGER: &str = "not_integer";
    pub const TOO_LONG: &str = "too_long";
    /// A choice that is not one of the item's options (or, in a template, a condition value
    /// that the referenced item cannot take).
    pub const UNKNOWN_OPTION: &str = "unknown_option";
    pub const DUPLICATE_OPTION: &str = "duplicate_option";
    pub const DUPLICATE_PHOTO: &str = "duplicate_photo";
    /// Fewer repeat instances, choices or photos than the minimum.
    pub const TOO_FEW: &str = "too_few";
    /// More repeat instances, choices or photos than the maximum.
    pub const TOO_MANY: &str = "too_many";
    /// An answer (or a condition) names an item the template does not have (there).
    pub const UNKNOWN_ITEM: &str = "unknown_item";
    /// Answers are filed under a key that is not a repeated section of the template.
    pub const UNKNOWN_SECTION: &str = "unknown_section";
    /// A hidden item or section is answered.
    pub const HIDDEN_ANSWERED: &str = "hidden_answered";
    /// `evidence_required_if` holds and no photo is attached.
    pub const EVIDENCE_REQUIRED: &str = "evidence_required";
    /// Photos attached to an item that does not take them.
    pub const PHOTOS_NOT_ALLOWED: &str = "photos_not_allowed";
    /// A measurement in another unit than its item (or, in a template, a unit that does not
    /// suit the quantity).
    pub const UNIT_MISMATCH: &str = "unit_mismatch";

    // Template check only.
    /// A list that must have something (sections, items, options, labels) is empty.
    pub const EMPTY: &str = "empty";
    /// A key with characters other than `a-z 0-9 _ . -`.
    pub const INVALID_KEY: &str = "invalid_key";
    pub const DUPLICATE_KEY: &str = "duplicate_key";
    /// A minimum above its maximum, a maximum of 0, an exposure table that is not monotonic.
    pub const INVALID_RANGE: &str = "invalid_range";
    pub const INVALID_VALUE: &str = "invalid_value";
    /// A condition on a kind that cannot be compared, an empty group, or one that reaches into
    /// a repeated section from outside it.
    pub const INVALID_CONDITION: &str = "invalid_condition";
    /// Visibility conditions that depend on themselves.
    pub const CYCLE: &str = "cycle";
    /// An item that can be non-compliant has no severity.
    pub const MISSING_SEVERITY: &str = "missing_severity";
    /// An item that can be non-compliant has no legal basis.
    pub const MISSING_LEGAL_BASIS: &str = "missing_legal_basis";
}

pub(crate) fn field_error(
    field: impl Into<String>,
    code: &str,
    message: impl Into<String>,
) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.to_owned(),
        message: message.into(),
    }
}

/// Checks answers against their template: every key is known, each answer has the type of its
/// item and meets its constraints, repeated sections have between `min` and `max` instances,
/// visible required items are answered, hidden ones are not, and photos are attached where
/// `evidence_required_if` holds. Returns every failure, in form order.
pub fn validate(schema: &TemplateSchema, answers: &Answers) -> Result<(), Vec<FieldError>> {
    let form = Form::new(schema, answers);
    let mut errors = Vec::new();
    for (s, section) in schema.sections.iter().enumerate() {
        let Some(repeat) = &section.repeat else {
            continue;
        };
        let count = form.instances(s);
        let path = crate::item_path::section_path(s);
        if !form.section_visible(s) {
            if count > 0 {
                errors.push(field_error(
                    path,
                    rule::HIDDEN_ANSWERED,
                    format!(
                        "Section {:?} is hidden and must not be filled in.",
                        section.key
                    ),
                ));
            }
        } else if count < repeat.min as usize {
            errors.push(field_error(
                path,
                rule::TOO_FEW,
                format!(
                    "Section {:?} needs at least {} instance(s); it has {count}.",
                    section.key, repeat.min
                ),
            ));
        } else if count > repeat.max as usize {
            errors.push(field_error(
                path,
                rule::TOO_MANY,
                format!(
                    "Section {:?} takes at most {} instance(s); it has {count}.",
                    section.key, repeat.max
                ),
            ));
        }
    }
    for slot in form.slots() {
        // A hidden repeated section was reported once above.
        if slot.instance.is_some() && !form.section_visible(slot.section_index) {
            continue;
        }
        check_slot(&form, &slot, &mut errors);
    }
    unknown_keys(&form, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_slot(form: &Form<'_>, slot: &Slot<'_>, errors: &mut Vec<FieldError>) {
    let item = slot.item;
    let path = slot.path();
    if !slot.visible {
        if slot.answer.is_some() {
            errors.push(field_error(
                path,
                rule::HIDDEN_ANSWERED,
                format!(
                    "Item {:?} is hidden by its condition and must not be answered.",
                    item.key
                ),
            ));
        }
        return;
    }
    let answer = slot.answer.filter(|answer| !is_blank(answer));
    if answer.is_none() && item.required {
        errors.push(field_error(
            &path,
            rule::REQUIRED,
            format!("Item {:?} must be answered.", item.key),
        ));
    }
    if let Some(answer) = slot.answer {
        if !answer.photos.is_empty() && !item.allows_photos {
            errors.push(field_error(
                format!("{path}.photos"),
                rule::PHOTOS_NOT_ALLOWED,
                format!("Item {:?} does not take photos.", item.key),
            ));
        }
        duplicates_in(&answer.photos, &format!("{path}.photos"), errors);
        if !item.kind.accepts(&answer.value) {
            errors.push(field_error(
                &path,
                rule::WRONG_TYPE,
                format!(
                    "Item {:?} takes a {} answer, not {}.",
                    item.key,
                    item.kind.answer_type(),
                    answer.value.type_name()
                ),
            ));
        } else if answer_is_present(slot.answer) {
            check_value(&item.kind, &item.key, &answer.value, &path, errors);
        }
    }
    let evidence_needed = item
        .evidence_required_if
        .as_ref()
        .is_some_and(|condition| form.holds(condition, slot.section_index, slot.instance));
    if evidence_needed && answer.is_none_or(|answer| answer.photo_count() == 0) {
        errors.push(field_error(
            format!("{path}.photos"),
            rule::EVIDENCE_REQUIRED,
            format!("Item {:?} needs at least one photo as evidence.", item.key),
        ));
    }
}

fn answer_is_present(answer: Option<&Answer>) -> bool {
    answer.is_some_and(|answer| !is_blank(answer))
}

/// Blank answers count as unanswered.
fn is_blank(answer: &Answer) -> bool {
    match &answer.value {
        AnswerValue::Text(text) => text.trim().is_empty(),
        AnswerValue::Choices(keys) => keys.is_empty(),
        AnswerValue::Photos(ids) => ids.is_empty(),
        _ => false,
    }
}

fn check_value(
    kind: &ItemKind,
    key: &str,
    value: &AnswerValue,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    let mut push = |suffix: &str, code: &str, message: String| {
        errors.push(field_error(format!("{path}{suffix}"), code, message));
    };
    match (kind, value) {
        (
            ItemKind::Number {
                min, max, integer, ..
            },
            AnswerValue::Number(v),
        ) => {
            if !v.is_finite() {
                push(
                    "",
                    rule::WRONG_TYPE,
                    format!("Item {key:?} needs a finite number."),
                );
            } else if *integer && v.fract() != 0.0 {
                push(
                    "",
                    rule::NOT_INTEGER,
                    format!("Item {key:?} takes a whole number, not {v}."),
                );
            } else if let Some(min) = min.filter(|min| *v < min.get()) {
                push(
                    "",
                    rule::OUT_OF_RANGE,
                    format!("Item {key:?} must be at least {min}; it is {v}."),
                );
            } else if let Some(max) = max.filter(|max| *v > max.get()) {
                push(
                    "",
                    rule::OUT_OF_RANGE,
                    format!("Item {key:?} must be at most {max}; it is {v}."),
                );
            }
        }
        (
            ItemKind::Text {
                max_length: Some(max),
                ..
            },
            AnswerValue::Text(text),
        ) => {
            let length = text.chars().count();
            if length > *max as usize {
                push(
                    "",
                    rule::TOO_LONG,
                    format!("Item {key:?} takes at most {max} characters; it has {length}."),
                );
            }
        }
        (ItemKind::SingleChoice { options }, AnswerValue::Choice(choice))
            if !options.iter().any(|o| &o.key == choice) =>
        {
            push(
                "",
                rule::UNKNOWN_OPTION,
                format!("Item {key:?} has no option {choice:?}."),
            );
        }
        (
            ItemKind::MultipleChoice {
                options,
                min_selected,
                max_selected,
            },
            AnswerValue::Choices(choices),
        ) => {
            let mut seen = HashSet::new();
            for (j, choice) in choices.iter().enumerate() {
                if !options.iter().any(|o| &o.key == choice) {
                    push(
                        &format!(".value[{j}]"),
                        rule::UNKNOWN_OPTION,
                        format!("Item {key:?} has no option {choice:?}."),
                    );
                } else if !seen.insert(choice) {
                    push(
                        &format!(".value[{j}]"),
                        rule::DUPLICATE_OPTION,
                        format!("Option {choice:?} is chosen twice."),
                    );
                }
            }
            if let Some(min) = min_selected.filter(|min| choices.len() < *min as usize) {
                push(
                    "",
                    rule::TOO_FEW,
                    format!("Item {key:?} needs at least {min} choice(s)."),
                );
            }
            if let Some(max) = max_selected.filter(|max| choices.len() > *max as usize) {
                push(
                    "",
                    rule::TOO_MANY,
                    format!("Item {key:?} takes at most {max} choice(s)."),
                );
            }
        }
        (ItemKind::Photo { min, max }, AnswerValue::Photos(ids)) => {
            if ids.len() < *min as usize {
                push(
                    "",
                    rule::TOO_FEW,
                    format!("Item {key:?} needs at least {min} photo(s)."),
                );
            }
            if let Some(max) = max.filter(|max| ids.len() > *max as usize) {
                push(
                    "",
                    rule::TOO_MANY,
                    format!("Item {key:?} takes at most {max} photo(s)."),
                );
            }
        }
        (ItemKind::Signature, AnswerValue::Signature(signature)) => {
            if signature.signer_name.trim().is_empty() {
                push(
                    ".value.signer_name",
                    rule::REQUIRED,
                    "The signer's name is required.".into(),
                );
            }
            if signature.signer_role.trim().is_empty() {
                push(
                    ".value.signer_role",
                    rule::REQUIRED,
                    "The signer's role is required.".into(),
                );
            }
        }
        (ItemKind::Gps, AnswerValue::Gps(point)) => {
            if !(point.lat.is_finite() && (-90.0..=90.0).contains(&point.lat)) {
                push(
                    ".value.lat",
                    rule::OUT_OF_RANGE,
                    "Latitude must be between -90 and 90.".into(),
                );
            }
            if !(point.lon.is_finite() && (-180.0..=180.0).contains(&point.lon)) {
                push(
                    ".value.lon",
                    rule::OUT_OF_RANGE,
                    "Longitude must be between -180 and 180.".into(),
                );
            }
            if point
                .accuracy_m
                .is_some_and(|a| !(a.is_finite() && a >= 0.0))
            {
                push(
                    ".value.accuracy_m",
                    rule::OUT_OF_RANGE,
                    "Accuracy must be a distance of 0 m or more.".into(),
                );
            }
        }
        (ItemKind::Measurement(spec), AnswerValue::Measurement(measurement)) => {
            if measurement.instrument.trim().is_empty() {
                push(
                    ".value.instrument",
                    rule::REQUIRED,
                    "The instrument used must be named.".into(),
                );
            }
            match spec.evaluate(measurement) {
                Ok(_) | Err(EvaluationError::NoLimit | EvaluationError::NotAMeasurement { .. }) => {
                }
                Err(e @ EvaluationError::NotFinite) => {
                    push(".value.value", rule::WRONG_TYPE, e.to_string())
                }
                Err(e @ EvaluationError::UnitMismatch { .. }) => {
                    push(".value.unit", rule::UNIT_MISMATCH, e.to_string())
                }
                Err(
                    e @ (EvaluationError::ZeroExposure
                    | EvaluationError::ExposureBeyondTable { .. }),
                ) => push(".value.exposure_minutes", rule::OUT_OF_RANGE, e.to_string()),
            }
        }
        _ => {}
    }
    if let AnswerValue::Photos(ids) = value {
        duplicates_in(ids, &format!("{path}.value"), errors);
    }
}

fn duplicates_in(ids: &[uuid::Uuid], path: &str, errors: &mut Vec<FieldError>) {
    let mut seen = HashSet::new();
    for (j, id) in ids.iter().enumerate() {
        if !seen.insert(id) {
            errors.push(field_error(
                format!("{path}[{j}]"),
                rule::DUPLICATE_PHOTO,
                format!("Photo {id} is attached twice."),
            ));
        }
    }
}

fn unknown_keys(form: &Form<'_>, errors: &mut Vec<FieldError>) {
    let schema = form.schema;
    for key in form.answers.items.keys() {
        match form.position(key) {
            Some((s, _)) if schema.sections[s].repeat.is_none() => {}
            Some((s, _)) => errors.push(field_error(
                format!("items[{key:?}]"),
                rule::UNKNOWN_ITEM,
                format!(
                    "Item {key:?} belongs to the repeated section {:?}; answer it under repeats.",
                    schema.sections[s].key
                ),
            )),
            None => errors.push(field_error(
                format!("items[{key:?}]"),
                rule::UNKNOWN_ITEM,
                format!("The template has no item {key:?}."),
            )),
        }
    }
    for (section_key, instances) in &form.answers.repeats {
        let Some(section) = schema.section(section_key).filter(|s| s.repeat.is_some()) else {
            errors.push(field_error(
                format!("repeats[{section_key:?}]"),
                rule::UNKNOWN_SECTION,
                format!("The template has no repeated section {section_key:?}."),
            ));
            continue;
        };
        for (n, instance) in instances.iter().enumerate() {
            for key in instance.keys() {
                if !section.items.iter().any(|item| &item.key == key) {
                    errors.push(field_error(
                        format!("repeats[{section_key:?}][{n}][{key:?}]"),
                        rule::UNKNOWN_ITEM,
                        format!("Section {section_key:?} has no item {key:?}."),
                    ));
                }
            }
        }
    }
}

/// The answers without those of hidden items and hidden repeated sections: what the PWA
/// submits after the user changed an answer that hid others. Unknown keys are kept (and then
/// rejected by [`validate`]): they point to a client bug, not to a user's change.
pub fn prune_hidden(schema: &TemplateSchema, answers: &Answers) -> Answers {
    let form = Form::new(schema, answers);
    let mut pruned = answers.clone();
    for slot in form.slots() {
        if slot.visible || slot.answer.is_none() {
            continue;
        }
        let section = &schema.sections[slot.section_index];
        match slot.instance {
            None => {
                pruned.items.remove(&slot.item.key);
            }
            Some(n) => {
                if let Some(instance) = pruned
                    .repeats
                    .get_mut(&section.key)
                    .and_then(|i| i.get_mut(n))
                {
                    instance.remove(&slot.item.key);
                }
            }
        }
    }
    for (s, section) in schema.sections.iter().enumerate() {
        if section.repeat.is_some() && !form.section_visible(s) {
            pruned.repeats.remove(&section.key);
        }
    }
    pruned
}

/// Which sections and items a form shows for a set of answers: the same decisions `validate`
/// and `prune_hidden` make, for a client that renders the form.
pub struct Visibility<'a> {
    form: Form<'a>,
}

impl<'a> Visibility<'a> {
    pub fn new(schema: &'a TemplateSchema, answers: &'a Answers) -> Self {
        Visibility {
            form: Form::new(schema, answers),
        }
    }

    /// Whether section `section_index` is shown (its `visible_if` holds, or it has none).
    pub fn section(&self, section_index: usize) -> bool {
        self.form.section_visible(section_index)
    }

    /// Whether item `item_index` of section `section_index` is shown, in repeat `instance` for a
    /// repeated section.
    pub fn item(&self, section_index: usize, item_index: usize, instance: Option<usize>) -> bool {
        self.form.item_visible(section_index, item_index, instance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{GpsPoint, InstanceAnswers, Signature, YesNo};
    use crate::test_support::*;
    use uuid::Uuid;

    /// (path, code) of each error, or nothing when valid.
    fn errors(answers: &Answers) -> Vec<(String, String)> {
        match validate(&schema(), answers) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn one(path: &str, code: &str) -> Vec<(String, String)> {
        vec![(path.to_owned(), code.to_owned())]
    }

    fn with(key: &str, answer: Answer) -> Answers {
        let mut answers = minimal_answers();
        answers.set(key, answer);
        answers
    }

    fn number(value: f64) -> Answer {
        Answer::new(AnswerValue::Number(value))
    }

    #[test]
    fn the_test_template_passes_its_own_check() {
        assert_eq!(schema().check(), Ok(()));
    }

    #[test]
    fn minimal_answers_pass() {
        assert_eq!(errors(&minimal_answers()), Vec::new());
    }

    #[test]
    fn a_fully_answered_form_passes() {
        let mut answers = minimal_answers();
        answers
            .set("a.boiler", yes_no(YesNo::Yes))
            .set("a.boiler_registered", yes_no(YesNo::Yes))
            .set(
                "a.registered_on",
                Answer::new(AnswerValue::Date("2025-03-01".parse().unwrap())),
            )
            .set("a.workers", number(120.0))
            .set("a.note", text("Ổn định"))
            .set("a.kind", choice("y"))
            .set(
                "a.hazards",
                Answer::new(AnswerValue::Choices(vec!["noise".into(), "heat".into()])),
            )
            .set("a.photos", Answer::new(AnswerValue::Photos(vec![photo()])))
            .set(
                "a.signature",
                Answer::new(AnswerValue::Signature(Signature {
                    evidence_id: photo(),
                    signer_name: "Lê Văn Doanh".into(),
                    signer_role: "Giám đốc".into(),
                })),
            )
            .set(
                "a.gps",
                Answer::new(AnswerValue::Gps(GpsPoint {
                    lat: 21.0285,
                    lon: 105.8542,
                    accuracy_m: Some(8.0),
                })),
            )
            .set("b.pressure", number(6.5));
        answers.push_instance(
            "workshops",
            workshop("Xưởng cơ khí", "production", Some(noise(86.0, Some(240)))),
        );
        assert_eq!(errors(&answers), Vec::new());
    }

    #[test]
    fn a_missing_required_item_is_named_by_its_path() {
        let mut answers = minimal_answers();
        answers.items.remove("a.guards");
        assert_eq!(
            errors(&answers),
            one("sections[0].items[0]", rule::REQUIRED)
        );
    }

    #[test]
    fn a_blank_text_does_not_answer_a_required_item() {
        let mut answers = minimal_answers();
        answers.repeats.get_mut("workshops").unwrap()[0].insert("w.name".into(), text("  "));
        assert_eq!(
            errors(&answers),
            one("sections[1][0].items[0]", rule::REQUIRED)
        );
    }

    #[test]
    fn an_answer_of_another_type_is_rejected() {
        assert_eq!(
            errors(&with("a.guards", number(1.0))),
            one("sections[0].items[0]", rule::WRONG_TYPE)
        );
        assert_eq!(
            errors(&with("a.kind", text("x"))),
            one("sections[0].items[6]", rule::WRONG_TYPE)
        );
    }

    #[test]
    fn numbers_are_held_to_their_range_and_to_whole_numbers() {
        assert_eq!(errors(&with("a.workers", number(0.0))), Vec::new());
        assert_eq!(errors(&with("a.workers", number(10_000.0))), Vec::new());
        assert_eq!(
            errors(&with("a.workers", number(-1.0))),
            one("sections[0].items[4]", rule::OUT_OF_RANGE)
        );
        assert_eq!(
            errors(&with("a.workers", number(10_001.0))),
            one("sections[0].items[4]", rule::OUT_OF_RANGE)
        );
        assert_eq!(
            errors(&with("a.workers", number(2.5))),
            one("sections[0].items[4]", rule::NOT_INTEGER)
        );
        assert_eq!(
            errors(&with("a.workers", number(f64::NAN))),
            one("sections[0].items[4]", rule::WRONG_TYPE)
        );
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        // 10 characters, 14 bytes.
        assert_eq!(errors(&with("a.note", text("Việt Nam ổ"))), Vec::new());
        assert_eq!(
            errors(&with("a.note", text("Việt Nam ổn"))),
            one("sections[0].items[5]", rule::TOO_LONG)
        );
    }

    #[test]
    fn a_choice_must_be_one_of_the_options() {
        assert_eq!(errors(&with("a.kind", choice("x"))), Vec::new());
        assert_eq!(
            errors(&with("a.kind", choice("z"))),
            one("sections[0].items[6]", rule::UNKNOWN_OPTION)
        );
    }

    #[test]
    fn multiple_choices_are_known_distinct_and_within_the_maximum() {
        let choices = |keys: &[&str]| {
            Answer::new(AnswerValue::Choices(
                keys.iter().map(|k| k.to_string()).collect(),
            ))
        };
        assert_eq!(
            errors(&with("a.hazards", choices(&["noise", "dust"]))),
            Vec::new()
        );
        assert_eq!(
            errors(&with("a.hazards", choices(&["noise", "cold"]))),
            one("sections[0].items[7].value[1]", rule::UNKNOWN_OPTION)
        );
        assert_eq!(
            errors(&with("a.hazards", choices(&["dust", "dust"]))),
            one("sections[0].items[7].value[1]", rule::DUPLICATE_OPTION)
        );
        assert_eq!(
            errors(&with("a.hazards", choices(&["noise", "dust", "heat"]))),
            one("sections[0].items[7]", rule::TOO_MANY)
        );
    }

    #[test]
    fn photo_counts_are_held_to_min_and_max() {
        let photos = |n: usize| Answer::new(AnswerValue::Photos((0..n).map(|_| photo()).collect()));
        assert_eq!(errors(&with("a.photos", photos(1))), Vec::new());
        assert_eq!(errors(&with("a.photos", photos(2))), Vec::new());
        assert_eq!(
            errors(&with("a.photos", photos(3))),
            one("sections[0].items[8]", rule::TOO_MANY)
        );
        // No photo at all is unanswered (the item is optional), not too few.
        assert_eq!(errors(&with("a.photos", photos(0))), Vec::new());
        let same = photo();
        assert_eq!(
            errors(&with(
                "a.photos",
                Answer::new(AnswerValue::Photos(vec![same, same]))
            )),
            one("sections[0].items[8].value[1]", rule::DUPLICATE_PHOTO)
        );
    }

    #[test]
    fn a_photo_item_with_a_minimum_above_one_reports_too_few() {
        let mut schema = schema();
        schema.sections[0].items[8].kind = ItemKind::Photo { min: 2, max: None };
        let answers = with("a.photos", Answer::new(AnswerValue::Photos(vec![photo()])));
        let errors = validate(&schema, &answers).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("sections[0].items[8]", rule::TOO_FEW)
        );
    }

    #[test]
    fn repeated_sections_are_held_to_their_instance_counts() {
        let mut none = minimal_answers();
        none.repeats.clear();
        assert_eq!(errors(&none), one("sections[1]", rule::TOO_FEW));

        let mut three = minimal_answers();
        three.push_instance("workshops", workshop("B", "office", None));
        assert_eq!(errors(&three), Vec::new());
        three.push_instance("workshops", workshop("C", "office", None));
        assert_eq!(errors(&three), one("sections[1]", rule::TOO_MANY));
    }

    #[test]
    fn an_error_in_a_repeat_instance_names_the_instance() {
        let mut answers = minimal_answers();
        answers.push_instance("workshops", workshop("B", "warehouse", None));
        assert_eq!(
            errors(&answers),
            one("sections[1][1].items[1]", rule::UNKNOWN_OPTION)
        );
    }

    #[test]
    fn a_required_item_is_only_required_while_visible() {
        // `a.boiler_registered` is required and shown only when `a.boiler` is yes.
        assert_eq!(errors(&with("a.boiler", yes_no(YesNo::No))), Vec::new());
        let mut answers = with("a.boiler", yes_no(YesNo::Yes));
        answers.set("b.pressure", number(6.0));
        assert_eq!(
            errors(&answers),
            one("sections[0].items[2]", rule::REQUIRED)
        );
    }

    #[test]
    fn a_hidden_item_must_not_be_answered() {
        let mut answers = with("a.boiler", yes_no(YesNo::No));
        answers.set("a.boiler_registered", yes_no(YesNo::Yes));
        assert_eq!(
            errors(&answers),
            one("sections[0].items[2]", rule::HIDDEN_ANSWERED)
        );
    }

    #[test]
    fn an_item_depending_on_a_hidden_answer_is_hidden_too() {
        // `a.registered_on` depends on `a.boiler_registered`, which is hidden: its stale "yes"
        // does not count.
        let mut answers = with("a.boiler", yes_no(YesNo::No));
        answers.set("a.boiler_registered", yes_no(YesNo::Yes)).set(
            "a.registered_on",
            Answer::new(AnswerValue::Date("2025-03-01".parse().unwrap())),
        );
        assert_eq!(
            errors(&answers),
            vec![
                (
                    "sections[0].items[2]".to_owned(),
                    rule::HIDDEN_ANSWERED.to_owned()
                ),
                (
                    "sections[0].items[3]".to_owned(),
                    rule::HIDDEN_ANSWERED.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_hidden_section_is_neither_required_nor_answerable() {
        let mut answers = with("a.boiler", yes_no(YesNo::Yes));
        answers.set("a.boiler_registered", yes_no(YesNo::Yes));
        assert_eq!(
            errors(&answers),
            one("sections[2].items[0]", rule::REQUIRED)
        );
        let mut hidden = with("a.boiler", yes_no(YesNo::No));
        assert_eq!(errors(&hidden), Vec::new());
        hidden.set("b.pressure", number(6.0));
        assert_eq!(
            errors(&hidden),
            one("sections[2].items[0]", rule::HIDDEN_ANSWERED)
        );
    }

    #[test]
    fn a_hidden_repeated_section_must_have_no_instances() {
        let mut schema = schema();
        schema.sections[1].visible_if =
            Some(crate::condition::Condition::equals("a.boiler", "yes"));
        let answers = with("a.boiler", yes_no(YesNo::No));
        let errors = validate(&schema, &answers).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("sections[1]", rule::HIDDEN_ANSWERED)
        );
        let mut without = answers.clone();
        without.repeats.clear();
        assert_eq!(validate(&schema, &without), Ok(()));
    }

    #[test]
    fn visibility_in_a_repeat_instance_follows_that_instance() {
        let mut answers = minimal_answers();
        answers.repeats.clear();
        answers.push_instance(
            "workshops",
            workshop("A", "production", Some(noise(80.0, None))),
        );
        answers.push_instance(
            "workshops",
            workshop("B", "office", Some(noise(60.0, None))),
        );
        assert_eq!(
            errors(&answers),
            one("sections[1][1].items[2]", rule::HIDDEN_ANSWERED)
        );
    }

    #[test]
    fn a_photo_is_required_when_the_evidence_condition_holds() {
        assert_eq!(
            errors(&with("a.guards", yes_no(YesNo::No))),
            one("sections[0].items[0].photos", rule::EVIDENCE_REQUIRED)
        );
        let with_photo = Answer::with_photos(AnswerValue::YesNo(YesNo::No), vec![photo()]);
        assert_eq!(errors(&with("a.guards", with_photo)), Vec::new());
        assert_eq!(errors(&with("a.guards", yes_no(YesNo::Yes))), Vec::new());
    }

    #[test]
    fn photos_on_an_item_that_takes_none_are_rejected() {
        let answer = Answer::with_photos(AnswerValue::YesNo(YesNo::No), vec![photo()]);
        assert_eq!(
            errors(&with("a.boiler", answer)),
            one("sections[0].items[1].photos", rule::PHOTOS_NOT_ALLOWED)
        );
    }

    #[test]
    fn unknown_keys_are_rejected_where_they_were_sent() {
        let mut answers = with("a.unknown", yes_no(YesNo::Yes));
        answers.set("w.name", text("top level"));
        answers.repeats.get_mut("workshops").unwrap()[0].insert("w.colour".into(), text("red"));
        answers
            .repeats
            .insert("offices".into(), vec![InstanceAnswers::new()]);
        answers.repeats.insert("site".into(), Vec::new());
        assert_eq!(
            errors(&answers),
            vec![
                (
                    r#"items["a.unknown"]"#.to_owned(),
                    rule::UNKNOWN_ITEM.to_owned()
                ),
                (
                    r#"items["w.name"]"#.to_owned(),
                    rule::UNKNOWN_ITEM.to_owned()
                ),
                (
                    r#"repeats["offices"]"#.to_owned(),
                    rule::UNKNOWN_SECTION.to_owned()
                ),
                (
                    r#"repeats["site"]"#.to_owned(),
                    rule::UNKNOWN_SECTION.to_owned()
                ),
                (
                    r#"repeats["workshops"][0]["w.colour"]"#.to_owned(),
                    rule::UNKNOWN_ITEM.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_measurement_in_another_unit_is_rejected() {
        let mut answer = noise(80.0, None);
        if let AnswerValue::Measurement(m) = &mut answer.value {
            m.unit = crate::measurement::Unit::Other("dB".into());
        }
        let mut answers = minimal_answers();
        answers.repeats.get_mut("workshops").unwrap()[0] =
            workshop("A", "production", Some(answer));
        assert_eq!(
            errors(&answers),
            one("sections[1][0].items[2].value.unit", rule::UNIT_MISMATCH)
        );
    }

    #[test]
    fn an_exposure_beyond_the_table_is_out_of_range() {
        let mut answers = minimal_answers();
        answers.repeats.get_mut("workshops").unwrap()[0] =
            workshop("A", "production", Some(noise(80.0, Some(600))));
        assert_eq!(
            errors(&answers),
            one(
                "sections[1][0].items[2].value.exposure_minutes",
                rule::OUT_OF_RANGE
            )
        );
    }

    #[test]
    fn a_measurement_names_its_instrument() {
        let mut answer = noise(80.0, None);
        if let AnswerValue::Measurement(m) = &mut answer.value {
            m.instrument = " ".into();
        }
        let mut answers = minimal_answers();
        answers.repeats.get_mut("workshops").unwrap()[0] =
            workshop("A", "production", Some(answer));
        assert_eq!(
            errors(&answers),
            one("sections[1][0].items[2].value.instrument", rule::REQUIRED)
        );
    }

    #[test]
    fn a_measurement_out_of_its_limits_is_valid_input() {
        // Exceeding a limit is a finding, not an input error.
        let mut answers = minimal_answers();
        answers.repeats.get_mut("workshops").unwrap()[0] =
            workshop("A", "production", Some(noise(99.0, Some(480))));
        assert_eq!(errors(&answers), Vec::new());
    }

    #[test]
    fn gps_coordinates_are_held_to_the_globe() {
        let gps = |lat, lon, accuracy_m| {
            Answer::new(AnswerValue::Gps(GpsPoint {
                lat,
                lon,
                accuracy_m,
            }))
        };
        assert_eq!(
            errors(&with("a.gps", gps(-90.0, 180.0, Some(0.0)))),
            Vec::new()
        );
        assert_eq!(
            errors(&with("a.gps", gps(90.1, 105.0, None))),
            one("sections[0].items[10].value.lat", rule::OUT_OF_RANGE)
        );
        assert_eq!(
            errors(&with("a.gps", gps(21.0, -180.1, None))),
            one("sections[0].items[10].value.lon", rule::OUT_OF_RANGE)
        );
        assert_eq!(
            errors(&with("a.gps", gps(21.0, 105.0, Some(-1.0)))),
            one("sections[0].items[10].value.accuracy_m", rule::OUT_OF_RANGE)
        );
    }

    #[test]
    fn a_signature_names_its_signer() {
        let signature = |name: &str| {
            Answer::new(AnswerValue::Signature(Signature {
                evidence_id: Uuid::new_v4(),
                signer_name: name.into(),
                signer_role: "Giám đốc".into(),
            }))
        };
        assert_eq!(
            errors(&with("a.signature", signature("Lê Văn Doanh"))),
            Vec::new()
        );
        assert_eq!(
            errors(&with("a.signature", signature(""))),
            one("sections[0].items[9].value.signer_name", rule::REQUIRED)
        );
    }

    #[test]
    fn pruning_drops_hidden_answers_so_the_rest_validates() {
        let mut answers = with("a.boiler", yes_no(YesNo::No));
        answers
            .set("a.boiler_registered", yes_no(YesNo::Yes))
            .set(
                "a.registered_on",
                Answer::new(AnswerValue::Date("2025-03-01".parse().unwrap())),
            )
            .set("b.pressure", number(6.0));
        answers.push_instance(
            "workshops",
            workshop("B", "office", Some(noise(60.0, None))),
        );
        let pruned = prune_hidden(&schema(), &answers);
        assert_eq!(validate(&schema(), &pruned), Ok(()));
        assert!(pruned.items.contains_key("a.boiler"));
        assert!(!pruned.items.contains_key("a.boiler_registered"));
        assert!(!pruned.items.contains_key("a.registered_on"));
        assert!(!pruned.items.contains_key("b.pressure"));
        assert!(!pruned.repeats["workshops"][1].contains_key("w.noise"));
        assert!(pruned.repeats["workshops"][1].contains_key("w.name"));
    }

    #[test]
    fn a_cyclic_template_hides_the_cycle_instead_of_overflowing() {
        let mut schema = schema();
        schema.sections[0].items[1].visible_if = Some(crate::condition::Condition::equals(
            "a.boiler_registered",
            "yes",
        ));
        let answers = with("a.boiler", yes_no(YesNo::Yes));
        let errors = validate(&schema, &answers).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("sections[0].items[1]", rule::HIDDEN_ANSWERED)
        );
    }
}
