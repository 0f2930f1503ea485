//! A small template that exercises every kind, condition and repeat rule, for the unit tests.

use uuid::Uuid;

use crate::answers::{Answer, AnswerValue, Answers, InstanceAnswers, YesNo};
use crate::condition::Condition;
use crate::finite::Finite;
use crate::measurement::{ExposureLimit, Measurement, MeasurementSpec, Quantity, Unit};
use crate::template::{
    ChoiceOption, Item, ItemKind, Label, Repeat, Section, Severity, TemplateSchema,
};

pub fn label(text: &str) -> Label {
    Label::new(text, text)
}

pub fn finite(value: f64) -> Option<Finite> {
    Finite::new(value)
}

pub fn section(key: &str, items: Vec<Item>) -> Section {
    Section {
        key: key.into(),
        title: label(key),
        repeat: None,
        visible_if: None,
        items,
    }
}

pub fn options(keys: &[&str]) -> Vec<ChoiceOption> {
    keys.iter().map(|k| ChoiceOption::new(k, k, k)).collect()
}

pub fn noise_spec() -> MeasurementSpec {
    let row = |minutes, max| ExposureLimit {
        minutes,
        max: Finite::new(max).unwrap(),
    };
    MeasurementSpec {
        quantity: Quantity::NoiseLaeq,
        unit: Unit::Dba,
        limit_min: None,
        limit_max: finite(85.0),
        exposure_limits: vec![row(480, 85.0), row(240, 88.0), row(60, 94.0)],
        legal_reference: "QCVN 24:2016/BYT".into(),
        note: None,
    }
}

/// Sections: 0 `site` (every kind), 1 `workshops` (repeated 1..=2, noise shown on production
/// floors), 2 `boiler` (shown when `a.boiler` is yes).
pub fn schema() -> TemplateSchema {
    let item = |key: &str, kind| Item::new(key, label(key), kind);
    TemplateSchema {
        sections: vec![
            section(
                "site",
                vec![
                    Item {
                        required: true,
                        allows_photos: true,
                        evidence_required_if: Some(Condition::equals("a.guards", "no")),
                        severity: Some(Severity::Major),
                        legal_basis: Some("Luật An toàn, vệ sinh lao động 2015".into()),
                        ..item(
                            "a.guards",
                            ItemKind::YesNo {
                                compliant_answer: Some(YesNo::Yes),
                            },
                        )
                    },
                    item(
                        "a.boiler",
                        ItemKind::YesNo {
                            compliant_answer: None,
                        },
                    ),
                    Item {
                        required: true,
                        visible_if: Some(Condition::equals("a.boiler", "yes")),
                        ..item(
                            "a.boiler_registered",
                            ItemKind::YesNo {
                                compliant_answer: None,
                            },
                        )
                    },
                    Item {
                        visible_if: Some(Condition::equals("a.boiler_registered", "yes")),
                        ..item("a.registered_on", ItemKind::Date)
                    },
                    item(
                        "a.workers",
                        ItemKind::Number {
                            min: finite(0.0),
                            max: finite(10_000.0),
                            unit: None,
                            integer: true,
                        },
                    ),
                    item(
                        "a.note",
                        ItemKind::Text {
                            max_length: Some(10),
                            multiline: false,
                        },
                    ),
                    item(
                        "a.kind",
                        ItemKind::SingleChoice {
                            options: options(&["x", "y"]),
                        },
                    ),
                    item(
                        "a.hazards",
                        ItemKind::MultipleChoice {
                            options: options(&["noise", "dust", "heat"]),
                            min_selected: None,
                            max_selected: Some(2),
                        },
                    ),
                    item(
                        "a.photos",
                        ItemKind::Photo {
                            min: 1,
                            max: Some(2),
                        },
                    ),
                    item("a.signature", ItemKind::Signature),
                    item("a.gps", ItemKind::Gps),
                ],
            ),
            Section {
                repeat: Some(Repeat {
                    min: 1,
                    max: 2,
                    label: label("workshop"),
                }),
                ..section(
                    "workshops",
                    vec![
                        Item {
                            required: true,
                            ..item(
                                "w.name",
                                ItemKind::Text {
                                    max_length: None,
                                    multiline: false,
                                },
                            )
                        },
                        item(
                            "w.area",
                            ItemKind::SingleChoice {
                                options: options(&["production", "office"]),
                            },
                        ),
                        Item {
                            visible_if: Some(Condition::equals("w.area", "production")),
                            severity: Some(Severity::Major),
                            ..item("w.noise", ItemKind::Measurement(noise_spec()))
                        },
                    ],
                )
            },
            Section {
                visible_if: Some(Condition::equals("a.boiler", "yes")),
                ..section(
                    "boiler",
                    vec![Item {
                        required: true,
                        ..item(
                            "b.pressure",
                            ItemKind::Number {
                                min: None,
                                max: None,
                                unit: None,
                                integer: false,
                            },
                        )
                    }],
                )
            },
        ],
    }
}

pub fn yes_no(value: YesNo) -> Answer {
    Answer::new(AnswerValue::YesNo(value))
}

pub fn text(value: &str) -> Answer {
    Answer::new(AnswerValue::Text(value.into()))
}

pub fn choice(key: &str) -> Answer {
    Answer::new(AnswerValue::Choice(key.into()))
}

pub fn noise(value: f64, exposure_minutes: Option<u32>) -> Answer {
    Answer::new(AnswerValue::Measurement(Measurement {
        value,
        unit: Unit::Dba,
        instrument: "Rion NL-42 #00123".into(),
        measured_at: "2026-11-23T09:00:00Z".parse().unwrap(),
        exposure_minutes,
    }))
}

pub fn workshop(name: &str, area: &str, noise_answer: Option<Answer>) -> InstanceAnswers {
    let mut instance = InstanceAnswers::new();
    instance.insert("w.name".into(), text(name));
    instance.insert("w.area".into(), choice(area));
    if let Some(answer) = noise_answer {
        instance.insert("w.noise".into(), answer);
    }
    instance
}

pub fn photo() -> Uuid {
    Uuid::new_v4()
}

/// The least that is valid: guards answered yes, one office workshop.
pub fn minimal_answers() -> Answers {
    let mut answers = Answers::new();
    answers.set("a.guards", yes_no(YesNo::Yes));
    answers.push_instance("workshops", workshop("Văn phòng", "office", None));
    answers
}
