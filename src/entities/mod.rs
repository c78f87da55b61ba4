//! Sea-orm entities: the generated shape of each table, no logic.

// One module per table of docs/schema.md (the `users` table is module `user`). Timestamps are
// `time::OffsetDateTime` in UTC, serialized to JSON as RFC 3339; dates serialize as `YYYY-MM-DD`.

pub mod prelude;

pub mod account_token;
pub mod api_token;
pub mod application;
pub mod application_event;
pub mod application_session;
pub mod audit_log;
pub mod availability;
pub mod cause;
pub mod census_baseline;
pub mod email_preference;
pub mod equality_monitoring;
pub mod hours_log;
pub mod hub;
pub mod hub_coordinator;
pub mod hub_membership;
pub mod membership;
pub mod organisation;
pub mod organisation_cause;
pub mod outbox;
pub mod outreach_campaign;
pub mod pathway;
pub mod pathway_enrolment;
pub mod pathway_stage;
pub mod rate_limit_event;
pub mod recovery_code;
pub mod referral;
pub mod role;
pub mod role_cause;
pub mod role_invitation;
pub mod role_pathway_stage;
pub mod role_session;
pub mod role_skill;
pub mod scheduled_email;
pub mod session;
pub mod skill;
pub mod skill_sign_off;
pub mod stage_completion;
pub mod stage_requirement;
pub mod training_record;
pub mod user;
pub mod volunteer_cause;
pub mod volunteer_profile;
pub mod volunteer_skill;
pub mod ward;
// The hub front desk (issue 11).
pub mod assisted_account;
pub mod link_worker;
pub mod social_referral;
pub mod social_referral_event;
pub mod social_referral_outcome;
pub mod to_call;

// serde (de)serialization of `time::Date` as `YYYY-MM-DD` (with an `option` submodule).
time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");
