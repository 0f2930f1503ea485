//! A template together with one set of answers: which items are visible, and the answer of
//! each item (and repeat instance). Validation, compliance and pruning all walk the form
//! through this, so that they agree on what is visible.

use std::collections::HashMap;

use crate::answers::{Answer, AnswerValue, Answers};
use crate::condition::Condition;
use crate::item_path::ItemPath;
use crate::template::{Item, TemplateSchema};

pub(crate) struct Form<'a> {
    pub schema: &'a TemplateSchema,
    pub answers: &'a Answers,
    /// Item key -> (section index, item index). With duplicate keys (which `check` rejects)
    /// the first wins.
    index: HashMap<&'a str, (usize, usize)>,
    /// Bounds the recursion of visibility through conditions, so that a cyclic template
    /// (which `check` rejects) hides the items of the cycle instead of overflowing the stack.
    depth_limit: usize,
}

/// One answerable place in the form: an item, in a repeat instance for repeated sections.
pub(crate) struct Slot<'a> {
    pub section_index: usize,
    pub item_index: usize,
    pub instance: Option<usize>,
    pub item: &'a Item,
    pub answer: Option<&'a Answer>,
    pub visible: bool,
}

impl Slot<'_> {
    pub fn item_path(&self) -> ItemPath {
        ItemPath::new(self.section_index, self.instance, self.item_index)
    }

    pub fn path(&self) -> String {
        self.item_path().to_string()
    }
}

impl<'a> Form<'a> {
    pub fn new(schema: &'a TemplateSchema, answers: &'a Answers) -> Self {
        let mut index = HashMap::new();
        for location in schema.items() {
            index
                .entry(location.item.key.as_str())
                .or_insert((location.section_index, location.item_index));
        }
        Self {
            schema,
            answers,
            depth_limit: index.len() + schema.sections.len() + 1,
            index,
        }
    }

    /// Where an item key sits: (section index, item index).
    pub fn position(&self, key: &str) -> Option<(usize, usize)> {
        self.index.get(key).copied()
    }

    /// The instances answered for a repeated section.
    pub fn instances(&self, section_index: usize) -> usize {
        let section = &self.schema.sections[section_index];
        self.answers.repeats.get(&section.key).map_or(0, Vec::len)
    }

    pub fn section_visible(&self, section_index: usize) -> bool {
        self.section_visible_at(section_index, 0)
    }

    fn section_visible_at(&self, section_index: usize, depth: usize) -> bool {
        match &self.schema.sections[section_index].visible_if {
            None => true,
            Some(condition) => depth < self.depth_limit && self.holds_at(condition, None, depth),
        }
    }

    pub fn item_visible(
        &self,
        section_index: usize,
        item_index: usize,
        instance: Option<usize>,
    ) -> bool {
        self.item_visible_at(section_index, item_index, instance, 0)
    }

    fn item_visible_at(
        &self,
        section_index: usize,
        item_index: usize,
        instance: Option<usize>,
        depth: usize,
    ) -> bool {
        let item = &self.schema.sections[section_index].items[item_index];
        self.section_visible_at(section_index, depth)
            && match &item.visible_if {
                None => true,
                Some(condition) => {
                    depth < self.depth_limit
                        && self.holds_at(condition, instance.map(|n| (section_index, n)), depth)
                }
            }
    }

    /// Whether a condition holds for an item of `section_index` (in `instance` if repeated).
    pub fn holds(
        &self,
        condition: &Condition,
        section_index: usize,
        instance: Option<usize>,
    ) -> bool {
        self.holds_at(condition, instance.map(|n| (section_index, n)), 0)
    }

    fn holds_at(&self, condition: &Condition, scope: Option<(usize, usize)>, depth: usize) -> bool {
        condition.holds(&|key| self.visible_value(key, scope, depth + 1))
    }

    /// The answer of an item as a condition sees it: `None` when unanswered or hidden. An item
    /// of a repeated section is only seen from the same instance.
    fn visible_value(
        &self,
        key: &str,
        scope: Option<(usize, usize)>,
        depth: usize,
    ) -> Option<&'a AnswerValue> {
        let (section_index, item_index) = self.position(key)?;
        let instance = match (self.schema.sections[section_index].repeat.is_some(), scope) {
            (false, _) => None,
            (true, Some((scope_section, n))) if scope_section == section_index => Some(n),
            (true, _) => return None,
        };
        if !self.item_visible_at(section_index, item_index, instance, depth) {
            return None;
        }
        self.answer(section_index, item_index, instance)
            .map(|answer| &answer.value)
    }

    /// The answer given for an item, visible or not.
    pub fn answer(
        &self,
        section_index: usize,
        item_index: usize,
        instance: Option<usize>,
    ) -> Option<&'a Answer> {
        let section = &self.schema.sections[section_index];
        let key = &section.items[item_index].key;
        match (&section.repeat, instance) {
            (None, _) => self.answers.items.get(key),
            (Some(_), Some(n)) => self.answers.repeats.get(&section.key)?.get(n)?.get(key),
            (Some(_), None) => None,
        }
    }

    /// Every slot of the form in order: the items of each section, once per answered instance
    /// for repeated sections.
    pub fn slots(&self) -> Vec<Slot<'a>> {
        let mut slots = Vec::new();
        for (section_index, section) in self.schema.sections.iter().enumerate() {
            let instances: Vec<Option<usize>> = match section.repeat {
                None => vec![None],
                Some(_) => (0..self.instances(section_index)).map(Some).collect(),
            };
            for instance in instances {
                for (item_index, item) in section.items.iter().enumerate() {
                    slots.push(Slot {
                        section_index,
                        item_index,
                        instance,
                        item,
                        answer: self.answer(section_index, item_index, instance),
                        visible: self.item_visible(section_index, item_index, instance),
                    });
                }
            }
        }
        slots
    }
}
