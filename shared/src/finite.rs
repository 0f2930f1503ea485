//! A finite number for template data (limits, bounds), so that schema types can be `Eq`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A finite `f64`: never NaN or infinite. Template limits and bounds use it so that a
/// template can be compared for equality (published versions are immutable) and so that a
/// NaN limit, which would make every comparison false, cannot exist. In JSON it is a plain
/// number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "f64", into = "f64")]
pub struct Finite(f64);

// Sound because NaN, the only `f64` that is not equal to itself, cannot be constructed.
impl Eq for Finite {}

impl Finite {
    /// `None` for NaN and the infinities.
    pub fn new(value: f64) -> Option<Self> {
        value.is_finite().then_some(Self(value))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// The error of [`Finite::try_from`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotFinite;

impl fmt::Display for NotFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a finite number")
    }
}

impl std::error::Error for NotFinite {}

impl TryFrom<f64> for Finite {
    type Error = NotFinite;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value).ok_or(NotFinite)
    }
}

impl From<Finite> for f64 {
    fn from(value: Finite) -> Self {
        value.0
    }
}

impl fmt::Display for Finite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_infinities_are_not_finite() {
        assert_eq!(Finite::new(f64::NAN), None);
        assert_eq!(Finite::new(f64::INFINITY), None);
        assert_eq!(Finite::new(-f64::INFINITY), None);
        assert_eq!(Finite::new(-1.5).map(Finite::get), Some(-1.5));
    }

    #[test]
    fn is_a_plain_json_number() {
        let limit: Finite = serde_json::from_str("85").unwrap();
        assert_eq!(limit.get(), 85.0);
        assert_eq!(serde_json::to_string(&limit).unwrap(), "85.0");
    }
}
