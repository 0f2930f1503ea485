//! API tests: the real server in-process on port 0, each test on a fresh SQLite database and a
//! fresh PostgreSQL database, with evidence going through the embedded S3 endpoint.

mod helpers;

mod audit;
mod auth;
mod dashboard;
mod docs;
mod enterprises;
mod evidence;
mod follow_up;
mod health;
mod inspection_list;
mod inspections;
mod invitations;
mod matrix;
mod password_reset;
mod planning;
mod pwa;
mod responses;
mod review;
mod review_queue;
mod sessions;
mod smtp_sink;
mod sync;
mod templates;
mod tus;
mod users;
