//! The agency's dashboard.

use gloo::net::http::Request;
use kiemtra_shared::dashboard::Dashboard;

use super::{ApiError, authorised, request, url};

pub async fn get(token: &str) -> Result<Dashboard, ApiError> {
    request(authorised(Request::get(&url("/dashboard")), token).build()).await
}
