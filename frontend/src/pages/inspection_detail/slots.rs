//! Places in a form (an item, in a repeat instance for repeated sections), which of them the
//! shared form engine shows, and where an error path of the engine or the server points.

use std::collections::HashSet;

use kiemtra_shared::answers::{Answer, AnswerValue, Answers};
use kiemtra_shared::template::TemplateSchema;
use serde::{Deserialize, Serialize};

/// One answerable place: item `item` of section `section`, in instance `instance` when the
/// section repeats. Indices into the template version the draft is filled against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SlotRef {
    pub section: usize,
    pub instance: Option<usize>,
    pub item: usize,
}

impl SlotRef {
    /// The DOM id of the slot's card (item keys repeat across instances, indices do not).
    pub fn dom_id(self) -> String {
        match self.instance {
            Some(n) => format!("slot-{}-{}-{}", self.section, n, self.item),
            None => format!("slot-{}-{}", self.section, self.item),
        }
    }
}

/// The answer given in a slot.
pub fn answer_at<'a>(
    schema: &TemplateSchema,
    answers: &'a Answers,
    slot: SlotRef,
) -> Option<&'a Answer> {
    let section = schema.sections.get(slot.section)?;
    let key = &section.items.get(slot.item)?.key;
    match (section.repeat.is_some(), slot.instance) {
        (false, _) => answers.items.get(key),
        (true, Some(n)) => answers.repeats.get(&section.key)?.get(n)?.get(key),
        (true, None) => None,
    }
}

/// Answers a slot, or clears it with `None`. Keeps the photos of an earlier answer.
pub fn set_value(
    schema: &TemplateSchema,
    answers: &mut Answers,
    slot: SlotRef,
    value: Option<AnswerValue>,
) {
    let Some(section) = schema.sections.get(slot.section) else {
        return;
    };
    let Some(item) = section.items.get(slot.item) else {
        return;
    };
    let map = match (section.repeat.is_some(), slot.instance) {
        (false, _) => &mut answers.items,
        (true, Some(n)) => match answers
            .repeats
            .get_mut(&section.key)
            .and_then(|instances| instances.get_mut(n))
        {
            Some(instance) => instance,
            None => return,
        },
        (true, None) => return,
    };
    match value {
        Some(value) => match map.get_mut(&item.key) {
            Some(answer) => answer.value = value,
            None => {
                map.insert(item.key.clone(), Answer::new(value));
            }
        },
        None => {
            map.remove(&item.key);
        }
    }
}

/// What the shared engine shows for a set of answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visibility {
    /// Per section: shown at all (a repeated section also when it has no instance yet).
    pub sections: Vec<bool>,
    slots: HashSet<SlotRef>,
}

impl Visibility {
    /// Which slots the shared engine shows: the same decisions the server's validation makes.
    pub fn of(schema: &TemplateSchema, answers: &Answers) -> Visibility {
        let engine = kiemtra_shared::validate::Visibility::new(schema, answers);
        let mut visibility = Visibility::default();
        for (s, section) in schema.sections.iter().enumerate() {
            let instances: Vec<Option<usize>> = if section.repeat.is_some() {
                (0..answers.repeats.get(&section.key).map_or(0, Vec::len))
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            let mut any_item = false;
            for instance in instances {
                for i in 0..section.items.len() {
                    if engine.item(s, i, instance) {
                        any_item = true;
                        visibility.slots.insert(SlotRef {
                            section: s,
                            instance,
                            item: i,
                        });
                    }
                }
            }
            // A repeated section is shown (to add instances) whenever its condition holds.
            let shown = if section.repeat.is_some() {
                engine.section(s)
            } else {
                any_item
            };
            visibility.sections.push(shown);
        }
        visibility
    }

    pub fn shows(&self, slot: SlotRef) -> bool {
        self.slots.contains(&slot)
    }

    pub fn shows_section(&self, section: usize) -> bool {
        self.sections.get(section).copied().unwrap_or(false)
    }
}

/// What an error path of the form engine (or the server's, after `answers.`) points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A slot; `part` is the rest of the path (`.value.instrument`, `.photos`, `.value[1]`).
    Slot { slot: SlotRef, part: String },
    /// A repeated section as a whole (too few or too many instances).
    Section(usize),
    /// Anything else (unknown keys): a client bug, shown at the top of the form.
    Form,
}

impl Target {
    /// Reads `sections[3][0].items[5].value.unit`, `sections[1]`, or `answers.` + either.
    pub fn parse(path: &str) -> Target {
        let path = path.strip_prefix("answers.").unwrap_or(path);
        let Some(rest) = path.strip_prefix("sections[") else {
            return Target::Form;
        };
        let Some((section, rest)) = index(rest) else {
            return Target::Form;
        };
        let (instance, rest) = match rest.strip_prefix('[').and_then(index) {
            Some((n, rest)) => (Some(n), rest),
            None => (None, rest),
        };
        if rest.is_empty() && instance.is_none() {
            return Target::Section(section);
        }
        let Some((item, part)) = rest.strip_prefix(".items[").and_then(index) else {
            return Target::Form;
        };
        Target::Slot {
            slot: SlotRef {
                section,
                instance,
                item,
            },
            part: part.to_owned(),
        }
    }

    /// Where the target sits in the form, for finding the first one.
    pub fn order(&self) -> (usize, usize, usize, usize) {
        match self {
            Target::Form => (0, 0, 0, 0),
            Target::Section(s) => (s + 1, 0, 0, 0),
            Target::Slot { slot, .. } => (
                slot.section + 1,
                slot.instance.map_or(0, |n| n + 1),
                slot.item + 1,
                0,
            ),
        }
    }
}

/// Reads `12]` and returns 12 with what follows the bracket.
fn index(text: &str) -> Option<(usize, &str)> {
    let (number, rest) = text.split_once(']')?;
    Some((number.parse().ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_paths_point_at_slots_sections_or_the_form() {
        assert_eq!(
            Target::parse("answers.sections[3][0].items[5].value.instrument"),
            Target::Slot {
                slot: SlotRef {
                    section: 3,
                    instance: Some(0),
                    item: 5
                },
                part: ".value.instrument".into()
            }
        );
        assert_eq!(
            Target::parse("sections[0].items[2]"),
            Target::Slot {
                slot: SlotRef {
                    section: 0,
                    instance: None,
                    item: 2
                },
                part: String::new()
            }
        );
        assert_eq!(Target::parse("sections[3]"), Target::Section(3));
        assert_eq!(Target::parse("items[\"x\"]"), Target::Form);
        assert_eq!(Target::parse("sections[x]"), Target::Form);
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    use kiemtra_shared::template::TemplateSchema;

    /// The seed site checklist, as the server publishes it.
    pub fn site_checklist() -> TemplateSchema {
        let template: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/templates/osh-site-checklist.json"
        ))
        .unwrap();
        serde_json::from_value(template["schema"].clone()).unwrap()
    }
}

#[cfg(test)]
mod visibility_tests {
    use kiemtra_shared::answers::{Answer, AnswerValue, Answers, YesNo};

    use super::fixture::site_checklist;
    use super::*;

    fn slot_of(schema: &TemplateSchema, key: &str, instance: Option<usize>) -> SlotRef {
        let at = schema.locate(key).unwrap();
        SlotRef {
            section: at.section_index,
            instance,
            item: at.item_index,
        }
    }

    #[test]
    fn an_item_shows_once_the_answer_it_depends_on_is_given() {
        let schema = site_checklist();
        let trained = slot_of(&schema, "osh.boiler_operators_trained", None);
        let mut answers = Answers::new();
        assert!(!Visibility::of(&schema, &answers).shows(trained));
        answers.set(
            "osh.has_boiler",
            Answer::new(AnswerValue::YesNo(YesNo::Yes)),
        );
        assert!(Visibility::of(&schema, &answers).shows(trained));
        answers.set("osh.has_boiler", Answer::new(AnswerValue::YesNo(YesNo::No)));
        assert!(!Visibility::of(&schema, &answers).shows(trained));
    }

    #[test]
    fn each_workshop_shows_the_measurements_of_its_own_area_type() {
        let schema = site_checklist();
        let mut answers = Answers::new();
        let workshops = schema.locate("workshop.name").unwrap().section_index;
        let visibility = Visibility::of(&schema, &answers);
        assert!(visibility.shows_section(workshops));
        assert!(!visibility.shows(slot_of(&schema, "workshop.name", Some(0))));

        for area in ["production", "office"] {
            let mut instance = kiemtra_shared::answers::InstanceAnswers::new();
            instance.insert(
                "workshop.area_type".into(),
                Answer::new(AnswerValue::Choice(area.into())),
            );
            answers.push_instance("workshops", instance);
        }
        let visibility = Visibility::of(&schema, &answers);
        let noise = |n| slot_of(&schema, "workshop.noise_laeq", Some(n));
        let office = |n| slot_of(&schema, "workshop.noise_office", Some(n));
        assert!(visibility.shows(noise(0)) && !visibility.shows(office(0)));
        assert!(!visibility.shows(noise(1)) && visibility.shows(office(1)));
        assert!(visibility.shows(slot_of(&schema, "workshop.name", Some(1))));
        assert!(!visibility.shows(slot_of(&schema, "workshop.name", Some(2))));
    }
}
