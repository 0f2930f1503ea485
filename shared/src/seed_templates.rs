//! The templates a new installation starts with, kept as JSON data under `shared/templates/`
//! (the same JSON an agency would publish): an OSH site checklist, a pre-inspection
//! questionnaire and a self-inspection checklist. Their legal bases were written from memory of
//! the texts and must be checked by the agency before publishing; the dust and vibration items
//! have no limits until the agency enters them.

use serde::{Deserialize, Serialize};

use crate::template::{Label, TemplateKind, TemplateSchema};

/// A template to publish as version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SeedTemplate {
    /// Stable code of the template across versions, e.g. `osh-site-checklist`.
    pub code: String,
    pub kind: TemplateKind,
    pub name: Label,
    pub schema: TemplateSchema,
}

/// The JSON text of each seed template.
pub const SEED_JSON: [(&str, &str); 3] = [
    (
        "osh-site-checklist",
        include_str!("../templates/osh-site-checklist.json"),
    ),
    (
        "pre-inspection-questionnaire",
        include_str!("../templates/pre-inspection-questionnaire.json"),
    ),
    (
        "self-inspection-checklist",
        include_str!("../templates/self-inspection-checklist.json"),
    ),
];

/// Parses the seed templates. The tests below parse and check every one, so an error here
/// means the files were changed without running them.
pub fn seed_templates() -> Result<Vec<SeedTemplate>, serde_json::Error> {
    SEED_JSON
        .iter()
        .map(|(_, json)| serde_json::from_str(json))
        .collect()
}

/// The OSH site checklist (phiếu kiểm tra hiện trường ATVSLĐ).
pub fn osh_site_checklist() -> Result<SeedTemplate, serde_json::Error> {
    serde_json::from_str(SEED_JSON[0].1)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::answers::{Answer, AnswerValue, Answers, InstanceAnswers, YesNo};
    use crate::compliance::compliance;
    use crate::measurement::{Measurement, MeasurementSpec, Quantity, Unit};
    use crate::template::{Item, ItemKind, Severity};
    use crate::validate::validate;

    fn site() -> SeedTemplate {
        osh_site_checklist().unwrap()
    }

    fn spec<'a>(template: &'a SeedTemplate, key: &str) -> &'a MeasurementSpec {
        match &template.schema.item(key).unwrap().kind {
            ItemKind::Measurement(spec) => spec,
            other => panic!("{key} is {}", other.type_name()),
        }
    }

    fn limits(spec: &MeasurementSpec) -> (Option<f64>, Option<f64>) {
        (
            spec.limit_min.map(|l| l.get()),
            spec.limit_max.map(|l| l.get()),
        )
    }

    fn keys(template: &SeedTemplate) -> HashSet<&str> {
        template
            .schema
            .items()
            .map(|l| l.item.key.as_str())
            .collect()
    }

    #[test]
    fn every_seed_template_parses_and_passes_the_publishing_check() {
        let templates = seed_templates().unwrap();
        assert_eq!(templates.len(), SEED_JSON.len());
        for (template, (code, _)) in templates.iter().zip(SEED_JSON) {
            assert_eq!(template.code, code);
            assert_eq!(template.schema.check(), Ok(()), "{code}");
        }
    }

    #[test]
    fn there_is_one_seed_template_of_each_kind() {
        let kinds: Vec<TemplateKind> = seed_templates().unwrap().iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TemplateKind::SiteChecklist,
                TemplateKind::Questionnaire,
                TemplateKind::SelfInspection
            ]
        );
    }

    #[test]
    fn seed_templates_survive_a_json_round_trip() {
        for template in seed_templates().unwrap() {
            let json = serde_json::to_string(&template).unwrap();
            assert_eq!(
                serde_json::from_str::<SeedTemplate>(&json).unwrap(),
                template
            );
        }
    }

    #[test]
    fn the_site_checklist_starts_with_the_demo_item() {
        let site = site();
        let first: &Item = &site.schema.sections[0].items[0];
        assert_eq!(first.key, "osh.machine_guards");
        assert!(matches!(
            first.kind,
            ItemKind::YesNo {
                compliant_answer: Some(YesNo::Yes)
            }
        ));
        assert!(first.required && first.allows_photos);
        assert!(site.schema.item("osh.fire_extinguishers").is_some());
    }

    #[test]
    fn the_demo_submission_still_validates() {
        let mut answers = Answers::new();
        answers
            .set(
                "osh.machine_guards",
                Answer::new(AnswerValue::YesNo(YesNo::No)),
            )
            .set(
                "osh.fire_extinguishers",
                Answer::new(AnswerValue::YesNo(YesNo::Yes)),
            );
        assert_eq!(validate(&site().schema, &answers), Ok(()));
    }

    #[test]
    fn noise_limits_are_those_of_qcvn_24_2016() {
        let site = site();
        let laeq = spec(&site, "workshop.noise_laeq");
        assert_eq!(laeq.quantity, Quantity::NoiseLaeq);
        assert_eq!(laeq.unit, Unit::Dba);
        assert_eq!(limits(laeq), (None, Some(85.0)));
        let table: Vec<(u32, f64)> = laeq
            .exposure_limits
            .iter()
            .map(|row| (row.minutes, row.max.get()))
            .collect();
        assert_eq!(
            table,
            [
                (480, 85.0),
                (240, 88.0),
                (120, 91.0),
                (60, 94.0),
                (30, 97.0),
                (15, 100.0)
            ]
        );
        for (key, max) in [
            ("workshop.noise_peak", 115.0),
            ("workshop.noise_office", 65.0),
            ("workshop.noise_design_lab", 55.0),
        ] {
            assert_eq!(limits(spec(&site, key)), (None, Some(max)), "{key}");
        }
        for key in [
            "workshop.noise_laeq",
            "workshop.noise_peak",
            "workshop.noise_office",
        ] {
            assert_eq!(spec(&site, key).legal_reference, "QCVN 24:2016/BYT");
        }
    }

    #[test]
    fn lighting_minimums_are_those_of_qcvn_22_2016() {
        let site = site();
        for (key, min) in [
            ("workshop.illuminance_corridor_storage", 100.0),
            ("workshop.illuminance_stairs_canteen", 150.0),
            ("workshop.illuminance_washroom", 200.0),
            ("workshop.illuminance_packing", 300.0),
            ("workshop.illuminance_medical", 500.0),
        ] {
            let spec = spec(&site, key);
            assert_eq!(
                (spec.unit.clone(), limits(spec)),
                (Unit::Lux, (Some(min), None)),
                "{key}"
            );
            assert_eq!(spec.legal_reference, "QCVN 22:2016/BYT");
        }
    }

    #[test]
    fn microclimate_limits_are_those_of_qcvn_26_2016() {
        let site = site();
        for (key, unit, min, max) in [
            ("workshop.temperature_light", Unit::Celsius, 20.0, 34.0),
            ("workshop.temperature_medium", Unit::Celsius, 18.0, 32.0),
            ("workshop.temperature_heavy", Unit::Celsius, 16.0, 30.0),
            ("workshop.humidity", Unit::Percent, 40.0, 80.0),
            ("workshop.air_speed_light", Unit::MetrePerSecond, 0.1, 1.5),
            ("workshop.air_speed_medium", Unit::MetrePerSecond, 0.2, 1.5),
            ("workshop.air_speed_heavy", Unit::MetrePerSecond, 0.3, 1.5),
        ] {
            let spec = spec(&site, key);
            assert_eq!(
                (spec.unit.clone(), limits(spec)),
                (unit, (Some(min), Some(max))),
                "{key}"
            );
            assert_eq!(spec.legal_reference, "QCVN 26:2016/BYT");
        }
    }

    #[test]
    fn dust_and_vibration_limits_are_left_for_the_agency() {
        let site = site();
        for (key, reference) in [
            ("workshop.dust_total", "QCVN 02:2019/BYT"),
            ("workshop.dust_respirable", "QCVN 02:2019/BYT"),
            ("workshop.vibration_hand_arm", "QCVN 27:2016/BYT"),
            ("workshop.vibration_whole_body", "QCVN 27:2016/BYT"),
        ] {
            let spec = spec(&site, key);
            assert_eq!(limits(spec), (None, None), "{key}");
            assert!(spec.exposure_limits.is_empty(), "{key}");
            assert!(spec.note.is_some(), "{key}");
            assert_eq!(spec.legal_reference, reference);
        }
    }

    #[test]
    fn site_checklist_yes_no_items_require_a_photo_of_a_no() {
        let site = site();
        let with_photo_rule: Vec<&str> = site
            .schema
            .items()
            .filter(|l| {
                l.item.evidence_required_if
                    == Some(crate::condition::Condition::equals(&l.item.key, "no"))
            })
            .map(|l| l.item.key.as_str())
            .collect();
        for key in [
            "osh.strict_equipment_inspected",
            "osh.ppe_provided",
            "osh.fire_extinguishers",
            "workshop.warning_signs",
        ] {
            assert!(with_photo_rule.contains(&key), "{key}");
        }
    }

    #[test]
    fn the_workshop_section_repeats() {
        let site = site();
        let workshops = site.schema.section("workshops").unwrap();
        let repeat = workshops.repeat.as_ref().unwrap();
        assert_eq!((repeat.min, repeat.max), (0, 30));
        assert!(
            workshops
                .items
                .iter()
                .all(|i| i.key.starts_with("workshop."))
        );
    }

    /// A workshop on a production floor, measured at 8 h 90 dBA and 25 °C in light work.
    fn noisy_workshop() -> InstanceAnswers {
        let measured = |value: f64, unit: Unit, exposure_minutes| {
            Answer::new(AnswerValue::Measurement(Measurement {
                value,
                unit,
                instrument: "Rion NL-42 #00123".into(),
                measured_at: "2026-11-23T09:00:00Z".parse().unwrap(),
                exposure_minutes,
            }))
        };
        let mut workshop = InstanceAnswers::new();
        for (key, answer) in [
            (
                "workshop.name",
                Answer::new(AnswerValue::Text("Xưởng dập".into())),
            ),
            (
                "workshop.area_type",
                Answer::new(AnswerValue::Choice("production".into())),
            ),
            (
                "workshop.work_intensity",
                Answer::new(AnswerValue::Choice("light".into())),
            ),
            ("workshop.noise_laeq", measured(90.0, Unit::Dba, Some(480))),
            (
                "workshop.temperature_light",
                measured(25.0, Unit::Celsius, None),
            ),
            (
                "workshop.dust_total",
                measured(3.2, Unit::MilligramPerCubicMetre, None),
            ),
        ] {
            workshop.insert(key.into(), answer);
        }
        workshop
    }

    #[test]
    fn a_site_visit_validates_and_its_non_compliances_are_found() {
        let site = site();
        let mut answers = Answers::new();
        answers.set(
            "osh.machine_guards",
            Answer::new(AnswerValue::YesNo(YesNo::Yes)),
        );
        answers.set(
            "osh.ppe_worn",
            Answer::with_photos(AnswerValue::YesNo(YesNo::No), vec![uuid::Uuid::new_v4()]),
        );
        answers.push_instance("workshops", noisy_workshop());
        assert_eq!(validate(&site.schema, &answers), Ok(()));

        let found = compliance(&site.schema, &answers);
        let summary: Vec<(&str, Option<usize>, Option<Severity>)> = found
            .iter()
            .map(|f| (f.item_key.as_str(), f.instance, f.severity))
            .collect();
        assert_eq!(
            summary,
            [
                ("osh.ppe_worn", None, Some(Severity::Major)),
                ("workshop.noise_laeq", Some(0), Some(Severity::Major)),
            ]
        );
        assert_eq!(found[1].legal_basis.as_deref(), Some("QCVN 24:2016/BYT"));
    }

    #[test]
    fn a_no_without_a_photo_is_rejected_on_site() {
        let mut answers = Answers::new();
        answers
            .set(
                "osh.machine_guards",
                Answer::new(AnswerValue::YesNo(YesNo::Yes)),
            )
            .set("osh.ppe_worn", Answer::new(AnswerValue::YesNo(YesNo::No)));
        let errors = validate(&site().schema, &answers).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "sections[1].items[1].photos");
        assert_eq!(errors[0].code, "evidence_required");
    }

    #[test]
    fn the_questionnaire_asks_for_each_group_of_workers() {
        let questionnaire = seed_templates().unwrap().remove(1);
        let keys = keys(&questionnaire);
        for key in [
            "workforce.total",
            "workforce.women",
            "workforce.minors",
            "workforce.older",
            "workforce.disabled",
            "workforce.foreign",
            "contract.indefinite",
            "insurance.social",
            "org.osh_unit",
        ] {
            assert!(keys.contains(key), "{key}");
        }
    }

    #[test]
    fn the_self_inspection_checklist_covers_parts_i_ii_and_iii() {
        let checklist = seed_templates().unwrap().remove(2);
        let sections: Vec<&str> = checklist
            .schema
            .sections
            .iter()
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(
            sections,
            [
                "general",
                "reporting",
                "recruitment_training",
                "contracts",
                "dialogue",
                "wages",
                "working_time",
                "discipline",
                "insurance",
                "osh",
                "special_groups",
                "violations",
                "confirmation",
            ]
        );
        let keys = keys(&checklist);
        for key in [
            "osh.training",
            "osh.risk_assessment",
            "osh.environment_monitoring",
            "osh.strict_equipment",
            "osh.ppe",
            "osh.health_checks",
            "osh.accidents",
            "special.work_permits",
            "violation.deadline",
        ] {
            assert!(keys.contains(key), "{key}");
        }
        assert!(
            checklist
                .schema
                .section("violations")
                .unwrap()
                .repeat
                .is_some()
        );
    }
}
