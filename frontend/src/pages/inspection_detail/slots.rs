//! Places in a form (an item, in a repeat instance for repeated sections), which of them the
//! shared form engine shows. Where an error path of the engine or the server points is read by
//! `kiemtra_shared::item_path::Target`.

use std::collections::HashSet;

use kiemtra_shared::answers::{Answer, AnswerValue, Answers};
pub use kiemtra_shared::item_path::{ItemPath, Target};
use kiemtra_shared::template::TemplateSchema;

/// One answerable place: item `item` of section `section`, in instance `instance` when the
/// section repeats. Indices into the template version the draft is filled against; written as
/// the form engine's error paths write it.
pub type SlotRef = ItemPath;

/// The DOM id of a slot's card (item keys repeat across instances, indices do not).
pub fn dom_id(slot: SlotRef) -> String {
    match slot.instance {
        Some(n) => format!("slot-{}-{}-{}", slot.section, n, slot.item),
        None => format!("slot-{}-{}", slot.section, slot.item),
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
