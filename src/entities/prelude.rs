//! Every entity under its table's CamelCase name, as sea-orm-cli lays it out.

pub use super::application::Entity as Application;
pub use super::application_event::Entity as ApplicationEvent;
pub use super::application_session::Entity as ApplicationSession;
pub use super::audit_log::Entity as AuditLog;
pub use super::availability::Entity as Availability;
pub use super::cause::Entity as Cause;
pub use super::census_baseline::Entity as CensusBaseline;
pub use super::equality_monitoring::Entity as EqualityMonitoring;
pub use super::hours_log::Entity as HoursLog;
pub use super::hub::Entity as Hub;
pub use super::hub_coordinator::Entity as HubCoordinator;
pub use super::hub_membership::Entity as HubMembership;
pub use super::membership::Entity as Membership;
pub use super::organisation::Entity as Organisation;
pub use super::outbox::Entity as Outbox;
pub use super::role::Entity as Role;
pub use super::role_cause::Entity as RoleCause;
pub use super::role_session::Entity as RoleSession;
pub use super::role_skill::Entity as RoleSkill;
pub use super::session::Entity as Session;
pub use super::skill::Entity as Skill;
pub use super::user::Entity as User;
pub use super::volunteer_cause::Entity as VolunteerCause;
pub use super::volunteer_profile::Entity as VolunteerProfile;
pub use super::volunteer_skill::Entity as VolunteerSkill;
pub use super::ward::Entity as Ward;
