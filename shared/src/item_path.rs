//! The error paths of a form's answers: where the form engine (and the server, after
//! `answers.`) says an error is, written in one place and read back in one place.
//!
//! - `sections[2].items[5]`: item 5 of section 2;
//! - `sections[1][0].items[3]`: item 3 of instance 0 of repeated section 1;
//! - either followed by a part of the answer: `.value.unit`, `.value[1]`, `.photos`;
//! - `sections[1]`: a repeated section as a whole (too few or too many instances);
//! - the server's, for a request's `answers`: `answers.` followed by any of these.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What the server puts before the engine's paths: they point into the request's `answers`.
pub const ANSWERS_PREFIX: &str = "answers.";

/// One answerable place: item `item` of section `section`, in instance `instance` when the
/// section repeats. Indices into the template version the answers are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemPath {
    pub section: usize,
    pub instance: Option<usize>,
    pub item: usize,
}

impl ItemPath {
    pub fn new(section: usize, instance: Option<usize>, item: usize) -> ItemPath {
        ItemPath {
            section,
            instance,
            item,
        }
    }

    /// This item's path followed by a part of its answer (`.photos`, `.value[1]`).
    pub fn with(self, part: &str) -> String {
        format!("{self}{part}")
    }
}

/// `sections[2].items[5]`, `sections[1][0].items[3]`.
impl fmt::Display for ItemPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.instance {
            Some(n) => write!(f, "sections[{}][{n}].items[{}]", self.section, self.item),
            None => write!(f, "sections[{}].items[{}]", self.section, self.item),
        }
    }
}

/// Not exactly the path of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnItemPath;

impl fmt::Display for NotAnItemPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the path of an item (`sections[2].items[5]`)")
    }
}

impl std::error::Error for NotAnItemPath {}

/// Reads exactly what [`Display`](fmt::Display) writes.
impl FromStr for ItemPath {
    type Err = NotAnItemPath;

    fn from_str(text: &str) -> Result<ItemPath, NotAnItemPath> {
        match Target::parse_engine(text) {
            Some(Target::Slot { slot, part }) if part.is_empty() => Ok(slot),
            _ => Err(NotAnItemPath),
        }
    }
}

/// The path of a repeated section as a whole: `sections[1]`.
pub fn section_path(section: usize) -> String {
    format!("sections[{section}]")
}

/// A path of the form engine as the server reports it for a request's answers.
pub fn in_answers(path: &str) -> String {
    format!("{ANSWERS_PREFIX}{path}")
}

/// What an error path of the form engine (or the server's, after `answers.`) points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An item; `part` is the rest of the path (`.value.instrument`, `.photos`, `.value[1]`).
    Slot { slot: ItemPath, part: String },
    /// A repeated section as a whole (too few or too many instances).
    Section(usize),
    /// Anything else (unknown keys, fields outside the answers).
    Form,
}

impl Target {
    /// Reads `sections[3][0].items[5].value.unit`, `sections[1]`, or `answers.` + either.
    pub fn parse(path: &str) -> Target {
        let path = path.strip_prefix(ANSWERS_PREFIX).unwrap_or(path);
        Target::parse_engine(path).unwrap_or(Target::Form)
    }

    fn parse_engine(path: &str) -> Option<Target> {
        let rest = path.strip_prefix("sections[")?;
        let (section, rest) = index(rest)?;
        let (instance, rest) = match rest.strip_prefix('[').and_then(index) {
            Some((n, rest)) => (Some(n), rest),
            None => (None, rest),
        };
        if rest.is_empty() && instance.is_none() {
            return Some(Target::Section(section));
        }
        let (item, part) = rest.strip_prefix(".items[").and_then(index)?;
        Some(Target::Slot {
            slot: ItemPath::new(section, instance, item),
            part: part.to_owned(),
        })
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

/// The path a target was read from, without `answers.` (a [`Target::Form`] has none).
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Slot { slot, part } => write!(f, "{slot}{part}"),
            Target::Section(s) => f.write_str(&section_path(*s)),
            Target::Form => Ok(()),
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
    fn item_paths_are_written_and_read_back() {
        let plain = ItemPath::new(2, None, 5);
        let repeated = ItemPath::new(1, Some(0), 3);
        assert_eq!(plain.to_string(), "sections[2].items[5]");
        assert_eq!(repeated.to_string(), "sections[1][0].items[3]");
        assert_eq!(repeated.with(".photos"), "sections[1][0].items[3].photos");
        for path in [plain, repeated, ItemPath::new(12, Some(40), 0)] {
            assert_eq!(path.to_string().parse::<ItemPath>(), Ok(path));
            let target = Target::Slot {
                slot: path,
                part: ".value[1]".into(),
            };
            assert_eq!(Target::parse(&in_answers(&target.to_string())), target);
        }
        assert_eq!(Target::parse(&section_path(4)), Target::Section(4));
        assert_eq!(Target::Section(4).to_string(), "sections[4]");
    }

    #[test]
    fn only_an_exact_item_path_reads_as_one() {
        for text in [
            "sections[1]",
            "sections[1].items[2].photos",
            "answers.sections[1].items[2]",
            "sections[1].items[x]",
            "",
        ] {
            assert_eq!(text.parse::<ItemPath>(), Err(NotAnItemPath), "{text}");
        }
    }

    #[test]
    fn error_paths_point_at_slots_sections_or_the_form() {
        assert_eq!(
            Target::parse("answers.sections[3][0].items[5].value.instrument"),
            Target::Slot {
                slot: ItemPath {
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
                slot: ItemPath {
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

    #[test]
    fn targets_order_as_they_stand_in_the_form() {
        let order = |path: &str| Target::parse(path).order();
        assert!(order("items[\"x\"]") < order("sections[0]"));
        assert!(order("sections[0].items[9]") < order("sections[1]"));
        assert!(order("sections[1]") < order("sections[1][0].items[0]"));
        assert!(order("sections[1][0].items[5]") < order("sections[1][1].items[0]"));
    }

    #[test]
    fn the_json_of_an_item_path_names_its_indices() {
        let json = serde_json::to_string(&ItemPath::new(1, Some(0), 3)).unwrap();
        assert_eq!(json, r#"{"section":1,"instance":0,"item":3}"#);
    }
}
