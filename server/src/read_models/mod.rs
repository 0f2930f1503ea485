//! Read models: the views a screen asks for in one call, assembled from several services (an
//! inspection with its team, forms, responses and evidence; the conclusion with its findings and
//! corrective actions; the sync change feed; the agency dashboard; the follow-up list). They only read; the services never call them,
//! so writes stay free of presentation, and the dependency runs one way: routes → read models →
//! services → access.

pub mod conclusion;
pub mod dashboard;
pub mod follow_up;
pub mod inspections;
pub mod pull;
pub mod review_queue;
