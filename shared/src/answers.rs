//! The answers of one filled form (phiếu đã điền), as the PWA sends them and the server stores
//! them.
//!
//! Shape: items of ordinary sections under `items`, by item key; repeated sections under
//! `repeats`, by section key, one object per instance:
//!
//! ```json
//! {
//!   "items": {
//!     "osh.machine_guards": {"type": "yes_no", "value": "no", "photos": ["…uuid…"]}
//!   },
//!   "repeats": {
//!     "workshops": [
//!       {"workshop.name": {"type": "text", "value": "Xưởng cơ khí"},
//!        "workshop.noise_laeq": {"type": "measurement", "value": {"value": 86.5, "unit": "dBA",
//!          "instrument": "Rion NL-42 #00123", "measured_at": "2026-11-23T09:00:00Z",
//!          "exposure_minutes": 480}}}
//!     ]
//!   }
//! }
//! ```
//!
//! Why this shape rather than a flat list of `{path, value}`: a phone app keeps a form as an
//! object and reads `answers.items[key]` directly; an item cannot be answered twice; answers
//! are addressed by stable keys, so moving an item to another (non-repeated) section in a new
//! template version does not move its answer; and two submissions compare equal whatever order
//! the client wrote them in. Only repeat instances are positional, because they have no key.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::measurement::Measurement;

/// Answer to a yes/no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    Yes,
    No,
    NotApplicable,
}

impl YesNo {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::NotApplicable => "not_applicable",
        }
    }

    pub fn label(self) -> crate::template::Label {
        match self {
            Self::Yes => crate::template::Label::new("Có", "Yes"),
            Self::No => crate::template::Label::new("Không", "No"),
            Self::NotApplicable => crate::template::Label::new("Không áp dụng", "Not applicable"),
        }
    }
}

/// The value of one answer, tagged with the item kind it answers: `{"type": "number",
/// "value": 12}`. The tag makes a stored answer readable without its template and lets
/// validation report a wrong type instead of guessing (a choice key and a text are both
/// strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum AnswerValue {
    YesNo(YesNo),
    Number(f64),
    Text(String),
    /// The key of the chosen option.
    Choice(String),
    /// The keys of the chosen options.
    Choices(Vec<String>),
    Date(NaiveDate),
    /// Evidence ids of the photos.
    Photos(Vec<Uuid>),
    Signature(Signature),
    Gps(GpsPoint),
    Measurement(Measurement),
}

impl AnswerValue {
    /// The `type` tag, which is also the item kind's `type`, except `choice`/`choices`/`photos`
    /// (`single_choice`/`multiple_choice`/`photo`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::YesNo(_) => "yes_no",
            Self::Number(_) => "number",
            Self::Text(_) => "text",
            Self::Choice(_) => "choice",
            Self::Choices(_) => "choices",
            Self::Date(_) => "date",
            Self::Photos(_) => "photos",
            Self::Signature(_) => "signature",
            Self::Gps(_) => "gps",
            Self::Measurement(_) => "measurement",
        }
    }
}

/// A signature: the image is evidence uploaded like a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub evidence_id: Uuid,
    pub signer_name: String,
    /// The signer's role or title, e.g. "Giám đốc" or "Trưởng đoàn thanh tra".
    pub signer_role: String,
}

/// A position from the phone (WGS 84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GpsPoint {
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
}

/// One answer: its value and the photos attached to it as evidence (evidence ids; the files
/// go through the evidence API). `{"type": "yes_no", "value": "no", "photos": ["…"]}`.
/// For a photo item the photos are the value itself and `photos` stays empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "RawAnswer")]
pub struct Answer {
    #[serde(flatten)]
    pub value: AnswerValue,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Uuid>,
}

/// The JSON form of an [`Answer`], read field by field so that a misspelt field (`"photo"`)
/// is rejected like everywhere else in request bodies; `#[serde(flatten)]` would ignore it.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    #[serde(rename = "type")]
    kind: String,
    value: serde_json::Value,
    #[serde(default)]
    photos: Vec<Uuid>,
}

impl TryFrom<RawAnswer> for Answer {
    type Error = serde_json::Error;

    fn try_from(raw: RawAnswer) -> Result<Self, Self::Error> {
        let value = serde_json::json!({"type": raw.kind, "value": raw.value});
        Ok(Answer {
            value: AnswerValue::deserialize(value)?,
            photos: raw.photos,
        })
    }
}

impl Answer {
    pub fn new(value: AnswerValue) -> Self {
        Self {
            value,
            photos: Vec::new(),
        }
    }

    pub fn with_photos(value: AnswerValue, photos: Vec<Uuid>) -> Self {
        Self { value, photos }
    }

    /// Photos of this answer, counting those of a photo item's value.
    pub fn photo_count(&self) -> usize {
        let in_value = match &self.value {
            AnswerValue::Photos(ids) => ids.len(),
            _ => 0,
        };
        self.photos.len() + in_value
    }
}

/// Answers of one repeat instance, by item key.
pub type InstanceAnswers = BTreeMap<String, Answer>;

/// All answers of one filled form. See the module documentation for the shape and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Answers to the items of sections that do not repeat, by item key.
    #[serde(default)]
    pub items: BTreeMap<String, Answer>,
    /// Instances of repeated sections, by section key, in the order the user made them.
    #[serde(default)]
    pub repeats: BTreeMap<String, Vec<InstanceAnswers>>,
}

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers an item of a section that does not repeat (replacing an earlier answer).
    pub fn set(&mut self, item_key: &str, answer: Answer) -> &mut Self {
        self.items.insert(item_key.to_owned(), answer);
        self
    }

    /// Adds an instance of a repeated section and returns its index.
    pub fn push_instance(&mut self, section_key: &str, instance: InstanceAnswers) -> usize {
        let instances = self.repeats.entry(section_key.to_owned()).or_default();
        instances.push(instance);
        instances.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.repeats.values().all(Vec::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_answer_is_flat_json_with_its_type_value_and_photos() {
        let photo = Uuid::nil();
        let answer = Answer::with_photos(AnswerValue::YesNo(YesNo::No), vec![photo]);
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(
            json,
            json!({"type": "yes_no", "value": "no", "photos": [photo]})
        );
        assert_eq!(serde_json::from_value::<Answer>(json).unwrap(), answer);
    }

    #[test]
    fn every_answer_value_round_trips() {
        let values = [
            json!({"type": "yes_no", "value": "not_applicable"}),
            json!({"type": "number", "value": 12.5}),
            json!({"type": "text", "value": "Xưởng cơ khí"}),
            json!({"type": "choice", "value": "heavy"}),
            json!({"type": "choices", "value": ["noise", "dust"]}),
            json!({"type": "date", "value": "2026-11-23"}),
            json!({"type": "photos", "value": [Uuid::nil()]}),
            json!({"type": "signature", "value": {"evidence_id": Uuid::nil(),
                "signer_name": "Lê Văn Doanh", "signer_role": "Giám đốc"}}),
            json!({"type": "gps", "value": {"lat": 21.0285, "lon": 105.8542, "accuracy_m": 8.0}}),
            json!({"type": "measurement", "value": {"value": 86.5, "unit": "dBA",
                "instrument": "Rion NL-42", "measured_at": "2026-11-23T09:00:00Z",
                "exposure_minutes": 480}}),
        ];
        for value in values {
            let answer: Answer = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(serde_json::to_value(&answer).unwrap(), value);
        }
    }

    #[test]
    fn an_integer_json_number_reads_as_a_number_answer() {
        let answer: Answer =
            serde_json::from_value(json!({"type": "number", "value": 12})).unwrap();
        assert_eq!(answer.value, AnswerValue::Number(12.0));
    }

    #[test]
    fn a_misspelt_answer_field_is_rejected() {
        let answer = json!({"type": "yes_no", "value": "no", "photo": [Uuid::nil()]});
        assert!(serde_json::from_value::<Answer>(answer).is_err());
    }

    #[test]
    fn an_answer_value_of_the_wrong_shape_is_rejected() {
        let answer = json!({"type": "gps", "value": {"lat": 21.0}});
        assert!(serde_json::from_value::<Answer>(answer).is_err());
    }

    #[test]
    fn an_unknown_answer_type_is_rejected() {
        assert!(
            serde_json::from_value::<Answer>(json!({"type": "colour", "value": "red"})).is_err()
        );
    }

    #[test]
    fn an_answer_set_reads_from_items_and_repeats() {
        let answers: Answers = serde_json::from_value(json!({
            "items": {"osh.machine_guards": {"type": "yes_no", "value": "yes"}},
            "repeats": {"workshops": [{"workshop.name": {"type": "text", "value": "A"}}]}
        }))
        .unwrap();
        assert_eq!(
            answers.items["osh.machine_guards"].value,
            AnswerValue::YesNo(YesNo::Yes)
        );
        assert_eq!(answers.repeats["workshops"].len(), 1);
        assert!(serde_json::from_value::<Answers>(json!({"itmes": {}})).is_err());
    }
}
