//! Enterprises (doanh nghiệp): the inspected employers, identified by tax code.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page};
use crate::tax_code::TaxCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseView {
    pub id: Uuid,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0101234567"))]
    pub tax_code: TaxCode,
    pub address: String,
    pub province: String,
    /// VSIC industry code.
    pub industry_code: Option<String>,
    pub headcount: Option<u32>,
    pub contact: Option<Contact>,
}

/// `POST /enterprises`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateEnterprise {
    pub name: String,
    /// 10 digits, or 13 for a branch (`0101234567-001`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0101234567"))]
    pub tax_code: TaxCode,
    pub address: String,
    pub province: String,
    pub industry_code: Option<String>,
    pub headcount: Option<u32>,
    pub contact: Option<Contact>,
}

/// `PATCH /enterprises/{id}`: only the fields given change. The tax code identifies the
/// enterprise and does not change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateEnterprise {
    pub name: Option<String>,
    pub address: Option<String>,
    pub province: Option<String>,
    pub industry_code: Option<String>,
    pub headcount: Option<u32>,
    pub contact: Option<Contact>,
}

/// `GET /enterprises` filters and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct EnterpriseQuery {
    /// Part of the name, or the start of the tax code.
    pub q: Option<String>,
    pub province: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page (default 20, at most [`MAX_PAGE_SIZE`]).
    pub per_page: Option<u64>,
}
