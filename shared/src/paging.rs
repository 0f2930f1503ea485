//! Paging: every list answers at most [`MAX_PAGE_SIZE`] items a request.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The largest page any list answers.
pub const MAX_PAGE_SIZE: u64 = 100;
/// The page size of the register search when none is asked.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// A checked page request: `page` from 1, `per_page` from 1 to [`MAX_PAGE_SIZE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl Paging {
    /// Checks the requested page, with `default_per_page` when none is asked; the errors name
    /// the `page` and `per_page` parameters.
    pub fn new(
        page: Option<u64>,
        per_page: Option<u64>,
        default_per_page: u64,
    ) -> Result<Paging, Vec<FieldError>> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(default_per_page);
        let mut errors = Vec::new();
        if page == 0 {
            errors.push(FieldError {
                field: "page".to_owned(),
                code: "out_of_range".to_owned(),
                message: "Pages are numbered from 1.".to_owned(),
            });
        }
        if per_page == 0 || per_page > MAX_PAGE_SIZE {
            errors.push(FieldError {
                field: "per_page".to_owned(),
                code: "out_of_range".to_owned(),
                message: format!("A page holds 1 to {MAX_PAGE_SIZE} items."),
            });
        }
        if errors.is_empty() {
            Ok(Paging { page, per_page })
        } else {
            Err(errors)
        }
    }

    pub fn offset(self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

/// `page` and `per_page` query parameters of the lists that answer a plain array (with the
/// total in an `X-Total-Count` header).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page (default and at most 100).
    pub per_page: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_limits() {
        assert_eq!(
            Paging::new(None, None, 20),
            Ok(Paging {
                page: 1,
                per_page: 20
            })
        );
        assert_eq!(
            Paging::new(Some(3), Some(100), 20).map(Paging::offset),
            Ok(200)
        );
        let errors = Paging::new(Some(0), Some(101), 20).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["page", "per_page"]);
    }
}
