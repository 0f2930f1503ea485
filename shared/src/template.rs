//! Templates (mẫu phiếu): the form definition the PWA renders and the server checks answers
//! against. A template is data: its items, conditions, limits and legal bases are all here,
//! versioned by the server (a published version never changes).
//!
//! JSON shape (`kind` is tagged by `type`; optional fields may be left out):
//!
//! ```json
//! {"sections": [
//!   {"key": "machinery", "title": {"vi": "Máy, thiết bị", "en": "Machinery and equipment"},
//!    "items": [
//!      {"key": "osh.machine_guards",
//!       "label": {"vi": "Bộ phận chuyển động của máy có được che chắn không?",
//!                 "en": "Are the moving parts of machines guarded?"},
//!       "kind": {"type": "yes_no", "compliant_answer": "yes"},
//!       "required": true, "allows_photos": true,
//!       "evidence_required_if": {"item": "osh.machine_guards", "equals": "no"},
//!       "severity": "major", "legal_basis": "Luật An toàn, vệ sinh lao động 2015, Điều 16"}]},
//!   {"key": "workshops", "title": {"vi": "Phân xưởng", "en": "Workshops"},
//!    "repeat": {"min": 0, "max": 30, "label": {"vi": "Phân xưởng", "en": "Workshop"}},
//!    "items": [
//!      {"key": "workshop.noise_peak", "label": {"vi": "Ồn đỉnh", "en": "Peak noise"},
//!       "kind": {"type": "measurement", "quantity": "noise_peak", "unit": "dBA",
//!                "limit_max": 115, "legal_reference": "QCVN 24:2016/BYT"},
//!       "severity": "major"}]}]}
//! ```

mod check;

use serde::{Deserialize, Serialize};

use crate::answers::{AnswerValue, YesNo};
use crate::condition::Condition;
use crate::finite::Finite;
use crate::measurement::MeasurementSpec;

/// A text in the two interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// Phiếu thu thập thông tin: filled by the enterprise before the visit.
    Questionnaire,
    /// Bảng tự kiểm tra: compliance checklist answered by the enterprise.
    SelfInspection,
    /// Phiếu kiểm tra hiện trường: answered by inspectors on site.
    SiteChecklist,
}

/// How serious a non-compliance with an item is; the reviewer may change it on the finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minor,
    Major,
    /// An imminent danger to life or health.
    Critical,
}

impl Severity {
    pub fn label(self) -> Label {
        match self {
            Self::Minor => Label::new("Nhẹ", "Minor"),
            Self::Major => Label::new("Nghiêm trọng", "Major"),
            Self::Critical => Label::new("Đặc biệt nghiêm trọng", "Critical"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateSchema {
    pub sections: Vec<Section>,
}

/// A section of the form. With `repeat`, the section is answered once per instance (one per
/// workshop, one per violation found), between `min` and `max` times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable key, unique in the template; answers of a repeated section are filed under it.
    pub key: String,
    pub title: Label,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    /// Shows the section only when this holds; it may refer only to items of sections that do
    /// not repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub visible_if: Option<Condition>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub min: u32,
    pub max: u32,
    /// What one instance is called ("Phân xưởng" / "Workshop").
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable key of the item, unique in the whole template (repeated sections included),
    /// e.g. `osh.machine_guards`.
    pub key: String,
    pub label: Label,
    /// Guidance shown under the label (how to check, what to look at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Label>,
    pub kind: ItemKind,
    /// Must be answered when visible.
    #[serde(default)]
    pub required: bool,
    /// Whether photos may be attached to this item as evidence.
    #[serde(default)]
    pub allows_photos: bool,
    /// Shows the item only when this holds. A hidden item must not be answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub visible_if: Option<Condition>,
    /// At least one photo must be attached when this holds (typically: this item answered
    /// "no"). Needs `allows_photos`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub evidence_required_if: Option<Condition>,
    /// Severity of a non-compliance with this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Legal basis of a non-compliance (căn cứ pháp lý). For a measurement item the limit's
    /// own `legal_reference` is used when this is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
}

impl Item {
    /// An optional item with no photos, conditions, severity or legal basis.
    pub fn new(key: &str, label: Label, kind: ItemKind) -> Self {
        Self {
            key: key.to_owned(),
            label,
            help: None,
            kind,
            required: false,
            allows_photos: false,
            visible_if: None,
            evidence_required_if: None,
            severity: None,
            legal_basis: None,
        }
    }

    /// Whether an answer to this item can be a non-compliance: a yes/no item with a compliant
    /// answer, or a measurement (limits may be entered later).
    pub fn can_be_non_compliant(&self) -> bool {
        match &self.kind {
            ItemKind::YesNo { compliant_answer } => compliant_answer.is_some(),
            ItemKind::Measurement(_) => true,
            _ => false,
        }
    }
}

/// One option of a choice item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable key stored in answers; never reuse a key for another meaning.
    pub key: String,
    pub label: Label,
}

impl ChoiceOption {
    pub fn new(key: &str, vi: &str, en: &str) -> Self {
        Self {
            key: key.to_owned(),
            label: Label::new(vi, en),
        }
    }
}

/// What kind of answer an item takes, with the constraints of that kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum ItemKind {
    /// Yes / no / not applicable.
    YesNo {
        /// The answer that complies; the other of yes/no is a non-compliance. `None` for
        /// questions that only ask (e.g. "is there a boiler?"). Lives in the kind, not on the
        /// item, because it means nothing for other kinds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compliant_answer: Option<YesNo>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<Finite>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<Finite>,
        /// Shown after the field ("người" / "persons").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<Label>,
        /// Whole numbers only (head counts).
        #[serde(default)]
        integer: bool,
    },
    Text {
        /// In characters (Unicode scalar values), not bytes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
        #[serde(default)]
        multiline: bool,
    },
    SingleChoice {
        options: Vec<ChoiceOption>,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_selected: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_selected: Option<u32>,
    },
    Date,
    /// Photos as the answer itself (e.g. "photograph the fire exits").
    Photo {
        #[serde(default)]
        min: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    Signature,
    Gps,
    /// A measured value compared with the limit held in the spec.
    Measurement(MeasurementSpec),
}

impl ItemKind {
    /// The `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::YesNo { .. } => "yes_no",
            Self::Number { .. } => "number",
            Self::Text { .. } => "text",
            Self::SingleChoice { .. } => "single_choice",
            Self::MultipleChoice { .. } => "multiple_choice",
            Self::Date => "date",
            Self::Photo { .. } => "photo",
            Self::Signature => "signature",
            Self::Gps => "gps",
            Self::Measurement(_) => "measurement",
        }
    }

    /// The `type` of the answer value this kind takes.
    pub fn answer_type(&self) -> &'static str {
        match self {
            Self::SingleChoice { .. } => "choice",
            Self::MultipleChoice { .. } => "choices",
            Self::Photo { .. } => "photos",
            other => other.type_name(),
        }
    }

    /// Whether a value is of the type this kind takes (constraints aside).
    pub fn accepts(&self, value: &AnswerValue) -> bool {
        self.answer_type() == value.type_name()
    }

    /// The options of a choice item.
    pub fn options(&self) -> Option<&[ChoiceOption]> {
        match self {
            Self::SingleChoice { options } | Self::MultipleChoice { options, .. } => Some(options),
            _ => None,
        }
    }

    /// The values a condition may compare an answer of this kind with; `None` when conditions
    /// cannot refer to this kind.
    pub fn condition_values(&self) -> Option<Vec<&str>> {
        match self {
            Self::YesNo { .. } => Some(
                [YesNo::Yes, YesNo::No, YesNo::NotApplicable]
                    .map(YesNo::as_str)
                    .to_vec(),
            ),
            _ => self
                .options()
                .map(|options| options.iter().map(|o| o.key.as_str()).collect()),
        }
    }
}

/// Where an item sits in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemLocation<'a> {
    pub section_index: usize,
    pub item_index: usize,
    pub section: &'a Section,
    pub item: &'a Item,
}

impl TemplateSchema {
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.locate(key).map(|location| location.item)
    }

    pub fn locate(&self, key: &str) -> Option<ItemLocation<'_>> {
        self.sections
            .iter()
            .enumerate()
            .find_map(|(section_index, section)| {
                section
                    .items
                    .iter()
                    .position(|item| item.key == key)
                    .map(|item_index| ItemLocation {
                        section_index,
                        item_index,
                        section,
                        item: &section.items[item_index],
                    })
            })
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// Every item with its location, in form order.
    pub fn items(&self) -> impl Iterator<Item = ItemLocation<'_>> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(section_index, section)| {
                section
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(item_index, item)| ItemLocation {
                        section_index,
                        item_index,
                        section,
                        item,
                    })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_skeleton_template_still_reads() {
        let schema: TemplateSchema = serde_json::from_value(json!({"sections": [{
            "key": "osh",
            "title": {"vi": "An toàn, vệ sinh lao động", "en": "Occupational safety and health"},
            "items": [{"key": "osh.machine_guards", "label": {"vi": "Che chắn", "en": "Guards"},
                       "kind": {"type": "yes_no"}, "required": true, "allows_photos": true,
                       "legal_basis": "Luật An toàn, vệ sinh lao động 2015, Điều 16"}]
        }]}))
        .unwrap();
        let item = schema.item("osh.machine_guards").unwrap();
        assert_eq!(
            item.kind,
            ItemKind::YesNo {
                compliant_answer: None
            }
        );
        assert!(item.required && item.allows_photos);
    }

    #[test]
    fn a_misspelt_field_is_rejected_not_ignored() {
        let item = json!({"key": "a", "label": {"vi": "A", "en": "A"},
                          "kind": {"type": "yes_no"}, "requried": true});
        assert!(serde_json::from_value::<Item>(item).is_err());
        let kind = json!({"type": "number", "maximum": 3});
        assert!(serde_json::from_value::<ItemKind>(kind).is_err());
        let measurement = json!({"type": "measurement", "quantity": "illuminance", "unit": "lx",
                                 "limit_minimum": 100, "legal_reference": "QCVN 22:2016/BYT"});
        assert!(serde_json::from_value::<ItemKind>(measurement).is_err());
    }

    #[test]
    fn every_kind_round_trips_through_json() {
        for kind in [
            json!({"type": "yes_no", "compliant_answer": "yes"}),
            json!({"type": "number", "min": 0.0, "max": 10.0,
                   "unit": {"vi": "người", "en": "persons"}, "integer": true}),
            json!({"type": "text", "max_length": 200, "multiline": false}),
            json!({"type": "single_choice", "options": [{"key": "a", "label": {"vi": "A", "en": "A"}}]}),
            json!({"type": "multiple_choice", "options": [{"key": "a", "label": {"vi": "A", "en": "A"}}],
                   "max_selected": 1}),
            json!({"type": "date"}),
            json!({"type": "photo", "min": 1, "max": 5}),
            json!({"type": "signature"}),
            json!({"type": "gps"}),
            json!({"type": "measurement", "quantity": "noise_laeq", "unit": "dBA",
                   "limit_max": 85.0, "exposure_limits": [{"minutes": 480, "max": 85.0}],
                   "legal_reference": "QCVN 24:2016/BYT"}),
        ] {
            let parsed: ItemKind = serde_json::from_value(kind.clone()).unwrap();
            assert_eq!(serde_json::to_value(&parsed).unwrap(), kind);
        }
    }

    #[test]
    fn items_are_found_by_key_with_their_location() {
        let schema = TemplateSchema {
            sections: vec![
                Section {
                    key: "a".into(),
                    title: Label::new("A", "A"),
                    repeat: None,
                    visible_if: None,
                    items: vec![Item::new("a.1", Label::new("1", "1"), ItemKind::Date)],
                },
                Section {
                    key: "b".into(),
                    title: Label::new("B", "B"),
                    repeat: None,
                    visible_if: None,
                    items: vec![
                        Item::new("b.1", Label::new("1", "1"), ItemKind::Date),
                        Item::new("b.2", Label::new("2", "2"), ItemKind::Gps),
                    ],
                },
            ],
        };
        let found = schema.locate("b.2").unwrap();
        assert_eq!((found.section_index, found.item_index), (1, 1));
        assert_eq!(found.item.kind, ItemKind::Gps);
        assert!(schema.item("c.1").is_none());
        assert_eq!(schema.items().count(), 3);
    }
}

/// A template version is edited as a draft and frozen when published: a response always refers
/// to the exact version it was filled against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    Draft,
    Published,
}

/// `POST /templates`: a new draft version of the template family `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTemplate {
    pub code: String,
    pub kind: TemplateKind,
    pub name: String,
    pub schema: TemplateSchema,
}

/// `PUT /templates/{id}`: replace a draft's name or schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateTemplate {
    pub name: Option<String>,
    pub schema: Option<TemplateSchema>,
}
