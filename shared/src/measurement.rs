//! Measurements (kết quả đo) and their comparison with the legal limit on the spot.
//!
//! The limit is data of the template item ([`MeasurementSpec`]): quantity, unit, min and/or max,
//! the legal reference and, for noise, a table of limits by exposure time. Nothing here holds a
//! limit value: an agency edits limits by publishing a new template version.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::finite::Finite;
use crate::template::{Item, ItemKind, Label};

/// What is measured. Stored as a snake_case string code; a code not listed here is kept as
/// [`Quantity::Other`] so that an agency can add a quantity without a software release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "String", into = "String")]
pub enum Quantity {
    /// Equivalent continuous A-weighted sound level (LAeq).
    NoiseLaeq,
    /// Peak sound level.
    NoisePeak,
    Illuminance,
    /// Air temperature.
    Temperature,
    RelativeHumidity,
    AirSpeed,
    DustTotal,
    DustRespirable,
    VibrationHandArm,
    VibrationWholeBody,
    /// Concentration of a gas or vapour; the item label names the substance.
    Gas,
    Other(String),
}

impl Quantity {
    const KNOWN: [(Quantity, &'static str); 11] = [
        (Quantity::NoiseLaeq, "noise_laeq"),
        (Quantity::NoisePeak, "noise_peak"),
        (Quantity::Illuminance, "illuminance"),
        (Quantity::Temperature, "temperature"),
        (Quantity::RelativeHumidity, "relative_humidity"),
        (Quantity::AirSpeed, "air_speed"),
        (Quantity::DustTotal, "dust_total"),
        (Quantity::DustRespirable, "dust_respirable"),
        (Quantity::VibrationHandArm, "vibration_hand_arm"),
        (Quantity::VibrationWholeBody, "vibration_whole_body"),
        (Quantity::Gas, "gas"),
    ];

    pub fn code(&self) -> &str {
        match self {
            Quantity::Other(code) => code,
            known => Self::KNOWN
                .iter()
                .find(|(q, _)| q == known)
                .map_or("", |(_, code)| code),
        }
    }

    /// The units this quantity is measured in; empty for [`Quantity::Other`] (anything goes).
    /// [`crate::template::TemplateSchema::check`] uses it to catch a noise item in lux.
    pub fn units(&self) -> &'static [Unit] {
        match self {
            Quantity::NoiseLaeq | Quantity::NoisePeak => &[Unit::Dba],
            Quantity::Illuminance => &[Unit::Lux],
            Quantity::Temperature => &[Unit::Celsius],
            Quantity::RelativeHumidity => &[Unit::Percent],
            Quantity::AirSpeed => &[Unit::MetrePerSecond],
            Quantity::DustTotal | Quantity::DustRespirable => &[Unit::MilligramPerCubicMetre],
            Quantity::VibrationHandArm | Quantity::VibrationWholeBody => {
                &[Unit::MetrePerSecondSquared]
            }
            Quantity::Gas => &[Unit::MilligramPerCubicMetre, Unit::Ppm],
            Quantity::Other(_) => &[],
        }
    }
}

impl From<String> for Quantity {
    fn from(code: String) -> Self {
        Self::KNOWN
            .iter()
            .find(|(_, known)| *known == code)
            .map_or(Quantity::Other(code), |(q, _)| q.clone())
    }
}

impl From<Quantity> for String {
    fn from(q: Quantity) -> Self {
        q.code().to_owned()
    }
}

/// A unit of measurement, written in JSON as its symbol (`dBA`, `lx`, `°C`, `%`, `m/s`,
/// `mg/m³`, `m/s²`, `ppm`). Common spellings are accepted and normalised (`dB(A)`, `lux`,
/// `oC` as Vietnamese documents write it, `mg/m3`, `%RH`); anything else is kept as
/// [`Unit::Other`] and only ever equals the same text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "String", into = "String")]
pub enum Unit {
    Dba,
    Lux,
    Celsius,
    Percent,
    MetrePerSecond,
    MilligramPerCubicMetre,
    MetrePerSecondSquared,
    Ppm,
    Other(String),
}

impl Unit {
    pub fn symbol(&self) -> &str {
        match self {
            Unit::Dba => "dBA",
            Unit::Lux => "lx",
            Unit::Celsius => "°C",
            Unit::Percent => "%",
            Unit::MetrePerSecond => "m/s",
            Unit::MilligramPerCubicMetre => "mg/m³",
            Unit::MetrePerSecondSquared => "m/s²",
            Unit::Ppm => "ppm",
            Unit::Other(symbol) => symbol,
        }
    }

    /// Reads a unit symbol, accepting the usual alternative spellings.
    pub fn parse(symbol: &str) -> Unit {
        let symbol = symbol.trim();
        match symbol {
            "dBA" | "dB(A)" | "dBa" | "dba" => Unit::Dba,
            "lx" | "lux" | "Lux" => Unit::Lux,
            "°C" | "oC" | "ºC" | "degC" => Unit::Celsius,
            "%" | "%RH" => Unit::Percent,
            "m/s" => Unit::MetrePerSecond,
            "mg/m³" | "mg/m3" => Unit::MilligramPerCubicMetre,
            "m/s²" | "m/s2" => Unit::MetrePerSecondSquared,
            "ppm" => Unit::Ppm,
            other => Unit::Other(other.to_owned()),
        }
    }
}

impl From<String> for Unit {
    fn from(symbol: String) -> Self {
        Unit::parse(&symbol)
    }
}

impl From<Unit> for String {
    fn from(unit: Unit) -> Self {
        unit.symbol().to_owned()
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// One row of an exposure-time table: for an exposure of up to `minutes` in a shift, the
/// measured value must not exceed `max` (QCVN 24:2016/BYT for noise: 480 min 85 dBA, 240 min
/// 88, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExposureLimit {
    pub minutes: u32,
    pub max: Finite,
}

/// The limit of a measurement item, as data of the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasurementSpec {
    pub quantity: Quantity,
    pub unit: Unit,
    /// Lowest compliant value (illuminance minimums, temperature ranges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_min: Option<Finite>,
    /// Highest compliant value. With an exposure table it is the limit used when no exposure
    /// time is given, so it should be the full-shift row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_max: Option<Finite>,
    /// Maximum by exposure time. The row applied is the one with the shortest duration that is
    /// at least the exposure: an exposure between two rows gets the stricter limit of the
    /// longer one, never an interpolation that the standard does not give.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposure_limits: Vec<ExposureLimit>,
    /// The standard that sets the limit, e.g. `QCVN 24:2016/BYT`.
    pub legal_reference: String,
    /// A note for the agency or the inspector (e.g. "limits not yet entered").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Label>,
}

/// A measurement as the inspector records it (the answer to a measurement item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    pub value: f64,
    pub unit: Unit,
    /// The instrument used: type and serial number, as written on its calibration certificate.
    pub instrument: String,
    pub measured_at: DateTime<Utc>,
    /// Minutes per shift the workers are exposed, where the limit depends on it (noise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_minutes: Option<u32>,
}

/// How a measurement compares with its limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    /// Within the limits; a value equal to a limit is compliant.
    pub compliant: bool,
    pub limit_min: Option<f64>,
    /// The maximum applied: from the exposure table when one was used.
    pub limit_max: Option<f64>,
    /// The exposure-table row applied (its `minutes`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_row_minutes: Option<u32>,
    /// How far outside the limits the value is; `None` when compliant.
    pub deviation: Option<Deviation>,
    pub unit: Unit,
    pub legal_reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Below the minimum.
    Below,
    /// Above the maximum.
    Above,
}

/// Distance from the limit that was not met. Rounded to 6 decimals so that `85.1 - 85` reads
/// `0.1`. The percentage is of the limit itself; for decibels, a logarithmic unit, it is only a
/// ranking aid and `amount` is what the standard speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deviation {
    pub direction: Direction,
    /// Always positive, in the item's unit.
    pub amount: f64,
    /// `amount` as a percentage of the limit; `None` when the limit is 0.
    pub percent: Option<f64>,
}

/// Why a measurement could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvaluationError {
    /// The item is not a measurement item.
    NotAMeasurement { item: String },
    /// The value is NaN or infinite.
    NotFinite,
    /// The measurement is in another unit than the item; no conversion is attempted.
    UnitMismatch { expected: Unit, found: Unit },
    /// An exposure of 0 minutes.
    ZeroExposure,
    /// The exposure is longer than the longest row of the item's table, which therefore gives
    /// no limit for it (an agency may add a row).
    ExposureBeyondTable { minutes: u32, longest: u32 },
    /// The item has no limit to compare with (dust and vibration until an agency enters them).
    NoLimit,
}

impl fmt::Display for EvaluationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAMeasurement { item } => write!(f, "Item {item:?} is not a measurement."),
            Self::NotFinite => f.write_str("The measured value is not a finite number."),
            Self::UnitMismatch { expected, found } => write!(
                f,
                "The measurement is in {found}, but this item is measured in {expected}."
            ),
            Self::ZeroExposure => f.write_str("The exposure time must be at least 1 minute."),
            Self::ExposureBeyondTable { minutes, longest } => write!(
                f,
                "An exposure of {minutes} min is longer than the item's exposure table \
                 (up to {longest} min), which gives no limit for it."
            ),
            Self::NoLimit => f.write_str("This item has no limit to compare with."),
        }
    }
}

impl std::error::Error for EvaluationError {}

/// Compares a measurement with the limit of a measurement item.
pub fn evaluate(item: &Item, measurement: &Measurement) -> Result<Evaluation, EvaluationError> {
    match &item.kind {
        ItemKind::Measurement(spec) => spec.evaluate(measurement),
        _ => Err(EvaluationError::NotAMeasurement {
            item: item.key.clone(),
        }),
    }
}

impl MeasurementSpec {
    /// The maximum that applies to an exposure time, and the table row it came from.
    pub fn max_for_exposure(
        &self,
        exposure_minutes: Option<u32>,
    ) -> Result<(Option<f64>, Option<u32>), EvaluationError> {
        let (Some(minutes), false) = (exposure_minutes, self.exposure_limits.is_empty()) else {
            return Ok((self.limit_max.map(Finite::get), None));
        };
        if minutes == 0 {
            return Err(EvaluationError::ZeroExposure);
        }
        match self
            .exposure_limits
            .iter()
            .filter(|row| row.minutes >= minutes)
            .min_by_key(|row| row.minutes)
        {
            Some(row) => Ok((Some(row.max.get()), Some(row.minutes))),
            None => Err(EvaluationError::ExposureBeyondTable {
                minutes,
                longest: self
                    .exposure_limits
                    .iter()
                    .map(|row| row.minutes)
                    .max()
                    .unwrap_or(0),
            }),
        }
    }

    /// Compares a measurement with this limit. See [`evaluate`].
    pub fn evaluate(&self, measurement: &Measurement) -> Result<Evaluation, EvaluationError> {
        if !measurement.value.is_finite() {
            return Err(EvaluationError::NotFinite);
        }
        if measurement.unit != self.unit {
            return Err(EvaluationError::UnitMismatch {
                expected: self.unit.clone(),
                found: measurement.unit.clone(),
            });
        }
        let (limit_max, exposure_row_minutes) =
            self.max_for_exposure(measurement.exposure_minutes)?;
        let limit_min = self.limit_min.map(Finite::get);
        if limit_min.is_none() && limit_max.is_none() {
            return Err(EvaluationError::NoLimit);
        }
        let value = measurement.value;
        let deviation = match (limit_min, limit_max) {
            (Some(min), _) if value < min => Some(deviation(Direction::Below, min - value, min)),
            (_, Some(max)) if value > max => Some(deviation(Direction::Above, value - max, max)),
            _ => None,
        };
        Ok(Evaluation {
            compliant: deviation.is_none(),
            limit_min,
            limit_max,
            exposure_row_minutes,
            deviation,
            unit: self.unit.clone(),
            legal_reference: self.legal_reference.clone(),
        })
    }
}

fn deviation(direction: Direction, amount: f64, limit: f64) -> Deviation {
    let round = |x: f64| (x * 1e6).round() / 1e6;
    Deviation {
        direction,
        amount: round(amount),
        percent: (limit != 0.0).then(|| round(amount / limit.abs() * 100.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finite(v: f64) -> Option<Finite> {
        Finite::new(v)
    }

    fn spec(quantity: Quantity, unit: Unit, min: Option<f64>, max: Option<f64>) -> MeasurementSpec {
        MeasurementSpec {
            quantity,
            unit,
            limit_min: min.and_then(finite),
            limit_max: max.and_then(finite),
            exposure_limits: Vec::new(),
            legal_reference: "QCVN".into(),
            note: None,
        }
    }

    /// The QCVN 24:2016/BYT LAeq table, as the seed template holds it.
    fn noise() -> MeasurementSpec {
        let row = |minutes, max| ExposureLimit {
            minutes,
            max: Finite::new(max).unwrap(),
        };
        MeasurementSpec {
            exposure_limits: vec![
                row(480, 85.0),
                row(240, 88.0),
                row(120, 91.0),
                row(60, 94.0),
                row(30, 97.0),
                row(15, 100.0),
            ],
            legal_reference: "QCVN 24:2016/BYT".into(),
            ..spec(Quantity::NoiseLaeq, Unit::Dba, None, Some(85.0))
        }
    }

    fn reading(value: f64, unit: Unit, exposure_minutes: Option<u32>) -> Measurement {
        Measurement {
            value,
            unit,
            instrument: "Rion NL-42 #00123".into(),
            measured_at: "2026-11-23T09:00:00Z".parse().unwrap(),
            exposure_minutes,
        }
    }

    fn compliant(spec: &MeasurementSpec, value: f64, exposure: Option<u32>) -> bool {
        spec.evaluate(&reading(value, spec.unit.clone(), exposure))
            .unwrap()
            .compliant
    }

    #[test]
    fn a_maximum_is_met_at_and_below_it_and_not_above() {
        let peak = spec(Quantity::NoisePeak, Unit::Dba, None, Some(115.0));
        assert!(compliant(&peak, 114.9, None));
        assert!(compliant(&peak, 115.0, None));
        assert!(!compliant(&peak, 115.1, None));
    }

    #[test]
    fn a_minimum_is_met_at_and_above_it_and_not_below() {
        let light = spec(Quantity::Illuminance, Unit::Lux, Some(300.0), None);
        assert!(!compliant(&light, 299.9, None));
        assert!(compliant(&light, 300.0, None));
        assert!(compliant(&light, 300.1, None));
    }

    #[test]
    fn a_range_is_met_at_both_ends() {
        let humidity = spec(
            Quantity::RelativeHumidity,
            Unit::Percent,
            Some(40.0),
            Some(80.0),
        );
        for (value, expected) in [
            (39.9, false),
            (40.0, true),
            (40.1, true),
            (79.9, true),
            (80.0, true),
            (80.1, false),
        ] {
            assert_eq!(compliant(&humidity, value, None), expected, "{value}");
        }
    }

    #[test]
    fn each_exposure_row_is_the_limit_at_its_duration() {
        let noise = noise();
        for (minutes, max) in [
            (480, 85.0),
            (240, 88.0),
            (120, 91.0),
            (60, 94.0),
            (30, 97.0),
            (15, 100.0),
        ] {
            assert!(compliant(&noise, max - 0.1, Some(minutes)), "{minutes}");
            assert!(compliant(&noise, max, Some(minutes)), "{minutes}");
            assert!(!compliant(&noise, max + 0.1, Some(minutes)), "{minutes}");
            let evaluation = noise
                .evaluate(&reading(max, Unit::Dba, Some(minutes)))
                .unwrap();
            assert_eq!(evaluation.limit_max, Some(max));
            assert_eq!(evaluation.exposure_row_minutes, Some(minutes));
        }
    }

    #[test]
    fn an_exposure_between_rows_gets_the_stricter_longer_row() {
        let evaluation = noise()
            .evaluate(&reading(87.0, Unit::Dba, Some(300)))
            .unwrap();
        assert_eq!(evaluation.limit_max, Some(85.0));
        assert_eq!(evaluation.exposure_row_minutes, Some(480));
        assert!(!evaluation.compliant);

        let short = noise()
            .evaluate(&reading(99.0, Unit::Dba, Some(10)))
            .unwrap();
        assert_eq!(short.limit_max, Some(100.0));
        assert!(short.compliant);
    }

    #[test]
    fn without_an_exposure_time_the_item_maximum_applies() {
        let evaluation = noise().evaluate(&reading(86.0, Unit::Dba, None)).unwrap();
        assert_eq!(evaluation.limit_max, Some(85.0));
        assert_eq!(evaluation.exposure_row_minutes, None);
        assert!(!evaluation.compliant);
    }

    #[test]
    fn an_exposure_longer_than_the_table_has_no_limit() {
        assert_eq!(
            noise().evaluate(&reading(80.0, Unit::Dba, Some(600))),
            Err(EvaluationError::ExposureBeyondTable {
                minutes: 600,
                longest: 480
            })
        );
        assert_eq!(
            noise().evaluate(&reading(80.0, Unit::Dba, Some(0))),
            Err(EvaluationError::ZeroExposure)
        );
    }

    #[test]
    fn deviation_is_given_in_the_unit_and_as_a_percent_of_the_limit() {
        let over = noise()
            .evaluate(&reading(88.4, Unit::Dba, Some(480)))
            .unwrap();
        assert_eq!(
            over.deviation,
            Some(Deviation {
                direction: Direction::Above,
                amount: 3.4,
                percent: Some(4.0),
            })
        );
        let dark = spec(Quantity::Illuminance, Unit::Lux, Some(200.0), None)
            .evaluate(&reading(150.0, Unit::Lux, None))
            .unwrap();
        assert_eq!(
            dark.deviation,
            Some(Deviation {
                direction: Direction::Below,
                amount: 50.0,
                percent: Some(25.0),
            })
        );
        assert_eq!(dark.legal_reference, "QCVN");
    }

    #[test]
    fn a_zero_limit_has_no_percentage() {
        let cold = spec(Quantity::Temperature, Unit::Celsius, Some(0.0), None)
            .evaluate(&reading(-2.0, Unit::Celsius, None))
            .unwrap();
        assert_eq!(
            cold.deviation.map(|d| (d.amount, d.percent)),
            Some((2.0, None))
        );
    }

    #[test]
    fn another_unit_is_rejected_not_converted() {
        let light = spec(Quantity::Illuminance, Unit::Lux, Some(100.0), None);
        assert_eq!(
            light.evaluate(&reading(120.0, Unit::Other("fc".into()), None)),
            Err(EvaluationError::UnitMismatch {
                expected: Unit::Lux,
                found: Unit::Other("fc".into())
            })
        );
    }

    #[test]
    fn an_item_without_limits_cannot_be_evaluated() {
        let dust = spec(
            Quantity::DustTotal,
            Unit::MilligramPerCubicMetre,
            None,
            None,
        );
        assert_eq!(
            dust.evaluate(&reading(3.0, Unit::MilligramPerCubicMetre, None)),
            Err(EvaluationError::NoLimit)
        );
    }

    #[test]
    fn a_non_finite_value_is_rejected() {
        assert_eq!(
            noise().evaluate(&reading(f64::NAN, Unit::Dba, None)),
            Err(EvaluationError::NotFinite)
        );
    }

    #[test]
    fn unit_spellings_are_normalised() {
        assert_eq!(Unit::parse("dB(A)"), Unit::Dba);
        assert_eq!(Unit::parse("oC"), Unit::Celsius);
        assert_eq!(Unit::parse("mg/m3"), Unit::MilligramPerCubicMetre);
        let unit: Unit = serde_json::from_str("\"lux\"").unwrap();
        assert_eq!(serde_json::to_string(&unit).unwrap(), "\"lx\"");
        assert_eq!(Unit::parse("µSv/h"), Unit::Other("µSv/h".into()));
    }

    #[test]
    fn quantity_codes_round_trip_and_unknown_codes_are_kept() {
        let noise: Quantity = serde_json::from_str("\"noise_laeq\"").unwrap();
        assert_eq!(noise, Quantity::NoiseLaeq);
        let other: Quantity = serde_json::from_str("\"heat_radiation\"").unwrap();
        assert_eq!(other, Quantity::Other("heat_radiation".into()));
        for (q, code) in Quantity::KNOWN {
            assert_eq!(serde_json::to_value(&q).unwrap(), code);
        }
    }
}
