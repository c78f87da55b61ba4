//! Core schema: every table of docs/schema.md, identical on SQLite and PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The 21 Open Data Institute (ODI) availability slots, `{Weekday}{Morning|Afternoon|Evening}`.
pub const AVAILABILITY_SLOTS: [&str; 21] = [
    "MondayMorning",
    "MondayAfternoon",
    "MondayEvening",
    "TuesdayMorning",
    "TuesdayAfternoon",
    "TuesdayEvening",
    "WednesdayMorning",
    "WednesdayAfternoon",
    "WednesdayEvening",
    "ThursdayMorning",
    "ThursdayAfternoon",
    "ThursdayEvening",
    "FridayMorning",
    "FridayAfternoon",
    "FridayEvening",
    "SaturdayMorning",
    "SaturdayAfternoon",
    "SaturdayEvening",
    "SundayMorning",
    "SundayAfternoon",
    "SundayEvening",
];

/// Foreign key `table.col → to_table.to_col` with the given ON DELETE (ON UPDATE left at the
/// default, NO ACTION).
pub(crate) fn fk<T, C, R, RC>(
    name: &str,
    table: T,
    col: C,
    to_table: R,
    to_col: RC,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: IntoIden,
    C: IntoIden,
    R: IntoIden,
    RC: IntoIden,
{
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .to_owned()
}

/// `CONSTRAINT name CHECK (col IN (values…))`.
pub(crate) fn check_in<C: IntoIden + 'static>(
    name: &'static str,
    col: C,
    values: &[&str],
) -> Check {
    Check::named(
        name,
        Expr::col(col).is_in(values.iter().map(|v| (*v).to_owned())),
    )
}

pub(crate) const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
pub(crate) const SET_NULL: ForeignKeyAction = ForeignKeyAction::SetNull;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // ward
        manager
            .create_table(
                Table::create()
                    .table(Ward::Table)
                    .col(pk_auto(Ward::Id))
                    .col(string_uniq(Ward::Code))
                    .col(string(Ward::Name))
                    .col(integer(Ward::PopulationApprox))
                    .col(double(Ward::CentroidLat))
                    .col(double(Ward::CentroidLon))
                    .to_owned(),
            )
            .await?;

        // hub
        manager
            .create_table(
                Table::create()
                    .table(Hub::Table)
                    .col(pk_auto(Hub::Id))
                    .col(string_uniq(Hub::Slug))
                    .col(string(Hub::Name))
                    .col(text(Hub::Description))
                    .col(integer_null(Hub::WardId))
                    .col(string_null(Hub::Address))
                    .col(string_null(Hub::Email))
                    .col(string_null(Hub::Phone))
                    .col(timestamp_with_time_zone(Hub::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_hub_ward_id",
                        Hub::Table,
                        Hub::WardId,
                        Ward::Table,
                        Ward::Id,
                        RESTRICT,
                    ))
                    .to_owned(),
            )
            .await?;

        // organisation
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(pk_auto(Organisation::Id))
                    .col(string_uniq(Organisation::Slug))
                    .col(string(Organisation::Name))
                    .col(text(Organisation::Description))
                    .col(string_null(Organisation::Website))
                    .col(string_null(Organisation::Email))
                    .col(string_null(Organisation::Phone))
                    .col(integer_null(Organisation::WardId))
                    .col(string_null(Organisation::CharityNumber))
                    .col(string_null(Organisation::SafeguardingLead))
                    .col(string(Organisation::Status))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .col(timestamp_with_time_zone(Organisation::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_organisation_ward_id",
                        Organisation::Table,
                        Organisation::WardId,
                        Ward::Table,
                        Ward::Id,
                        RESTRICT,
                    ))
                    .check(check_in(
                        "ck_organisation_status",
                        Organisation::Status,
                        &["pending", "approved", "suspended"],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organisation_status",
            Organisation::Table,
            &[Organisation::Status],
        )
        .await?;

        // hub_membership
        manager
            .create_table(
                Table::create()
                    .table(HubMembership::Table)
                    .col(integer(HubMembership::HubId))
                    .col(integer(HubMembership::OrganisationId))
                    .col(timestamp_with_time_zone(HubMembership::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(HubMembership::HubId)
                            .col(HubMembership::OrganisationId),
                    )
                    .foreign_key(&mut fk(
                        "fk_hub_membership_hub_id",
                        HubMembership::Table,
                        HubMembership::HubId,
                        Hub::Table,
                        Hub::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_hub_membership_organisation_id",
                        HubMembership::Table,
                        HubMembership::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_hub_membership_organisation_id",
            HubMembership::Table,
            &[HubMembership::OrganisationId],
        )
        .await?;

        // users
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string_null(Users::PasswordHash))
                    .col(string(Users::DisplayName))
                    .col(string_null(Users::Phone))
                    .col(timestamp_with_time_zone_null(Users::VerifiedAt))
                    .col(boolean(Users::IsAllianceAdmin).default(false))
                    .col(string(Users::Status))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .check(check_in(
                        "ck_users_status",
                        Users::Status,
                        &[
                            "active",
                            "pending_verification",
                            "pending_guardian",
                            "disabled",
                        ],
                    ))
                    .to_owned(),
            )
            .await?;

        // membership
        manager
            .create_table(
                Table::create()
                    .table(Membership::Table)
                    .col(pk_auto(Membership::Id))
                    .col(integer(Membership::UserId))
                    .col(integer(Membership::OrganisationId))
                    .col(string(Membership::Role))
                    .col(timestamp_with_time_zone(Membership::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_membership_user_id",
                        Membership::Table,
                        Membership::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_membership_organisation_id",
                        Membership::Table,
                        Membership::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .check(check_in(
                        "ck_membership_role",
                        Membership::Role,
                        &["admin", "staff"],
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_membership_user_id_organisation_id",
            Membership::Table,
            &[Membership::UserId, Membership::OrganisationId],
        )
        .await?;
        index(
            manager,
            "idx_membership_organisation_id",
            Membership::Table,
            &[Membership::OrganisationId],
        )
        .await?;

        // hub_coordinator
        manager
            .create_table(
                Table::create()
                    .table(HubCoordinator::Table)
                    .col(pk_auto(HubCoordinator::Id))
                    .col(integer(HubCoordinator::UserId))
                    .col(integer(HubCoordinator::HubId))
                    .col(timestamp_with_time_zone(HubCoordinator::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_hub_coordinator_user_id",
                        HubCoordinator::Table,
                        HubCoordinator::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_hub_coordinator_hub_id",
                        HubCoordinator::Table,
                        HubCoordinator::HubId,
                        Hub::Table,
                        Hub::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_hub_coordinator_user_id_hub_id",
            HubCoordinator::Table,
            &[HubCoordinator::UserId, HubCoordinator::HubId],
        )
        .await?;
        index(
            manager,
            "idx_hub_coordinator_hub_id",
            HubCoordinator::Table,
            &[HubCoordinator::HubId],
        )
        .await?;

        // volunteer_profile
        manager
            .create_table(
                Table::create()
                    .table(VolunteerProfile::Table)
                    .col(pk_auto(VolunteerProfile::Id))
                    .col(integer_uniq(VolunteerProfile::UserId))
                    .col(date(VolunteerProfile::DateOfBirth))
                    .col(integer_null(VolunteerProfile::WardId))
                    .col(string_null(VolunteerProfile::PostcodeDistrict))
                    .col(integer(VolunteerProfile::TravelKm).default(5))
                    .col(boolean(VolunteerProfile::RemoteOk).default(false))
                    .col(text(VolunteerProfile::Languages).default("en"))
                    .col(text(VolunteerProfile::AccessNeeds).default(""))
                    .col(text(VolunteerProfile::Bio).default(""))
                    .col(boolean(VolunteerProfile::OpenToSuggestions).default(false))
                    .col(date_null(VolunteerProfile::DbsCheckedOn))
                    .col(string_null(VolunteerProfile::GuardianEmail))
                    .col(timestamp_with_time_zone_null(
                        VolunteerProfile::GuardianConsentAt,
                    ))
                    .col(timestamp_with_time_zone(VolunteerProfile::CreatedAt))
                    .col(timestamp_with_time_zone(VolunteerProfile::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_volunteer_profile_user_id",
                        VolunteerProfile::Table,
                        VolunteerProfile::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_volunteer_profile_ward_id",
                        VolunteerProfile::Table,
                        VolunteerProfile::WardId,
                        Ward::Table,
                        Ward::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_volunteer_profile_ward_id",
            VolunteerProfile::Table,
            &[VolunteerProfile::WardId],
        )
        .await?;

        // skill
        manager
            .create_table(
                Table::create()
                    .table(Skill::Table)
                    .col(pk_auto(Skill::Id))
                    .col(string_uniq(Skill::Slug))
                    .col(string(Skill::Name))
                    .col(string(Skill::SkillGroup))
                    .col(text(Skill::Description).default(""))
                    .check(check_in(
                        "ck_skill_skill_group",
                        Skill::SkillGroup,
                        &["essential", "practical", "functional"],
                    ))
                    .to_owned(),
            )
            .await?;

        // cause
        manager
            .create_table(
                Table::create()
                    .table(Cause::Table)
                    .col(pk_auto(Cause::Id))
                    .col(string_uniq(Cause::Slug))
                    .col(string(Cause::Name))
                    .col(text(Cause::Synonyms).default(""))
                    .to_owned(),
            )
            .await?;

        // volunteer_skill
        manager
            .create_table(
                Table::create()
                    .table(VolunteerSkill::Table)
                    .col(integer(VolunteerSkill::VolunteerId))
                    .col(integer(VolunteerSkill::SkillId))
                    .col(integer(VolunteerSkill::Level))
                    .col(integer_null(VolunteerSkill::VerifiedBy))
                    .col(timestamp_with_time_zone_null(VolunteerSkill::VerifiedAt))
                    .primary_key(
                        Index::create()
                            .col(VolunteerSkill::VolunteerId)
                            .col(VolunteerSkill::SkillId),
                    )
                    .foreign_key(&mut fk(
                        "fk_volunteer_skill_volunteer_id",
                        VolunteerSkill::Table,
                        VolunteerSkill::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_volunteer_skill_skill_id",
                        VolunteerSkill::Table,
                        VolunteerSkill::SkillId,
                        Skill::Table,
                        Skill::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_volunteer_skill_verified_by",
                        VolunteerSkill::Table,
                        VolunteerSkill::VerifiedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(Check::named(
                        "ck_volunteer_skill_level",
                        Expr::col(VolunteerSkill::Level).between(0, 15),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_volunteer_skill_skill_id",
            VolunteerSkill::Table,
            &[VolunteerSkill::SkillId],
        )
        .await?;

        // volunteer_cause
        manager
            .create_table(
                Table::create()
                    .table(VolunteerCause::Table)
                    .col(integer(VolunteerCause::VolunteerId))
                    .col(integer(VolunteerCause::CauseId))
                    .primary_key(
                        Index::create()
                            .col(VolunteerCause::VolunteerId)
                            .col(VolunteerCause::CauseId),
                    )
                    .foreign_key(&mut fk(
                        "fk_volunteer_cause_volunteer_id",
                        VolunteerCause::Table,
                        VolunteerCause::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_volunteer_cause_cause_id",
                        VolunteerCause::Table,
                        VolunteerCause::CauseId,
                        Cause::Table,
                        Cause::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_volunteer_cause_cause_id",
            VolunteerCause::Table,
            &[VolunteerCause::CauseId],
        )
        .await?;

        // availability
        manager
            .create_table(
                Table::create()
                    .table(Availability::Table)
                    .col(integer(Availability::VolunteerId))
                    .col(string(Availability::Slot))
                    .primary_key(
                        Index::create()
                            .col(Availability::VolunteerId)
                            .col(Availability::Slot),
                    )
                    .foreign_key(&mut fk(
                        "fk_availability_volunteer_id",
                        Availability::Table,
                        Availability::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .check(check_in(
                        "ck_availability_slot",
                        Availability::Slot,
                        &AVAILABILITY_SLOTS,
                    ))
                    .to_owned(),
            )
            .await?;

        // role
        manager
            .create_table(
                Table::create()
                    .table(Role::Table)
                    .col(pk_auto(Role::Id))
                    .col(integer(Role::OrganisationId))
                    .col(integer_null(Role::HubId))
                    .col(string(Role::Title))
                    .col(string(Role::Summary))
                    .col(text(Role::Description))
                    .col(integer_null(Role::WardId))
                    .col(string_null(Role::PostcodeDistrict))
                    .col(string(Role::LocationType))
                    .col(integer(Role::MinAge).default(16))
                    .col(boolean(Role::YouthFriendly).default(false))
                    .col(boolean(Role::DbsRequired).default(false))
                    .col(integer(Role::Places))
                    .col(string(Role::Commitment))
                    .col(integer_null(Role::HoursPerWeek))
                    .col(text(Role::AccessProvisions).default(""))
                    .col(text(Role::Languages).default("en"))
                    .col(string_null(Role::ContactName))
                    .col(string_null(Role::ContactEmail))
                    .col(string(Role::Status))
                    .col(timestamp_with_time_zone_null(Role::ClosesAt))
                    .col(timestamp_with_time_zone_null(Role::PublishedAt))
                    .col(timestamp_with_time_zone(Role::CreatedAt))
                    .col(timestamp_with_time_zone(Role::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_role_organisation_id",
                        Role::Table,
                        Role::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_hub_id",
                        Role::Table,
                        Role::HubId,
                        Hub::Table,
                        Hub::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_ward_id",
                        Role::Table,
                        Role::WardId,
                        Ward::Table,
                        Ward::Id,
                        SET_NULL,
                    ))
                    .check(check_in(
                        "ck_role_location_type",
                        Role::LocationType,
                        &["in_person", "remote", "hybrid"],
                    ))
                    .check(Check::named(
                        "ck_role_places",
                        Expr::col(Role::Places).gte(1),
                    ))
                    .check(check_in(
                        "ck_role_commitment",
                        Role::Commitment,
                        &["one_off", "regular", "flexible"],
                    ))
                    .check(check_in(
                        "ck_role_status",
                        Role::Status,
                        &["draft", "open", "closed"],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_role_status_closes_at",
            Role::Table,
            &[Role::Status, Role::ClosesAt],
        )
        .await?;
        index(
            manager,
            "idx_role_organisation_id",
            Role::Table,
            &[Role::OrganisationId],
        )
        .await?;
        index(manager, "idx_role_hub_id", Role::Table, &[Role::HubId]).await?;
        index(manager, "idx_role_ward_id", Role::Table, &[Role::WardId]).await?;

        // role_cause
        manager
            .create_table(
                Table::create()
                    .table(RoleCause::Table)
                    .col(integer(RoleCause::RoleId))
                    .col(integer(RoleCause::CauseId))
                    .primary_key(
                        Index::create()
                            .col(RoleCause::RoleId)
                            .col(RoleCause::CauseId),
                    )
                    .foreign_key(&mut fk(
                        "fk_role_cause_role_id",
                        RoleCause::Table,
                        RoleCause::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_cause_cause_id",
                        RoleCause::Table,
                        RoleCause::CauseId,
                        Cause::Table,
                        Cause::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_role_cause_cause_id",
            RoleCause::Table,
            &[RoleCause::CauseId],
        )
        .await?;

        // role_skill
        manager
            .create_table(
                Table::create()
                    .table(RoleSkill::Table)
                    .col(integer(RoleSkill::RoleId))
                    .col(integer(RoleSkill::SkillId))
                    .col(integer(RoleSkill::MinLevel).default(0))
                    .primary_key(
                        Index::create()
                            .col(RoleSkill::RoleId)
                            .col(RoleSkill::SkillId),
                    )
                    .foreign_key(&mut fk(
                        "fk_role_skill_role_id",
                        RoleSkill::Table,
                        RoleSkill::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_skill_skill_id",
                        RoleSkill::Table,
                        RoleSkill::SkillId,
                        Skill::Table,
                        Skill::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_role_skill_skill_id",
            RoleSkill::Table,
            &[RoleSkill::SkillId],
        )
        .await?;

        // role_session
        manager
            .create_table(
                Table::create()
                    .table(RoleSession::Table)
                    .col(pk_auto(RoleSession::Id))
                    .col(integer(RoleSession::RoleId))
                    .col(timestamp_with_time_zone(RoleSession::StartsAt))
                    .col(timestamp_with_time_zone(RoleSession::EndsAt))
                    .col(integer_null(RoleSession::Places))
                    .col(timestamp_with_time_zone(RoleSession::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_role_session_role_id",
                        RoleSession::Table,
                        RoleSession::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_role_session_role_id_starts_at",
            RoleSession::Table,
            &[RoleSession::RoleId, RoleSession::StartsAt],
        )
        .await?;

        // application
        manager
            .create_table(
                Table::create()
                    .table(Application::Table)
                    .col(pk_auto(Application::Id))
                    .col(integer(Application::RoleId))
                    .col(integer(Application::VolunteerId))
                    .col(string(Application::Status))
                    .col(text(Application::Message).default(""))
                    .col(timestamp_with_time_zone(Application::CreatedAt))
                    .col(timestamp_with_time_zone(Application::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Application::DecidedAt))
                    .foreign_key(&mut fk(
                        "fk_application_role_id",
                        Application::Table,
                        Application::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_application_volunteer_id",
                        Application::Table,
                        Application::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .check(check_in(
                        "ck_application_status",
                        Application::Status,
                        &["applied", "accepted", "declined", "waitlisted", "withdrawn"],
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_application_role_id_volunteer_id",
            Application::Table,
            &[Application::RoleId, Application::VolunteerId],
        )
        .await?;
        index(
            manager,
            "idx_application_volunteer_id",
            Application::Table,
            &[Application::VolunteerId],
        )
        .await?;
        index(
            manager,
            "idx_application_role_id_status",
            Application::Table,
            &[Application::RoleId, Application::Status],
        )
        .await?;

        // application_session
        manager
            .create_table(
                Table::create()
                    .table(ApplicationSession::Table)
                    .col(integer(ApplicationSession::ApplicationId))
                    .col(integer(ApplicationSession::SessionId))
                    .primary_key(
                        Index::create()
                            .col(ApplicationSession::ApplicationId)
                            .col(ApplicationSession::SessionId),
                    )
                    .foreign_key(&mut fk(
                        "fk_application_session_application_id",
                        ApplicationSession::Table,
                        ApplicationSession::ApplicationId,
                        Application::Table,
                        Application::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_application_session_session_id",
                        ApplicationSession::Table,
                        ApplicationSession::SessionId,
                        RoleSession::Table,
                        RoleSession::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;

        // application_event
        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvent::Table)
                    .col(pk_auto(ApplicationEvent::Id))
                    .col(integer(ApplicationEvent::ApplicationId))
                    .col(string_null(ApplicationEvent::FromStatus))
                    .col(string(ApplicationEvent::ToStatus))
                    .col(integer_null(ApplicationEvent::ActorUserId))
                    .col(text(ApplicationEvent::Note).default(""))
                    .col(timestamp_with_time_zone(ApplicationEvent::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_application_event_application_id",
                        ApplicationEvent::Table,
                        ApplicationEvent::ApplicationId,
                        Application::Table,
                        Application::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_application_event_actor_user_id",
                        ApplicationEvent::Table,
                        ApplicationEvent::ActorUserId,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_application_event_application_id",
            ApplicationEvent::Table,
            &[ApplicationEvent::ApplicationId],
        )
        .await?;

        // hours_log
        manager
            .create_table(
                Table::create()
                    .table(HoursLog::Table)
                    .col(pk_auto(HoursLog::Id))
                    .col(integer(HoursLog::VolunteerId))
                    .col(integer(HoursLog::RoleId))
                    .col(integer_null(HoursLog::SessionId))
                    .col(date(HoursLog::WorkedOn))
                    .col(integer(HoursLog::Minutes))
                    .col(string(HoursLog::Status))
                    .col(text(HoursLog::Note).default(""))
                    .col(integer_null(HoursLog::ReviewedBy))
                    .col(timestamp_with_time_zone_null(HoursLog::ReviewedAt))
                    .col(timestamp_with_time_zone(HoursLog::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_hours_log_volunteer_id",
                        HoursLog::Table,
                        HoursLog::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_hours_log_role_id",
                        HoursLog::Table,
                        HoursLog::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_hours_log_session_id",
                        HoursLog::Table,
                        HoursLog::SessionId,
                        RoleSession::Table,
                        RoleSession::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_hours_log_reviewed_by",
                        HoursLog::Table,
                        HoursLog::ReviewedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(Check::named(
                        "ck_hours_log_minutes",
                        Expr::col(HoursLog::Minutes).gt(0),
                    ))
                    .check(check_in(
                        "ck_hours_log_status",
                        HoursLog::Status,
                        &["claimed", "confirmed", "rejected"],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_hours_log_volunteer_id_worked_on",
            HoursLog::Table,
            &[HoursLog::VolunteerId, HoursLog::WorkedOn],
        )
        .await?;
        index(
            manager,
            "idx_hours_log_role_id_status",
            HoursLog::Table,
            &[HoursLog::RoleId, HoursLog::Status],
        )
        .await?;

        // equality_monitoring
        manager
            .create_table(
                Table::create()
                    .table(EqualityMonitoring::Table)
                    .col(pk_auto(EqualityMonitoring::Id))
                    .col(integer_uniq(EqualityMonitoring::UserId))
                    .col(timestamp_with_time_zone(EqualityMonitoring::ConsentedAt))
                    .col(string_null(EqualityMonitoring::AgeBandOverride))
                    .col(string_null(EqualityMonitoring::Sex))
                    .col(string_null(EqualityMonitoring::EthnicGroup))
                    .col(string_null(EqualityMonitoring::Ethnicity))
                    .col(string_null(EqualityMonitoring::Disability))
                    .col(string_null(EqualityMonitoring::Religion))
                    .col(string_null(EqualityMonitoring::SexualOrientation))
                    .col(timestamp_with_time_zone(EqualityMonitoring::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_equality_monitoring_user_id",
                        EqualityMonitoring::Table,
                        EqualityMonitoring::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;

        // outbox
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(pk_auto(Outbox::Id))
                    .col(string(Outbox::Kind))
                    .col(text(Outbox::Payload))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(string_null(Outbox::LastError))
                    .col(timestamp_with_time_zone_null(Outbox::DoneAt))
                    .col(timestamp_with_time_zone_null(Outbox::DeadAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_outbox_done_at_next_attempt_at",
            Outbox::Table,
            &[Outbox::DoneAt, Outbox::NextAttemptAt],
        )
        .await?;

        // audit_log
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(integer_null(AuditLog::ActorUserId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::SubjectType))
                    .col(integer_null(AuditLog::SubjectId))
                    .col(text(AuditLog::Detail).default("{}"))
                    .col(string_null(AuditLog::Ip))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_audit_log_actor_user_id",
                        AuditLog::Table,
                        AuditLog::ActorUserId,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_audit_log_created_at",
            AuditLog::Table,
            &[AuditLog::CreatedAt],
        )
        .await?;
        index(
            manager,
            "idx_audit_log_subject_type_subject_id",
            AuditLog::Table,
            &[AuditLog::SubjectType, AuditLog::SubjectId],
        )
        .await?;

        // session
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(string(Session::Id).primary_key())
                    .col(blob(Session::Data))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_session_expires_at",
            Session::Table,
            &[Session::ExpiresAt],
        )
        .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Reverse dependency order: every table is dropped before the tables it references.
        let tables: [DynIden; 25] = [
            Session::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Outbox::Table.into_iden(),
            EqualityMonitoring::Table.into_iden(),
            HoursLog::Table.into_iden(),
            ApplicationEvent::Table.into_iden(),
            ApplicationSession::Table.into_iden(),
            Application::Table.into_iden(),
            RoleSession::Table.into_iden(),
            RoleSkill::Table.into_iden(),
            RoleCause::Table.into_iden(),
            Role::Table.into_iden(),
            Availability::Table.into_iden(),
            VolunteerCause::Table.into_iden(),
            VolunteerSkill::Table.into_iden(),
            Cause::Table.into_iden(),
            Skill::Table.into_iden(),
            VolunteerProfile::Table.into_iden(),
            HubCoordinator::Table.into_iden(),
            Membership::Table.into_iden(),
            Users::Table.into_iden(),
            HubMembership::Table.into_iden(),
            Organisation::Table.into_iden(),
            Hub::Table.into_iden(),
            Ward::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }

    /// All-or-nothing on SQLite too (SQLite DDL is transactional), not only on PostgreSQL.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// `CREATE INDEX name ON table (cols…)`.
pub(crate) async fn index<T, C>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[C],
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIden + Copy,
{
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(*col);
    }
    manager.create_index(stmt).await
}

/// `CREATE UNIQUE INDEX name ON table (cols…)`.
pub(crate) async fn unique<T, C>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[C],
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIden + Copy,
{
    let mut stmt = Index::create();
    stmt.name(name).table(table).unique();
    for col in cols {
        stmt.col(*col);
    }
    manager.create_index(stmt).await
}

#[derive(DeriveIden, Clone, Copy)]
enum Ward {
    Table,
    Id,
    Code,
    Name,
    PopulationApprox,
    CentroidLat,
    CentroidLon,
}

#[derive(DeriveIden, Clone, Copy)]
enum Hub {
    Table,
    Id,
    Slug,
    Name,
    Description,
    WardId,
    Address,
    Email,
    Phone,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Website,
    Email,
    Phone,
    WardId,
    CharityNumber,
    SafeguardingLead,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum HubMembership {
    Table,
    HubId,
    OrganisationId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Phone,
    VerifiedAt,
    IsAllianceAdmin,
    Status,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Membership {
    Table,
    Id,
    UserId,
    OrganisationId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum HubCoordinator {
    Table,
    Id,
    UserId,
    HubId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum VolunteerProfile {
    Table,
    Id,
    UserId,
    DateOfBirth,
    WardId,
    PostcodeDistrict,
    TravelKm,
    RemoteOk,
    Languages,
    AccessNeeds,
    Bio,
    OpenToSuggestions,
    DbsCheckedOn,
    GuardianEmail,
    GuardianConsentAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Skill {
    Table,
    Id,
    Slug,
    Name,
    SkillGroup,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum Cause {
    Table,
    Id,
    Slug,
    Name,
    Synonyms,
}

#[derive(DeriveIden, Clone, Copy)]
enum VolunteerSkill {
    Table,
    VolunteerId,
    SkillId,
    Level,
    VerifiedBy,
    VerifiedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum VolunteerCause {
    Table,
    VolunteerId,
    CauseId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Availability {
    Table,
    VolunteerId,
    Slot,
}

#[derive(DeriveIden, Clone, Copy)]
enum Role {
    Table,
    Id,
    OrganisationId,
    HubId,
    Title,
    Summary,
    Description,
    WardId,
    PostcodeDistrict,
    LocationType,
    MinAge,
    YouthFriendly,
    DbsRequired,
    Places,
    Commitment,
    HoursPerWeek,
    AccessProvisions,
    Languages,
    ContactName,
    ContactEmail,
    Status,
    ClosesAt,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleCause {
    Table,
    RoleId,
    CauseId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleSkill {
    Table,
    RoleId,
    SkillId,
    MinLevel,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleSession {
    Table,
    Id,
    RoleId,
    StartsAt,
    EndsAt,
    Places,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Application {
    Table,
    Id,
    RoleId,
    VolunteerId,
    Status,
    Message,
    CreatedAt,
    UpdatedAt,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApplicationSession {
    Table,
    ApplicationId,
    SessionId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApplicationEvent {
    Table,
    Id,
    ApplicationId,
    FromStatus,
    ToStatus,
    ActorUserId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum HoursLog {
    Table,
    Id,
    VolunteerId,
    RoleId,
    SessionId,
    WorkedOn,
    Minutes,
    Status,
    Note,
    ReviewedBy,
    ReviewedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EqualityMonitoring {
    Table,
    Id,
    UserId,
    ConsentedAt,
    AgeBandOverride,
    Sex,
    EthnicGroup,
    Ethnicity,
    Disability,
    Religion,
    SexualOrientation,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    Kind,
    Payload,
    Attempts,
    NextAttemptAt,
    LastError,
    DoneAt,
    DeadAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    ActorUserId,
    Action,
    SubjectType,
    SubjectId,
    Detail,
    Ip,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Session {
    Table,
    Id,
    Data,
    ExpiresAt,
}
