//! Conditions on other answers: when an item is shown (`visible_if`) and when its photo is
//! required (`evidence_required_if`).

use serde::{Deserialize, Serialize};

use crate::answers::AnswerValue;

/// A condition on the answers of yes/no and choice items. In JSON:
///
/// ```json
/// {"item": "osh.has_boiler", "equals": "yes"}
/// {"item": "workshop.area_type", "not_equals": "office"}
/// {"item": "workshop.area_type", "one_of": ["corridor_storage", "packing"]}
/// {"all": [ … ]}   {"any": [ … ]}
/// ```
///
/// Values are compared with the answer's string form: `yes` / `no` / `not_applicable`, or an
/// option key. For a multiple-choice item `equals` means "is among the chosen", `not_equals`
/// "is not among them" and `one_of` "at least one of them is chosen".
///
/// A condition on an item that is unanswered, or hidden (whose answer therefore does not
/// count), is false whatever the operator: "show the boiler questions unless the answer is no"
/// shows them only once the question has been answered.
// No OpenAPI schema of its own: it is recursive and its JSON is `RawCondition`'s; the fields
// that hold one are documented as free-form objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCondition", into = "RawCondition")]
pub enum Condition {
    Equals { item: String, value: String },
    NotEquals { item: String, value: String },
    OneOf { item: String, values: Vec<String> },
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

impl Condition {
    pub fn equals(item: &str, value: &str) -> Self {
        Self::Equals {
            item: item.to_owned(),
            value: value.to_owned(),
        }
    }

    /// Whether the condition holds, given the answer of each item it refers to (`None` for an
    /// item that is unanswered or hidden).
    pub fn holds<'a>(&self, answer_of: &dyn Fn(&str) -> Option<&'a AnswerValue>) -> bool {
        match self {
            Self::Equals { item, value } => answer_of(item)
                .and_then(comparable)
                .is_some_and(|given| given.contains(&value.as_str())),
            Self::NotEquals { item, value } => answer_of(item)
                .and_then(comparable)
                .is_some_and(|given| !given.contains(&value.as_str())),
            Self::OneOf { item, values } => answer_of(item)
                .and_then(comparable)
                .is_some_and(|given| given.iter().any(|g| values.iter().any(|v| v == g))),
            Self::All(conditions) => conditions.iter().all(|c| c.holds(answer_of)),
            Self::Any(conditions) => conditions.iter().any(|c| c.holds(answer_of)),
        }
    }

    /// Every (item key, compared value) leaf, for the template check.
    pub fn leaves(&self) -> Vec<(&str, Vec<&str>)> {
        match self {
            Self::Equals { item, value } | Self::NotEquals { item, value } => {
                vec![(item.as_str(), vec![value.as_str()])]
            }
            Self::OneOf { item, values } => {
                vec![(item.as_str(), values.iter().map(String::as_str).collect())]
            }
            Self::All(conditions) | Self::Any(conditions) => {
                conditions.iter().flat_map(Condition::leaves).collect()
            }
        }
    }

    /// `all`/`any` groups with nothing in them (always true / always false, surely a mistake).
    pub fn has_empty_group(&self) -> bool {
        match self {
            Self::All(conditions) | Self::Any(conditions) => {
                conditions.is_empty() || conditions.iter().any(Condition::has_empty_group)
            }
            _ => false,
        }
    }
}

/// The string form(s) of an answer that conditions compare; `None` for kinds that cannot be
/// compared (the template check forbids conditions on them).
fn comparable(value: &AnswerValue) -> Option<Vec<&str>> {
    match value {
        AnswerValue::YesNo(answer) => Some(vec![answer.as_str()]),
        AnswerValue::Choice(key) => Some(vec![key.as_str()]),
        AnswerValue::Choices(keys) => Some(keys.iter().map(String::as_str).collect()),
        _ => None,
    }
}

/// The JSON form: one object whose fields say which condition it is.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    equals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_equals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any: Option<Vec<Condition>>,
}

impl TryFrom<RawCondition> for Condition {
    type Error = String;

    fn try_from(raw: RawCondition) -> Result<Self, Self::Error> {
        const SHAPES: &str = "a condition is {\"item\", and one of \"equals\", \"not_equals\", \
                              \"one_of\"}, or {\"all\": [...]}, or {\"any\": [...]}";
        match raw {
            RawCondition {
                item: Some(item),
                equals,
                not_equals,
                one_of,
                all: None,
                any: None,
            } => match (equals, not_equals, one_of) {
                (Some(value), None, None) => Ok(Self::Equals { item, value }),
                (None, Some(value), None) => Ok(Self::NotEquals { item, value }),
                (None, None, Some(values)) => Ok(Self::OneOf { item, values }),
                _ => Err(SHAPES.to_owned()),
            },
            RawCondition {
                item: None,
                equals: None,
                not_equals: None,
                one_of: None,
                all,
                any,
            } => match (all, any) {
                (Some(conditions), None) => Ok(Self::All(conditions)),
                (None, Some(conditions)) => Ok(Self::Any(conditions)),
                _ => Err(SHAPES.to_owned()),
            },
            _ => Err(SHAPES.to_owned()),
        }
    }
}

impl From<Condition> for RawCondition {
    fn from(condition: Condition) -> Self {
        match condition {
            Condition::Equals { item, value } => Self {
                item: Some(item),
                equals: Some(value),
                ..Self::default()
            },
            Condition::NotEquals { item, value } => Self {
                item: Some(item),
                not_equals: Some(value),
                ..Self::default()
            },
            Condition::OneOf { item, values } => Self {
                item: Some(item),
                one_of: Some(values),
                ..Self::default()
            },
            Condition::All(conditions) => Self {
                all: Some(conditions),
                ..Self::default()
            },
            Condition::Any(conditions) => Self {
                any: Some(conditions),
                ..Self::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::YesNo;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<Condition, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn each_form_round_trips_through_json() {
        for value in [
            json!({"item": "a", "equals": "yes"}),
            json!({"item": "a", "not_equals": "no"}),
            json!({"item": "a", "one_of": ["x", "y"]}),
            json!({"all": [{"item": "a", "equals": "yes"}, {"any": [{"item": "b", "equals": "x"}]}]}),
        ] {
            let condition = parse(value.clone()).unwrap();
            assert_eq!(serde_json::to_value(&condition).unwrap(), value);
        }
    }

    #[test]
    fn ambiguous_or_incomplete_forms_are_rejected() {
        assert!(parse(json!({"item": "a"})).is_err());
        assert!(parse(json!({"item": "a", "equals": "yes", "not_equals": "no"})).is_err());
        assert!(parse(json!({"equals": "yes"})).is_err());
        assert!(parse(json!({"item": "a", "equals": "yes", "all": []})).is_err());
        assert!(parse(json!({"item": "a", "equal": "yes"})).is_err());
    }

    #[test]
    fn operators_compare_the_answer() {
        let yes = AnswerValue::YesNo(YesNo::Yes);
        let chosen = AnswerValue::Choices(vec!["noise".into(), "dust".into()]);
        let answer_of = |key: &str| match key {
            "boiler" => Some(&yes),
            "hazards" => Some(&chosen),
            _ => None,
        };
        let holds = |value| parse(value).unwrap().holds(&answer_of);
        assert!(holds(json!({"item": "boiler", "equals": "yes"})));
        assert!(!holds(json!({"item": "boiler", "equals": "no"})));
        assert!(holds(json!({"item": "boiler", "not_equals": "no"})));
        assert!(!holds(json!({"item": "boiler", "not_equals": "yes"})));
        assert!(holds(json!({"item": "boiler", "one_of": ["no", "yes"]})));
        assert!(!holds(
            json!({"item": "boiler", "one_of": ["no", "not_applicable"]})
        ));
        assert!(holds(json!({"item": "hazards", "equals": "dust"})));
        assert!(!holds(json!({"item": "hazards", "not_equals": "dust"})));
        assert!(holds(
            json!({"item": "hazards", "one_of": ["heat", "noise"]})
        ));
        assert!(holds(json!({"all": [{"item": "boiler", "equals": "yes"},
                                     {"item": "hazards", "equals": "noise"}]})));
        assert!(!holds(json!({"all": [{"item": "boiler", "equals": "yes"},
                                      {"item": "hazards", "equals": "heat"}]})));
        assert!(holds(json!({"any": [{"item": "boiler", "equals": "no"},
                                     {"item": "hazards", "equals": "noise"}]})));
        assert!(!holds(json!({"any": [{"item": "boiler", "equals": "no"},
                                      {"item": "hazards", "equals": "heat"}]})));
    }

    #[test]
    fn a_condition_on_an_unanswered_item_is_false_for_every_operator() {
        let answer_of = |_: &str| None;
        for value in [
            json!({"item": "x", "equals": "yes"}),
            json!({"item": "x", "not_equals": "yes"}),
            json!({"item": "x", "one_of": ["yes", "no"]}),
        ] {
            assert!(!parse(value).unwrap().holds(&answer_of));
        }
    }
}
