//! Integration tests: each starts the real app on port 0 with its own fresh database,
//! on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL too.
mod helpers;

mod access_matrix;
mod account_settings;
mod admin;
mod api_docs;
mod api_tokens;
mod api_v1_journey;
mod api_v1_validation;
mod applications;
mod applications_concurrency;
mod baseline;
mod email;
mod errors;
mod fixtures;
mod gdpr;
mod health;
mod hours;
mod housekeeping;
mod hub_admin;
mod hubs;
mod operability;
mod organisation_dashboard;
mod organisation_profile;
mod organisation_staff;
mod organisations;
mod password_reset;
mod people;
mod referrals;
mod role_posting;
mod roles;
mod sign_in;
mod sign_up;
mod two_factor;
mod volunteer_dashboard;
mod volunteer_profile;
