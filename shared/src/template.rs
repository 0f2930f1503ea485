//! Checklist templates (mẫu phiếu): the form definition the PWA renders and the server checks.
//!
//! This is the walking-skeleton subset: sections of yes/no items that may take photos. The full
//! item set (measurements, choices, conditions) grows here, in one place for both sides.

use serde::{Deserialize, Serialize};

/// A text in the two interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Label {
    pub vi: String,
    pub en: String,
}

impl Label {
    pub fn new(vi: &str, en: &str) -> Self {
        Self {
            vi: vi.to_owned(),
            en: en.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    Questionnaire,
    SelfInspection,
    SiteChecklist,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSchema {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub key: String,
    pub title: Label,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    /// Stable key of the item within the template, e.g. `osh.machine_guards`.
    pub key: String,
    pub label: Label,
    pub kind: ItemKind,
    #[serde(default)]
    pub required: bool,
    /// Whether photos may be attached to this item as evidence.
    #[serde(default)]
    pub allows_photos: bool,
    /// Legal basis of a non-compliance (căn cứ pháp lý).
    #[serde(default)]
    pub legal_basis: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ItemKind {
    /// Yes / no / not applicable.
    YesNo,
}

impl TemplateSchema {
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter())
            .find(|i| i.key == key)
    }
}

/// Checks a set of yes/no answers against the template: every key exists, none is answered
/// twice, every required item is answered. Returns the failures with their field paths; the
/// server runs this as the authority and the PWA runs the same code before submitting.
pub fn validate_answers(
    schema: &TemplateSchema,
    answers: &[crate::inspection::AnswerInput],
) -> Vec<crate::error::FieldError> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, answer) in answers.iter().enumerate() {
        let field = format!("answers[{i}].item_key");
        if schema.item(&answer.item_key).is_none() {
            errors.push(FieldError {
                field,
                code: "unknown_item".to_owned(),
                message: format!("The template has no item {:?}.", answer.item_key),
            });
        } else if !seen.insert(answer.item_key.as_str()) {
            errors.push(FieldError {
                field,
                code: "duplicate_item".to_owned(),
                message: format!("Item {:?} is answered more than once.", answer.item_key),
            });
        }
    }
    for (s, section) in schema.sections.iter().enumerate() {
        for (i, item) in section.items.iter().enumerate() {
            if item.required && !seen.contains(item.key.as_str()) {
                errors.push(FieldError {
                    field: format!("sections[{s}].items[{i}]"),
                    code: "required".to_owned(),
                    message: format!("Item {:?} must be answered.", item.key),
                });
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::{AnswerInput, YesNo};

    fn schema() -> TemplateSchema {
        TemplateSchema {
            sections: vec![Section {
                key: "s".into(),
                title: Label::new("Phần", "Section"),
                items: vec![
                    Item {
                        key: "a".into(),
                        label: Label::new("A", "A"),
                        kind: ItemKind::YesNo,
                        required: true,
                        allows_photos: true,
                        legal_basis: None,
                    },
                    Item {
                        key: "b".into(),
                        label: Label::new("B", "B"),
                        kind: ItemKind::YesNo,
                        required: false,
                        allows_photos: false,
                        legal_basis: None,
                    },
                ],
            }],
        }
    }

    fn answer(key: &str) -> AnswerInput {
        AnswerInput {
            item_key: key.into(),
            value: YesNo::Yes,
        }
    }

    #[test]
    fn complete_answers_pass() {
        assert!(validate_answers(&schema(), &[answer("a"), answer("b")]).is_empty());
    }

    #[test]
    fn missing_required_item_is_named_by_its_path() {
        let errors = validate_answers(&schema(), &[answer("b")]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "sections[0].items[0]");
        assert_eq!(errors[0].code, "required");
    }

    #[test]
    fn unknown_and_duplicate_items_are_rejected() {
        let errors = validate_answers(&schema(), &[answer("a"), answer("a"), answer("zz")]);
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("answers[1].item_key", "duplicate_item"),
                ("answers[2].item_key", "unknown_item")
            ]
        );
    }
}
