//! Test-only crate: see `api/` for the API tests and `browser/` for the Playwright test.
