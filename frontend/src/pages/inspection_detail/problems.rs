//! What stops a draft from being submitted, placed where it belongs and told in the
//! interface's language: the shared engine (and the server) report English messages with a
//! stable code and a path; the PWA words each code itself, using the item's own limits.

use std::collections::BTreeMap;

use kiemtra_shared::error::FieldError;
use kiemtra_shared::template::{Item, ItemKind, Section, TemplateSchema};
use kiemtra_shared::validate::rule;

use super::draft::{PHOTOS_WITHOUT_ANSWER, UNREADABLE_NUMBER};
use super::slots::{SlotRef, Target, dom_id};
use crate::i18n::{Lang, Strings};

/// Problems by where they are shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problems {
    pub slots: BTreeMap<SlotRef, Vec<Problem>>,
    pub sections: BTreeMap<usize, Vec<String>>,
    /// Problems with no place in the form (a client bug, or a server message).
    pub form: Vec<String>,
    /// Where the first problem is, in form order.
    pub first: Option<Target>,
}

/// One problem of a slot: `part` says which field of the answer it is about (`.value.unit`,
/// `.photos`), so that the input concerned can be marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub part: String,
    /// The rule broken (`required`, `evidence_required`, …).
    pub code: String,
    pub text: String,
}

impl Problems {
    pub fn place(schema: &TemplateSchema, errors: &[FieldError], strings: &Strings) -> Problems {
        let mut problems = Problems::default();
        for error in errors {
            let target = Target::parse(&error.field);
            match &target {
                Target::Slot { slot, part } => {
                    let Some(item) = schema
                        .sections
                        .get(slot.section)
                        .and_then(|s| s.items.get(slot.item))
                    else {
                        problems.form.push(error.message.clone());
                        continue;
                    };
                    problems.slots.entry(*slot).or_default().push(Problem {
                        part: part.clone(),
                        code: error.code.clone(),
                        text: slot_text(strings, item, &error.code, part, &error.message),
                    });
                }
                Target::Section(s) => match schema.sections.get(*s) {
                    Some(section) => problems.sections.entry(*s).or_default().push(section_text(
                        strings,
                        section,
                        &error.code,
                        &error.message,
                    )),
                    None => problems.form.push(error.message.clone()),
                },
                Target::Form => problems.form.push(error.message.clone()),
            }
            if problems
                .first
                .as_ref()
                .is_none_or(|first| target.order() < first.order())
            {
                problems.first = Some(target);
            }
        }
        problems
    }

    pub fn count(&self) -> usize {
        self.slots.values().map(Vec::len).sum::<usize>()
            + self.sections.values().map(Vec::len).sum::<usize>()
            + self.form.len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    pub fn at(&self, slot: SlotRef) -> &[Problem] {
        self.slots.get(&slot).map_or(&[], Vec::as_slice)
    }

    /// The DOM id of the first problem's place, to scroll to.
    pub fn first_dom_id(&self) -> Option<String> {
        match self.first.as_ref()? {
            Target::Slot { slot, .. } => Some(dom_id(*slot)),
            Target::Section(s) => Some(format!("section-{s}")),
            Target::Form => Some("checklist-title".to_owned()),
        }
    }
}

fn slot_text(strings: &Strings, item: &Item, code: &str, part: &str, message: &str) -> String {
    let vi = strings.lang == Lang::Vi;
    match (code, part) {
        (rule::REQUIRED, ".value.instrument") => strings.problem_instrument.to_owned(),
        (rule::REQUIRED, ".value.signer_name") => strings.problem_signer_name.to_owned(),
        (rule::REQUIRED, ".value.signer_role") => strings.problem_signer_role.to_owned(),
        (rule::REQUIRED, _) => strings.problem_required.to_owned(),
        (rule::EVIDENCE_REQUIRED, _) => strings.problem_evidence.to_owned(),
        (PHOTOS_WITHOUT_ANSWER, _) => strings.problem_photos_without_answer.to_owned(),
        (UNREADABLE_NUMBER, ".value.exposure_minutes") => strings.not_a_whole_number.to_owned(),
        (UNREADABLE_NUMBER, _) => match item.kind {
            ItemKind::Number { integer: true, .. } => strings.not_a_whole_number.to_owned(),
            _ => strings.not_a_number.to_owned(),
        },
        (rule::NOT_INTEGER, _) => strings.not_a_whole_number.to_owned(),
        (rule::OUT_OF_RANGE, ".value.exposure_minutes") => match &item.kind {
            ItemKind::Measurement(spec) => {
                match spec.exposure_limits.iter().map(|r| r.minutes).max() {
                    Some(longest) => strings.exposure_beyond_table(longest),
                    None => strings.zero_exposure.to_owned(),
                }
            }
            _ => strings.problem_wrong_type.to_owned(),
        },
        (rule::OUT_OF_RANGE, p) if p.starts_with(".value.") => strings.problem_position.to_owned(),
        (rule::OUT_OF_RANGE, _) => match &item.kind {
            ItemKind::Number { min, max, .. } => {
                let n = |v: kiemtra_shared::finite::Finite| strings.number(v.get());
                match (min, max, vi) {
                    (Some(a), Some(b), true) => format!("Nhập một số từ {} đến {}.", n(*a), n(*b)),
                    (Some(a), Some(b), false) => {
                        format!("Enter a number from {} to {}.", n(*a), n(*b))
                    }
                    (Some(a), None, true) => format!("Nhập một số từ {} trở lên.", n(*a)),
                    (Some(a), None, false) => format!("Enter {} or more.", n(*a)),
                    (None, Some(b), true) => format!("Nhập một số không quá {}.", n(*b)),
                    (None, Some(b), false) => format!("Enter at most {}.", n(*b)),
                    (None, None, _) => strings.problem_wrong_type.to_owned(),
                }
            }
            _ => strings.problem_wrong_type.to_owned(),
        },
        (rule::TOO_LONG, _) => match (&item.kind, vi) {
            (
                ItemKind::Text {
                    max_length: Some(max),
                    ..
                },
                true,
            ) => format!("Tối đa {max} ký tự."),
            (
                ItemKind::Text {
                    max_length: Some(max),
                    ..
                },
                false,
            ) => {
                format!("At most {max} characters.")
            }
            _ => strings.problem_wrong_type.to_owned(),
        },
        (rule::TOO_FEW | rule::TOO_MANY, _) => count_text(&item.kind, code == rule::TOO_FEW, vi)
            .unwrap_or_else(|| strings.problem_wrong_type.to_owned()),
        (rule::UNKNOWN_OPTION | rule::DUPLICATE_OPTION, _) => strings.problem_option.to_owned(),
        (rule::DUPLICATE_PHOTO, _) => strings.problem_duplicate_photo.to_owned(),
        (rule::HIDDEN_ANSWERED, _) => strings.problem_hidden.to_owned(),
        (rule::PHOTOS_NOT_ALLOWED, _) => strings.problem_photos_not_allowed.to_owned(),
        (rule::UNIT_MISMATCH, _) => strings.problem_unit.to_owned(),
        (rule::WRONG_TYPE, _) => strings.problem_wrong_type.to_owned(),
        // A code this client does not know yet: the server's words are better than nothing.
        _ => message.to_owned(),
    }
}

/// "Chọn ít nhất 2 mục." / "At most 10 photos.": the bound comes from the item itself.
fn count_text(kind: &ItemKind, too_few: bool, vi: bool) -> Option<String> {
    let (bound, what_vi, what_en) = match kind {
        ItemKind::MultipleChoice {
            min_selected,
            max_selected,
            ..
        } => (
            if too_few {
                *min_selected
            } else {
                *max_selected
            }?,
            "lựa chọn",
            "choices",
        ),
        ItemKind::Photo { min, max } => (if too_few { Some(*min) } else { *max }?, "ảnh", "photos"),
        _ => return None,
    };
    Some(match (too_few, vi) {
        (true, true) => format!("Cần ít nhất {bound} {what_vi}."),
        (true, false) => format!("At least {bound} {what_en}."),
        (false, true) => format!("Tối đa {bound} {what_vi}."),
        (false, false) => format!("At most {bound} {what_en}."),
    })
}

fn section_text(strings: &Strings, section: &Section, code: &str, message: &str) -> String {
    let Some(repeat) = &section.repeat else {
        return message.to_owned();
    };
    let label = strings.label(&repeat.label);
    match (code, strings.lang) {
        (rule::TOO_FEW, Lang::Vi) => {
            format!("Cần ít nhất {} {}.", repeat.min, label.to_lowercase())
        }
        (rule::TOO_FEW, Lang::En) => format!("At least {} needed ({}).", repeat.min, label),
        (rule::TOO_MANY, Lang::Vi) => format!("Tối đa {} {}.", repeat.max, label.to_lowercase()),
        (rule::TOO_MANY, Lang::En) => format!("At most {} allowed ({}).", repeat.max, label),
        (rule::HIDDEN_ANSWERED, _) => strings.problem_hidden.to_owned(),
        _ => message.to_owned(),
    }
}
