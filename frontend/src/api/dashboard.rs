//! The agency's dashboard.

use kiemtra_shared::dashboard::Dashboard;

use super::{ApiError, get};
use crate::auth::AuthHandle;

pub async fn get_dashboard(auth: &AuthHandle) -> Result<Dashboard, ApiError> {
    get(auth, "/dashboard").await
}
