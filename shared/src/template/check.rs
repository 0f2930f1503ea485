//! `TemplateSchema::check`: the structural rules a template must meet before the server
//! publishes it. Answers are validated against published templates only, so validation can
//! rely on what is checked here (unique keys, conditions that refer to existing items).

use std::collections::{HashMap, HashSet};

use crate::answers::YesNo;
use crate::condition::Condition;
use crate::error::FieldError;
use crate::template::{Item, ItemKind, Label, TemplateSchema};
use crate::validate::{field_error, rule};

impl TemplateSchema {
    /// Checks the template's structure: sections and items present with non-empty labels;
    /// keys well-formed and unique (item keys across the whole template, option keys per
    /// item); sensible ranges (min ≤ max, repeat max ≥ 1, exposure tables monotonic, units
    /// that suit the quantity); conditions that refer to existing yes/no or choice items with
    /// values those items can take, that do not reach into a repeated section from outside it,
    /// and that do not make visibility depend on itself; `evidence_required_if` only with
    /// `allows_photos`; and a severity and legal basis on every item that can be non-compliant.
    /// Returns every failure, with its path in the template.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.sections.is_empty() {
            errors.push(field_error(
                "sections",
                rule::EMPTY,
                "A template needs at least one section.",
            ));
        }
        let mut section_keys = HashSet::new();
        let mut item_keys = HashSet::new();
        for (s, section) in self.sections.iter().enumerate() {
            let path = format!("sections[{s}]");
            key_rules(
                &section.key,
                &format!("{path}.key"),
                &mut section_keys,
                &mut errors,
            );
            label_rules(&section.title, &format!("{path}.title"), &mut errors);
            if section.items.is_empty() {
                errors.push(field_error(
                    format!("{path}.items"),
                    rule::EMPTY,
                    "A section needs at least one item.",
                ));
            }
            if let Some(repeat) = &section.repeat {
                if repeat.max == 0 || repeat.min > repeat.max {
                    errors.push(field_error(
                        format!("{path}.repeat"),
                        rule::INVALID_RANGE,
                        format!(
                            "Repeat min {} and max {} do not make a range.",
                            repeat.min, repeat.max
                        ),
                    ));
                }
                label_rules(&repeat.label, &format!("{path}.repeat.label"), &mut errors);
            }
            for (i, item) in section.items.iter().enumerate() {
                let item_path = format!("{path}.items[{i}]");
                key_rules(
                    &item.key,
                    &format!("{item_path}.key"),
                    &mut item_keys,
                    &mut errors,
                );
                label_rules(&item.label, &format!("{item_path}.label"), &mut errors);
                kind_rules(item, &item_path, &mut errors);
                compliance_rules(item, &item_path, &mut errors);
            }
        }
        self.condition_rules(&mut errors);
        self.cycle_rules(&mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn condition_rules(&self, errors: &mut Vec<FieldError>) {
        for (s, section) in self.sections.iter().enumerate() {
            if let Some(condition) = &section.visible_if {
                let path = format!("sections[{s}].visible_if");
                self.condition_refs(condition, s, Holder::Section, &path, errors);
            }
            for (i, item) in section.items.iter().enumerate() {
                let path = format!("sections[{s}].items[{i}]");
                if let Some(condition) = &item.visible_if {
                    let holder = Holder::Visibility(&item.key);
                    self.condition_refs(
                        condition,
                        s,
                        holder,
                        &format!("{path}.visible_if"),
                        errors,
                    );
                }
                if let Some(condition) = &item.evidence_required_if {
                    let holder = Holder::Evidence;
                    self.condition_refs(
                        condition,
                        s,
                        holder,
                        &format!("{path}.evidence_required_if"),
                        errors,
                    );
                    if !item.allows_photos {
                        errors.push(field_error(
                            format!("{path}.evidence_required_if"),
                            rule::PHOTOS_NOT_ALLOWED,
                            "A photo can only be required of an item that allows photos.",
                        ));
                    }
                }
            }
        }
    }

    /// Rules for one condition of section `s` or of one of its items.
    fn condition_refs(
        &self,
        condition: &Condition,
        s: usize,
        holder: Holder<'_>,
        path: &str,
        errors: &mut Vec<FieldError>,
    ) {
        if condition.has_empty_group() {
            errors.push(field_error(
                path,
                rule::INVALID_CONDITION,
                "An \"all\" or \"any\" group is empty.",
            ));
        }
        for (key, values) in condition.leaves() {
            let Some(target) = self.locate(key) else {
                errors.push(field_error(
                    path,
                    rule::UNKNOWN_ITEM,
                    format!("The condition refers to {key:?}, which the template does not have."),
                ));
                continue;
            };
            if holder == Holder::Visibility(key) {
                errors.push(field_error(
                    path,
                    rule::CYCLE,
                    format!("Item {key:?} cannot be shown depending on its own answer."),
                ));
                continue;
            }
            let Some(allowed) = target.item.kind.condition_values() else {
                errors.push(field_error(
                    path,
                    rule::INVALID_CONDITION,
                    format!(
                        "Conditions can refer to yes/no and choice items; {key:?} is {}.",
                        target.item.kind.type_name()
                    ),
                ));
                continue;
            };
            for value in values {
                if !allowed.contains(&value) {
                    errors.push(field_error(
                        path,
                        rule::UNKNOWN_OPTION,
                        format!("Item {key:?} cannot be answered {value:?}."),
                    ));
                }
            }
            let target_repeats = target.section.repeat.is_some();
            if holder == Holder::Section && (target_repeats || target.section_index == s) {
                errors.push(field_error(
                    path,
                    rule::INVALID_CONDITION,
                    format!("A section can only depend on items of other sections that do not repeat; {key:?} does not qualify."),
                ));
            } else if target_repeats && target.section_index != s {
                errors.push(field_error(
                    path,
                    rule::INVALID_CONDITION,
                    format!("Item {key:?} is in a repeated section; only items of that section can refer to it."),
                ));
            }
        }
    }

    /// Visibility must not depend on itself, through any chain of items and sections.
    fn cycle_rules(&self, errors: &mut Vec<FieldError>) {
        // Edges: an item depends on the items of its own `visible_if` and of its section's.
        let mut depends: HashMap<&str, Vec<&str>> = HashMap::new();
        for location in self.items() {
            let conditions = [&location.item.visible_if, &location.section.visible_if];
            let targets = conditions
                .into_iter()
                .flatten()
                .flat_map(Condition::leaves)
                .map(|(key, _)| key)
                .filter(|key| *key != location.item.key) // reported as a self-reference
                .collect();
            depends.entry(location.item.key.as_str()).or_insert(targets);
        }
        for location in self.items() {
            let key = location.item.key.as_str();
            if reaches(key, key, &depends) {
                errors.push(field_error(
                    format!("sections[{}].items[{}].visible_if", location.section_index, location.item_index),
                    rule::CYCLE,
                    format!("Whether item {key:?} is shown depends, through other conditions, on itself."),
                ));
            }
        }
    }
}

/// Who holds a condition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holder<'a> {
    /// A section's `visible_if`.
    Section,
    /// The `visible_if` of the item with this key.
    Visibility(&'a str),
    /// An item's `evidence_required_if`, which may refer to the item itself.
    Evidence,
}

/// Whether `target` is among the items that `from` depends on, directly or not.
fn reaches(from: &str, target: &str, depends: &HashMap<&str, Vec<&str>>) -> bool {
    let mut stack: Vec<&str> = depends.get(from).cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    while let Some(key) = stack.pop() {
        if key == target {
            return true;
        }
        if seen.insert(key) {
            stack.extend(depends.get(key).into_iter().flatten());
        }
    }
    false
}

fn key_rules<'a>(
    key: &'a str,
    path: &str,
    seen: &mut HashSet<&'a str>,
    errors: &mut Vec<FieldError>,
) {
    let well_formed = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
    if !well_formed {
        errors.push(field_error(
            path,
            rule::INVALID_KEY,
            format!("Key {key:?} must be non-empty and use only a-z, 0-9, '_', '.', '-'."),
        ));
    } else if !seen.insert(key) {
        errors.push(field_error(
            path,
            rule::DUPLICATE_KEY,
            format!("Key {key:?} is used twice."),
        ));
    }
}

fn label_rules(label: &Label, path: &str, errors: &mut Vec<FieldError>) {
    for (language, text) in [("vi", &label.vi), ("en", &label.en)] {
        if text.trim().is_empty() {
            errors.push(field_error(
                format!("{path}.{language}"),
                rule::EMPTY,
                "A label needs a Vietnamese and an English text.",
            ));
        }
    }
}

fn kind_rules(item: &Item, path: &str, errors: &mut Vec<FieldError>) {
    let kind_path = format!("{path}.kind");
    let mut range_error = |field: &str, message: String| {
        errors.push(field_error(
            format!("{kind_path}{field}"),
            rule::INVALID_RANGE,
            message,
        ));
    };
    match &item.kind {
        ItemKind::YesNo {
            compliant_answer: Some(YesNo::NotApplicable),
        } => {
            errors.push(field_error(
                format!("{kind_path}.compliant_answer"),
                rule::INVALID_VALUE,
                "The compliant answer is yes or no, not \"not applicable\".",
            ));
        }
        ItemKind::Number {
            min: Some(min),
            max: Some(max),
            ..
        } if min > max => {
            range_error("", format!("Minimum {min} is above maximum {max}."));
        }
        ItemKind::Text {
            max_length: Some(0),
            ..
        } => {
            range_error(
                ".max_length",
                "A maximum length of 0 leaves nothing to write.".into(),
            );
        }
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. } => {
            if let ItemKind::MultipleChoice {
                min_selected,
                max_selected,
                ..
            } = &item.kind
            {
                let count = options.len() as u32;
                let (min, max) = (min_selected.unwrap_or(0), max_selected.unwrap_or(count));
                if max == 0 || min > max || min > count {
                    range_error(
                        "",
                        format!("Between {min} and {max} of {count} options cannot be chosen."),
                    );
                }
            }
            if options.is_empty() {
                errors.push(field_error(
                    format!("{kind_path}.options"),
                    rule::EMPTY,
                    "A choice item needs options.",
                ));
            }
            let mut keys = HashSet::new();
            for (j, option) in options.iter().enumerate() {
                let option_path = format!("{kind_path}.options[{j}]");
                key_rules(
                    &option.key,
                    &format!("{option_path}.key"),
                    &mut keys,
                    errors,
                );
                label_rules(&option.label, &format!("{option_path}.label"), errors);
            }
        }
        ItemKind::Photo {
            min,
            max: Some(max),
        } if *max == 0 || min > max => {
            range_error(
                "",
                format!("Between {min} and {max} photos is not a range."),
            );
        }
        ItemKind::Measurement(spec) => {
            if let (Some(min), Some(max)) = (spec.limit_min, spec.limit_max)
                && min > max
            {
                range_error(
                    "",
                    format!("Limit minimum {min} is above limit maximum {max}."),
                );
            }
            let mut rows = spec.exposure_limits.clone();
            rows.sort_by_key(|row| row.minutes);
            let mut minutes = HashSet::new();
            for row in &rows {
                if row.minutes == 0 || !minutes.insert(row.minutes) {
                    range_error(
                        ".exposure_limits",
                        format!(
                            "Exposure durations must be distinct and above 0; {} is not.",
                            row.minutes
                        ),
                    );
                }
            }
            if rows.windows(2).any(|pair| pair[1].max > pair[0].max) {
                range_error(
                    ".exposure_limits",
                    "A longer exposure cannot have a higher limit.".into(),
                );
            }
            let units = spec.quantity.units();
            if !units.is_empty() && !units.contains(&spec.unit) {
                errors.push(field_error(
                    format!("{kind_path}.unit"),
                    rule::UNIT_MISMATCH,
                    format!(
                        "{} is measured in {}, not {}.",
                        spec.quantity.code(),
                        units
                            .iter()
                            .map(|u| u.symbol())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        spec.unit
                    ),
                ));
            }
            if spec.legal_reference.trim().is_empty() {
                errors.push(field_error(
                    format!("{kind_path}.legal_reference"),
                    rule::MISSING_LEGAL_BASIS,
                    "A measurement item names the standard that sets its limit.",
                ));
            }
        }
        _ => {}
    }
}

fn compliance_rules(item: &Item, path: &str, errors: &mut Vec<FieldError>) {
    if !item.can_be_non_compliant() {
        return;
    }
    if item.severity.is_none() {
        errors.push(field_error(
            format!("{path}.severity"),
            rule::MISSING_SEVERITY,
            format!(
                "Item {:?} can be a non-compliance, so it needs a severity.",
                item.key
            ),
        ));
    }
    let has_basis = item
        .legal_basis
        .as_deref()
        .is_some_and(|b| !b.trim().is_empty())
        || matches!(&item.kind, ItemKind::Measurement(spec) if !spec.legal_reference.trim().is_empty());
    if !has_basis {
        errors.push(field_error(
            format!("{path}.legal_basis"),
            rule::MISSING_LEGAL_BASIS,
            format!(
                "Item {:?} can be a non-compliance, so it needs a legal basis.",
                item.key
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::YesNo;
    use crate::measurement::{ExposureLimit, Unit};
    use crate::template::{ChoiceOption, Repeat};
    use crate::test_support::*;

    /// (path, code) of each check failure.
    fn failures(schema: &TemplateSchema) -> Vec<(String, String)> {
        match schema.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn one(path: &str, code: &str) -> Vec<(String, String)> {
        vec![(path.to_owned(), code.to_owned())]
    }

    fn item_mut<'a>(schema: &'a mut TemplateSchema, key: &str) -> &'a mut Item {
        schema
            .sections
            .iter_mut()
            .flat_map(|s| s.items.iter_mut())
            .find(|i| i.key == key)
            .unwrap()
    }

    #[test]
    fn a_template_without_sections_is_empty() {
        assert_eq!(
            failures(&TemplateSchema { sections: vec![] }),
            one("sections", rule::EMPTY)
        );
    }

    #[test]
    fn item_keys_are_unique_across_sections() {
        let mut schema = schema();
        item_mut(&mut schema, "b.pressure").key = "a.note".into();
        assert_eq!(
            failures(&schema),
            one("sections[2].items[0].key", rule::DUPLICATE_KEY)
        );
    }

    #[test]
    fn section_keys_are_unique_and_well_formed() {
        let mut schema = schema();
        schema.sections[2].key = "site".into();
        schema.sections[1].key = "Phân xưởng".into();
        assert_eq!(
            failures(&schema),
            vec![
                ("sections[1].key".to_owned(), rule::INVALID_KEY.to_owned()),
                ("sections[2].key".to_owned(), rule::DUPLICATE_KEY.to_owned()),
            ]
        );
    }

    #[test]
    fn labels_need_both_languages() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").label.en = " ".into();
        assert_eq!(
            failures(&schema),
            one("sections[0].items[5].label.en", rule::EMPTY)
        );
    }

    #[test]
    fn choice_items_need_distinct_options() {
        let mut schema = schema();
        item_mut(&mut schema, "a.kind").kind = ItemKind::SingleChoice { options: vec![] };
        assert_eq!(
            failures(&schema),
            one("sections[0].items[6].kind.options", rule::EMPTY)
        );

        let mut schema = crate::test_support::schema();
        item_mut(&mut schema, "a.kind").kind = ItemKind::SingleChoice {
            options: vec![
                ChoiceOption::new("x", "X", "X"),
                ChoiceOption::new("x", "Y", "Y"),
            ],
        };
        assert_eq!(
            failures(&schema),
            one(
                "sections[0].items[6].kind.options[1].key",
                rule::DUPLICATE_KEY
            )
        );
    }

    #[test]
    fn a_multiple_choice_range_must_fit_the_options() {
        let mut schema = schema();
        item_mut(&mut schema, "a.hazards").kind = ItemKind::MultipleChoice {
            options: options(&["a", "b"]),
            min_selected: Some(3),
            max_selected: None,
        };
        assert_eq!(
            failures(&schema),
            one("sections[0].items[7].kind", rule::INVALID_RANGE)
        );
    }

    #[test]
    fn ranges_must_not_be_upside_down() {
        let mut schema = schema();
        item_mut(&mut schema, "a.workers").kind = ItemKind::Number {
            min: finite(10.0),
            max: finite(1.0),
            unit: None,
            integer: false,
        };
        item_mut(&mut schema, "a.photos").kind = ItemKind::Photo {
            min: 3,
            max: Some(2),
        };
        item_mut(&mut schema, "a.note").kind = ItemKind::Text {
            max_length: Some(0),
            multiline: false,
        };
        schema.sections[1].repeat = Some(Repeat {
            min: 3,
            max: 2,
            label: label("w"),
        });
        assert_eq!(
            failures(&schema),
            vec![
                (
                    "sections[0].items[4].kind".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
                (
                    "sections[0].items[5].kind.max_length".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
                (
                    "sections[0].items[8].kind".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
                (
                    "sections[1].repeat".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_measurement_limit_range_and_exposure_table_must_make_sense() {
        let mut spec = noise_spec();
        spec.limit_min = finite(90.0);
        spec.exposure_limits.push(ExposureLimit {
            minutes: 30,
            max: finite(90.0).unwrap(),
        });
        let mut schema = schema();
        item_mut(&mut schema, "w.noise").kind = ItemKind::Measurement(spec);
        assert_eq!(
            failures(&schema),
            vec![
                (
                    "sections[1].items[2].kind".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
                (
                    "sections[1].items[2].kind.exposure_limits".to_owned(),
                    rule::INVALID_RANGE.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_measurement_unit_must_suit_its_quantity() {
        let mut spec = noise_spec();
        spec.unit = Unit::Lux;
        let mut schema = schema();
        item_mut(&mut schema, "w.noise").kind = ItemKind::Measurement(spec);
        assert_eq!(
            failures(&schema),
            one("sections[1].items[2].kind.unit", rule::UNIT_MISMATCH)
        );
    }

    #[test]
    fn the_compliant_answer_is_yes_or_no() {
        let mut schema = schema();
        item_mut(&mut schema, "a.guards").kind = ItemKind::YesNo {
            compliant_answer: Some(YesNo::NotApplicable),
        };
        assert_eq!(
            failures(&schema),
            one(
                "sections[0].items[0].kind.compliant_answer",
                rule::INVALID_VALUE
            )
        );
    }

    #[test]
    fn an_item_that_can_be_non_compliant_needs_severity_and_legal_basis() {
        let mut schema = schema();
        let guards = item_mut(&mut schema, "a.guards");
        guards.severity = None;
        guards.legal_basis = Some(" ".into());
        item_mut(&mut schema, "w.noise").severity = None;
        assert_eq!(
            failures(&schema),
            vec![
                (
                    "sections[0].items[0].severity".to_owned(),
                    rule::MISSING_SEVERITY.to_owned()
                ),
                (
                    "sections[0].items[0].legal_basis".to_owned(),
                    rule::MISSING_LEGAL_BASIS.to_owned()
                ),
                (
                    "sections[1].items[2].severity".to_owned(),
                    rule::MISSING_SEVERITY.to_owned()
                ),
            ]
        );
        let mut informational = crate::test_support::schema();
        let boiler = item_mut(&mut informational, "a.boiler");
        assert!(boiler.severity.is_none() && boiler.legal_basis.is_none());
        assert_eq!(failures(&informational), Vec::new());
    }

    #[test]
    fn a_condition_must_refer_to_an_existing_item() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").visible_if = Some(Condition::equals("a.nothing", "yes"));
        assert_eq!(
            failures(&schema),
            one("sections[0].items[5].visible_if", rule::UNKNOWN_ITEM)
        );
    }

    #[test]
    fn a_condition_value_must_be_one_the_item_can_take() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").visible_if = Some(Condition::equals("a.boiler", "maybe"));
        assert_eq!(
            failures(&schema),
            one("sections[0].items[5].visible_if", rule::UNKNOWN_OPTION)
        );
    }

    #[test]
    fn a_condition_must_refer_to_a_yes_no_or_choice_item() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").visible_if = Some(Condition::equals("a.workers", "3"));
        assert_eq!(
            failures(&schema),
            one("sections[0].items[5].visible_if", rule::INVALID_CONDITION)
        );
    }

    #[test]
    fn a_condition_group_must_not_be_empty() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").visible_if = Some(Condition::Any(vec![]));
        assert_eq!(
            failures(&schema),
            one("sections[0].items[5].visible_if", rule::INVALID_CONDITION)
        );
    }

    #[test]
    fn only_items_of_a_repeated_section_may_refer_into_it() {
        let mut schema = schema();
        item_mut(&mut schema, "a.note").visible_if = Some(Condition::equals("w.area", "office"));
        schema.sections[2].visible_if = Some(Condition::equals("w.area", "office"));
        assert_eq!(
            failures(&schema),
            vec![
                (
                    "sections[0].items[5].visible_if".to_owned(),
                    rule::INVALID_CONDITION.to_owned()
                ),
                (
                    "sections[2].visible_if".to_owned(),
                    rule::INVALID_CONDITION.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn an_item_of_a_repeated_section_may_refer_to_ordinary_items() {
        let mut schema = schema();
        item_mut(&mut schema, "w.name").visible_if = Some(Condition::equals("a.boiler", "yes"));
        assert_eq!(failures(&schema), Vec::new());
    }

    #[test]
    fn visibility_must_not_depend_on_itself() {
        let mut schema = schema();
        item_mut(&mut schema, "a.boiler").visible_if = Some(Condition::equals("a.boiler", "yes"));
        assert_eq!(
            failures(&schema),
            one("sections[0].items[1].visible_if", rule::CYCLE)
        );

        let mut schema = crate::test_support::schema();
        item_mut(&mut schema, "a.boiler").visible_if =
            Some(Condition::equals("a.boiler_registered", "yes"));
        assert_eq!(
            failures(&schema),
            vec![
                (
                    "sections[0].items[1].visible_if".to_owned(),
                    rule::CYCLE.to_owned()
                ),
                (
                    "sections[0].items[2].visible_if".to_owned(),
                    rule::CYCLE.to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_section_condition_cannot_depend_on_its_own_items() {
        let mut schema = schema();
        schema.sections[0].visible_if = Some(Condition::equals("a.boiler", "yes"));
        assert_eq!(
            failures(&schema),
            one("sections[0].visible_if", rule::INVALID_CONDITION)
        );
    }

    #[test]
    fn a_photo_can_only_be_required_of_an_item_that_takes_photos() {
        let mut schema = schema();
        item_mut(&mut schema, "a.guards").allows_photos = false;
        assert_eq!(
            failures(&schema),
            one(
                "sections[0].items[0].evidence_required_if",
                rule::PHOTOS_NOT_ALLOWED
            )
        );
    }
}
