//! The serde name of a unit variant (`in_progress`, `site_checklist`) as a `&'static str`, so an
//! enum's spelling in messages, CSS classes and headers is the one serde already writes, not a
//! second hand-written list to keep in step.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The serde name of `value`, a unit variant of an enum.
///
/// # Panics
/// If `value` does not serialise as a unit variant: only call it for fieldless enums, as the
/// `names!` macro below does (its types are all covered by the tests).
pub fn of<T: Serialize + ?Sized>(value: &T) -> &'static str {
    match value.serialize(VariantName) {
        Ok(name) => name,
        Err(NotAUnitVariant) => panic!(
            "{} does not serialise as a unit variant",
            std::any::type_name::<T>()
        ),
    }
}

/// Gives fieldless enums `as_str` (their serde name) and a `Display` that writes it.
macro_rules! names {
    ($($ty:ty),+ $(,)?) => {$(
        impl $ty {
            /// The serde name: the spelling of the API (and of the database).
            pub fn as_str(self) -> &'static str {
                $crate::serde_name::of(&self)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

names!(
    crate::auth::Role,
    crate::inspection::InspectionStatus,
    crate::evidence::EvidenceKind,
    crate::response::Party,
    crate::response::ResponseStatus,
    crate::review::Decision,
    crate::review::FindingStatus,
    crate::review::CorrectiveActionStatus,
    crate::template::Severity,
    crate::template::TemplateKind,
    crate::template::TemplateStatus,
);

struct VariantName;

#[derive(Debug)]
struct NotAUnitVariant;

impl fmt::Display for NotAUnitVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a unit variant")
    }
}

impl std::error::Error for NotAUnitVariant {}

impl ser::Error for NotAUnitVariant {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotAUnitVariant
    }
}

/// Refuses everything but a unit variant.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),+ $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<&'static str, NotAUnitVariant> {
            Err(NotAUnitVariant)
        }
    )+};
}

type No = Impossible<&'static str, NotAUnitVariant>;

impl ser::Serializer for VariantName {
    type Ok = &'static str;
    type Error = NotAUnitVariant;
    type SerializeSeq = No;
    type SerializeTuple = No;
    type SerializeTupleStruct = No;
    type SerializeTupleVariant = No;
    type SerializeMap = No;
    type SerializeStruct = No;
    type SerializeStructVariant = No;

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<&'static str, NotAUnitVariant> {
        Ok(variant)
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple(self, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::evidence::EvidenceKind;
    use crate::inspection::InspectionStatus;
    use crate::review::{CorrectiveActionStatus, Decision};
    use crate::template::TemplateKind;

    fn serde_json_name<T: Serialize>(value: T) -> String {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::String(name) => name,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_are_the_serde_names() {
        for status in [InspectionStatus::Planned, InspectionStatus::FollowUp] {
            assert_eq!(status.as_str(), serde_json_name(status));
        }
        assert_eq!(InspectionStatus::InProgress.as_str(), "in_progress");
        assert_eq!(TemplateKind::SiteChecklist.to_string(), "site_checklist");
        assert_eq!(Decision::RecaptureRequested.as_str(), "recapture_requested");
        assert_eq!(
            CorrectiveActionStatus::ProofSubmitted.as_str(),
            "proof_submitted"
        );
        assert_eq!(EvidenceKind::Document.as_str(), "document");
        assert_eq!(Role::Enterprise.to_string(), "enterprise");
    }

    #[test]
    #[should_panic(expected = "does not serialise as a unit variant")]
    fn anything_else_is_refused() {
        of(&"text");
    }
}
