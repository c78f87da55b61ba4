//! Who may do what: every action's permission is decided here, in one place, from who
//! the actor is (their memberships and hubs) and the facts of the thing acted on.
//! Handlers ask [`decide`] before reading or changing anything.

/// A person's standing in one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgRole {
    Admin,
    Staff,
}

impl OrgRole {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Self::Admin),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
        }
    }
}

/// A signed-in person (or an API token acting for one) as authorisation sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub alliance_admin: bool,
    /// Organisations this person works for, and as what.
    pub memberships: Vec<(i32, OrgRole)>,
    /// Hubs this person coordinates.
    pub coordinated_hubs: Vec<i32>,
    /// Their volunteer profile, if they have one (needed to apply and log hours).
    pub volunteer_profile: Option<i32>,
    /// Set when the request carries an organisation's API token: it may act for that
    /// organisation as staff, and for nothing personal.
    pub organisation_token: Option<i32>,
    /// Set for a social-prescribing link worker: where they work.
    pub link_worker: Option<LinkWorkerPost>,
}

/// Where a link worker works: a hub, a GP practice network, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkWorkerPost {
    pub hub: Option<i32>,
    pub gp_network: Option<String>,
}

impl Actor {
    pub fn role_in(&self, organisation: i32) -> Option<OrgRole> {
        self.memberships
            .iter()
            .find(|(org, _)| *org == organisation)
            .map(|(_, role)| *role)
    }

    pub fn coordinates(&self, hub: i32) -> bool {
        self.coordinated_hubs.contains(&hub)
    }

    /// Coordinates any of the hubs an organisation belongs to.
    pub fn coordinates_any(&self, hubs: &[i32]) -> bool {
        hubs.iter().any(|h| self.coordinates(*h))
    }

    /// Alliance admins and hub coordinators see borough-wide aggregates, so they must
    /// sign in with a second factor.
    pub fn needs_two_factor(&self) -> bool {
        self.alliance_admin || !self.coordinated_hubs.is_empty()
    }

    fn is_person(&self) -> bool {
        self.organisation_token.is_none()
    }

    /// A link worker who may refer into (and sign up residents at) `hub`: one attached to
    /// that hub, or one attached only to a GP practice network, whose patients live all
    /// over the borough.
    pub fn link_worker_for(&self, hub: i32) -> bool {
        self.is_person()
            && self
                .link_worker
                .as_ref()
                .is_some_and(|post| post.hub.is_none_or(|h| h == hub))
    }

    /// Link workers and hub coordinators use the front desk.
    pub fn at_front_desk(&self) -> bool {
        self.is_person() && (self.link_worker.is_some() || !self.coordinated_hubs.is_empty())
    }
}

/// Everything that needs permission, with the facts the decision depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// See and change one's own account, export or erase one's data, manage one's tokens.
    ManageOwnAccount,
    /// Register a new organisation (it waits for an alliance admin).
    RegisterOrganisation,
    /// See an organisation's staff list and invitations.
    ViewOrganisationStaff {
        organisation: i32,
        organisation_hubs: &'a [i32],
    },
    /// Invite, remove or change the permissions of an organisation's staff.
    ManageOrganisationStaff { organisation: i32 },
    /// Stop working for an organisation.
    LeaveOrganisation { organisation: i32 },
    /// Create and revoke the organisation's API tokens.
    ManageOrganisationTokens { organisation: i32 },
    /// Approve or suspend organisations.
    ReviewOrganisations,
    /// Assign and remove hub coordinators.
    ManageHubCoordinators,
    /// Read the audit log.
    ViewAuditLog,
    /// See emails that failed or went dead, and send them again.
    ManageOutbox,
    /// See the coordinator's view of one hub.
    ViewHubDashboard { hub: i32 },
    /// Edit an organisation's profile, causes and hub memberships.
    EditOrganisation { organisation: i32 },
    /// Create, edit and remove hubs.
    ManageHubs,
    /// Post, edit, duplicate, open and close an organisation's roles (and see its drafts).
    ManageRoles { organisation: i32 },
    /// See the applications to an organisation's roles and the applicants' details.
    ViewApplications {
        organisation: i32,
        organisation_hubs: &'a [i32],
    },
    /// Accept, decline or waitlist applications to an organisation's roles.
    DecideApplications { organisation: i32 },
    /// Confirm or reject hours logged on an organisation's roles; export them.
    ReviewHours { organisation: i32 },
    /// See an organisation's dashboard.
    ViewOrganisationDashboard { organisation: i32 },
    /// Volunteer: apply, withdraw, log hours, answer referrals (as themselves).
    Volunteer,
    /// Act on one volunteer's own application, hours entry or referral.
    ActAsVolunteer { volunteer_profile: i32 },
    /// Refer a volunteer to a role, as a coordinator of `hub`.
    ReferVolunteer { hub: i32 },
    /// See the volunteers matching suggests for one of an organisation's roles (only
    /// those who opted in; first name, ward and reasons).
    ViewSuggestedVolunteers {
        organisation: i32,
        organisation_hubs: &'a [i32],
    },
    /// Invite a suggested volunteer to apply for one of the organisation's roles.
    InviteToApply { organisation: i32 },
    /// Read the representativeness report (aggregates of equality answers) for a scope.
    ViewRepresentativeness { scope: ReportScope<'a> },
    /// Send an opportunities digest prompted by the report, as a coordinator of `hub`
    /// (alliance admins for any hub).
    SendOutreach { hub: i32 },
    /// Search volunteers who opted in to suggestions: organisation staff (or an
    /// organisation's token) and hub coordinators.
    SearchVolunteers,
    /// Define skills pathways, their stages and requirements; revoke certificates.
    ManagePathways,
    /// Sign off a volunteer's skill level or record their training for an organisation
    /// (its admins and staff, or its token; the model checks the volunteer applied there).
    SignOffSkills { organisation: i32 },
    /// Read how many young volunteers are at each pathway stage: borough-wide (`None`,
    /// alliance admins) or for one hub (its coordinators too).
    ViewPathwayReport { hub: Option<i32> },
    /// Make people link workers, attached to a hub or a GP practice network.
    ManageLinkWorkers,
    /// Use the front desk (refer residents, sign them up in person): link workers and
    /// hub coordinators.
    UseFrontDesk,
    /// Refer a resident into volunteering through `hub`.
    ReferResident { hub: i32 },
    /// See one social referral: who referred, the receiving organisation, the hub.
    ViewSocialReferral {
        referred_by: Option<i32>,
        organisation: i32,
        hub: i32,
    },
    /// See why a resident was referred: the referrer and the hub only, never the
    /// organisation.
    ViewReferralReason { referred_by: Option<i32>, hub: i32 },
    /// Move a referral on (received, contacted, started, ended, declined): the receiving
    /// organisation.
    UpdateSocialReferral { organisation: i32 },
    /// Record how a referral is going at 4 and 12 weeks: the referrer and the hub.
    RecordReferralOutcome { referred_by: Option<i32>, hub: i32 },
    /// Make a volunteer account in person for a resident, kept in touch with by `hub`.
    AssistedSignUp { hub: i32 },
    /// See and tick off the hub's list of residents to call.
    ViewToCallList { hub: i32 },
    /// Read the hub's referral report (aggregates).
    ViewReferralReport { hub: i32 },
}

/// Which volunteers a representativeness report counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportScope<'a> {
    Borough,
    Hub(i32),
    Organisation {
        organisation: i32,
        organisation_hubs: &'a [i32],
        /// Volunteers who applied to it and gave equality answers.
        respondents: u64,
    },
}

/// An organisation's own admins see its report only from this many respondents:
/// fewer, and a breakdown says too much about the few people they know by name.
pub const ORGANISATION_REPORT_MIN_RESPONDENTS: u64 = 20;

/// Alliance admins: everything. Coordinators: their hubs and the organisations in
/// them. Organisation admins: their own organisation once it has enough respondents.
fn sees_report(actor: &Actor, admin: bool, scope: ReportScope<'_>) -> bool {
    if admin {
        return true;
    }
    match scope {
        ReportScope::Borough => false,
        ReportScope::Hub(hub) => actor.coordinates(hub),
        ReportScope::Organisation {
            organisation,
            organisation_hubs,
            respondents,
        } => {
            actor.coordinates_any(organisation_hubs)
                || (actor.role_in(organisation) == Some(OrgRole::Admin)
                    && respondents >= ORGANISATION_REPORT_MIN_RESPONDENTS)
        }
    }
}

/// The outcome: allowed, or why not (anonymous people are asked to sign in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    SignInRequired,
    Forbidden,
}

/// The one decision per action. `None` is an anonymous visitor.
pub fn decide(actor: Option<&Actor>, action: &Action<'_>) -> Decision {
    let Some(actor) = actor else {
        return Decision::SignInRequired;
    };
    if allows(actor, action) {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

fn allows(actor: &Actor, action: &Action<'_>) -> bool {
    use Action::*;
    let admin = actor.alliance_admin && actor.is_person();
    match *action {
        ManageOwnAccount | RegisterOrganisation => actor.is_person(),
        ViewOrganisationStaff {
            organisation,
            organisation_hubs,
        } => {
            admin
                || actor.role_in(organisation).is_some()
                || (actor.is_person() && actor.coordinates_any(organisation_hubs))
        }
        ManageOrganisationStaff { organisation } | ManageOrganisationTokens { organisation } => {
            admin || (actor.is_person() && actor.role_in(organisation) == Some(OrgRole::Admin))
        }
        LeaveOrganisation { organisation } => {
            actor.is_person() && actor.role_in(organisation).is_some()
        }
        ReviewOrganisations | ManageHubCoordinators | ViewAuditLog | ManageOutbox => admin,
        SearchVolunteers => {
            !actor.memberships.is_empty()
                || actor.organisation_token.is_some()
                || (actor.is_person() && !actor.coordinated_hubs.is_empty())
        }
        ViewHubDashboard { hub } | ReferVolunteer { hub } => {
            admin || (actor.is_person() && actor.coordinates(hub))
        }
        EditOrganisation { organisation } => {
            admin || (actor.is_person() && actor.role_in(organisation) == Some(OrgRole::Admin))
        }
        ManageHubs => admin,
        // An organisation's token may post roles and handle applications and hours for it.
        ManageRoles { organisation }
        | DecideApplications { organisation }
        | ReviewHours { organisation }
        | ViewOrganisationDashboard { organisation } => actor.role_in(organisation).is_some(),
        ViewApplications {
            organisation,
            organisation_hubs,
        } => {
            admin
                || actor.role_in(organisation).is_some()
                || (actor.is_person() && actor.coordinates_any(organisation_hubs))
        }
        Volunteer => actor.is_person() && actor.volunteer_profile.is_some(),
        // The organisation's people (and its token) choose whom to invite; its hubs'
        // coordinators may look, to refer across hubs, but inviting is the organisation's.
        ViewSuggestedVolunteers {
            organisation,
            organisation_hubs,
        } => {
            actor.role_in(organisation).is_some()
                || (actor.is_person() && actor.coordinates_any(organisation_hubs))
        }
        InviteToApply { organisation } => actor.role_in(organisation).is_some(),
        ActAsVolunteer { volunteer_profile } => {
            actor.is_person() && actor.volunteer_profile == Some(volunteer_profile)
        }
        ViewRepresentativeness { scope } => actor.is_person() && sees_report(actor, admin, scope),
        SendOutreach { hub } => admin || (actor.is_person() && actor.coordinates(hub)),
        ManagePathways => admin,
        SignOffSkills { organisation } => actor.role_in(organisation).is_some(),
        ViewPathwayReport { hub } => {
            admin || (actor.is_person() && hub.is_some_and(|h| actor.coordinates(h)))
        }
        ManageLinkWorkers => admin,
        UseFrontDesk => actor.at_front_desk(),
        ReferResident { hub } | AssistedSignUp { hub } => {
            actor.link_worker_for(hub) || (actor.is_person() && actor.coordinates(hub))
        }
        ViewSocialReferral {
            referred_by,
            organisation,
            hub,
        } => {
            actor.role_in(organisation).is_some()
                || (actor.is_person()
                    && (referred_by == Some(actor.user_id) || actor.coordinates(hub)))
        }
        ViewReferralReason { referred_by, hub } | RecordReferralOutcome { referred_by, hub } => {
            actor.is_person() && (referred_by == Some(actor.user_id) || actor.coordinates(hub))
        }
        UpdateSocialReferral { organisation } => actor.role_in(organisation).is_some(),
        ViewToCallList { hub } => {
            admin
                || (actor.is_person()
                    && (actor.coordinates(hub)
                        || actor
                            .link_worker
                            .as_ref()
                            .is_some_and(|post| post.hub == Some(hub))))
        }
        ViewReferralReport { hub } => admin || (actor.is_person() && actor.coordinates(hub)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volunteer() -> Actor {
        Actor {
            user_id: 1,
            ..Actor::default()
        }
    }

    fn member(org: i32, role: OrgRole) -> Actor {
        Actor {
            user_id: 2,
            memberships: vec![(org, role)],
            ..Actor::default()
        }
    }

    fn coordinator(hub: i32) -> Actor {
        Actor {
            user_id: 3,
            coordinated_hubs: vec![hub],
            ..Actor::default()
        }
    }

    fn admin() -> Actor {
        Actor {
            user_id: 4,
            alliance_admin: true,
            ..Actor::default()
        }
    }

    #[test]
    fn anonymous_visitors_are_asked_to_sign_in_for_everything_here() {
        assert_eq!(
            decide(None, &Action::ManageOwnAccount),
            Decision::SignInRequired
        );
        assert_eq!(
            decide(None, &Action::ViewAuditLog),
            Decision::SignInRequired
        );
    }

    #[test]
    fn only_an_organisations_admins_manage_its_staff() {
        let manage = Action::ManageOrganisationStaff { organisation: 10 };
        assert_eq!(
            decide(Some(&member(10, OrgRole::Admin)), &manage),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&member(10, OrgRole::Staff)), &manage),
            Decision::Forbidden
        );
        assert_eq!(
            decide(Some(&member(11, OrgRole::Admin)), &manage),
            Decision::Forbidden
        );
        assert_eq!(decide(Some(&coordinator(1)), &manage), Decision::Forbidden);
        assert_eq!(decide(Some(&volunteer()), &manage), Decision::Forbidden);
        assert_eq!(decide(Some(&admin()), &manage), Decision::Allow);
    }

    #[test]
    fn hub_coordinators_see_staff_of_organisations_in_their_hubs_only() {
        let view = Action::ViewOrganisationStaff {
            organisation: 10,
            organisation_hubs: &[1, 2],
        };
        assert_eq!(decide(Some(&coordinator(2)), &view), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(3)), &view), Decision::Forbidden);
        assert_eq!(
            decide(Some(&member(10, OrgRole::Staff)), &view),
            Decision::Allow
        );
        assert_eq!(decide(Some(&volunteer()), &view), Decision::Forbidden);
    }

    #[test]
    fn an_organisation_token_acts_for_its_organisation_and_nothing_personal() {
        let token = Actor {
            user_id: 2,
            memberships: vec![(10, OrgRole::Staff)],
            organisation_token: Some(10),
            ..Actor::default()
        };
        assert_eq!(
            decide(Some(&token), &Action::ManageOwnAccount),
            Decision::Forbidden
        );
        assert_eq!(
            decide(
                Some(&token),
                &Action::ViewOrganisationStaff {
                    organisation: 10,
                    organisation_hubs: &[]
                }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&token),
                &Action::ManageOrganisationStaff { organisation: 10 }
            ),
            Decision::Forbidden
        );
    }

    #[test]
    fn only_alliance_admins_review_organisations_and_read_the_audit_log() {
        for action in [
            Action::ReviewOrganisations,
            Action::ManageHubCoordinators,
            Action::ViewAuditLog,
            Action::ManageOutbox,
        ] {
            assert_eq!(decide(Some(&admin()), &action), Decision::Allow);
            for other in [volunteer(), member(10, OrgRole::Admin), coordinator(1)] {
                assert_eq!(decide(Some(&other), &action), Decision::Forbidden);
            }
        }
    }

    #[test]
    fn roles_and_applications_belong_to_the_organisations_people() {
        let staff = member(10, OrgRole::Staff);
        for action in [
            Action::ManageRoles { organisation: 10 },
            Action::DecideApplications { organisation: 10 },
            Action::ReviewHours { organisation: 10 },
        ] {
            assert_eq!(decide(Some(&staff), &action), Decision::Allow);
            assert_eq!(
                decide(Some(&member(11, OrgRole::Admin)), &action),
                Decision::Forbidden
            );
            assert_eq!(decide(Some(&coordinator(1)), &action), Decision::Forbidden);
            assert_eq!(decide(Some(&admin()), &action), Decision::Forbidden);
        }
        let view = Action::ViewApplications {
            organisation: 10,
            organisation_hubs: &[1],
        };
        assert_eq!(decide(Some(&coordinator(1)), &view), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(2)), &view), Decision::Forbidden);
        assert_eq!(
            decide(Some(&staff), &Action::EditOrganisation { organisation: 10 }),
            Decision::Forbidden,
            "staff post roles; only admins edit the organisation"
        );
    }

    #[test]
    fn suggested_volunteers_are_for_the_organisation_and_its_hubs_coordinators() {
        let view = Action::ViewSuggestedVolunteers {
            organisation: 10,
            organisation_hubs: &[1],
        };
        let invite = Action::InviteToApply { organisation: 10 };
        let staff = member(10, OrgRole::Staff);
        assert_eq!(decide(Some(&staff), &view), Decision::Allow);
        assert_eq!(decide(Some(&staff), &invite), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(1)), &view), Decision::Allow);
        assert_eq!(
            decide(Some(&coordinator(1)), &invite),
            Decision::Forbidden,
            "coordinators refer; inviting is the organisation's"
        );
        for outsider in [
            volunteer(),
            member(11, OrgRole::Admin),
            coordinator(2),
            admin(),
        ] {
            assert_eq!(decide(Some(&outsider), &view), Decision::Forbidden);
            assert_eq!(decide(Some(&outsider), &invite), Decision::Forbidden);
        }
        assert_eq!(decide(None, &view), Decision::SignInRequired);
    }

    #[test]
    fn volunteers_act_only_for_themselves() {
        let me = Actor {
            user_id: 1,
            volunteer_profile: Some(100),
            ..Actor::default()
        };
        assert_eq!(decide(Some(&me), &Action::Volunteer), Decision::Allow);
        assert_eq!(
            decide(
                Some(&me),
                &Action::ActAsVolunteer {
                    volunteer_profile: 100
                }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&me),
                &Action::ActAsVolunteer {
                    volunteer_profile: 101
                }
            ),
            Decision::Forbidden
        );
        assert_eq!(
            decide(Some(&member(10, OrgRole::Staff)), &Action::Volunteer),
            Decision::Forbidden,
            "no volunteer profile yet"
        );
    }

    #[test]
    fn pathways_are_defined_by_admins_and_skills_signed_off_by_the_organisations_people() {
        let sign_off = Action::SignOffSkills { organisation: 10 };
        assert_eq!(
            decide(Some(&member(10, OrgRole::Staff)), &sign_off),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&member(10, OrgRole::Admin)), &sign_off),
            Decision::Allow
        );
        for outsider in [
            volunteer(),
            member(11, OrgRole::Admin),
            coordinator(1),
            admin(),
        ] {
            assert_eq!(decide(Some(&outsider), &sign_off), Decision::Forbidden);
        }
        assert_eq!(
            decide(Some(&admin()), &Action::ManagePathways),
            Decision::Allow
        );
        for other in [volunteer(), member(10, OrgRole::Admin), coordinator(1)] {
            assert_eq!(
                decide(Some(&other), &Action::ManagePathways),
                Decision::Forbidden
            );
        }
        let hub = |h| Action::ViewPathwayReport { hub: Some(h) };
        let borough = Action::ViewPathwayReport { hub: None };
        assert_eq!(decide(Some(&admin()), &borough), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(1)), &hub(1)), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(1)), &hub(2)), Decision::Forbidden);
        assert_eq!(decide(Some(&coordinator(1)), &borough), Decision::Forbidden);
        assert_eq!(
            decide(Some(&member(10, OrgRole::Admin)), &hub(1)),
            Decision::Forbidden
        );
    }

    #[test]
    fn admins_and_coordinators_need_a_second_factor() {
        assert!(admin().needs_two_factor());
        assert!(coordinator(1).needs_two_factor());
        assert!(!member(10, OrgRole::Admin).needs_two_factor());
        assert!(!volunteer().needs_two_factor());
    }

    #[test]
    fn the_representativeness_report_is_for_admins_coordinators_and_large_enough_organisations() {
        let org = |respondents| Action::ViewRepresentativeness {
            scope: ReportScope::Organisation {
                organisation: 10,
                organisation_hubs: &[1],
                respondents,
            },
        };
        let hub = |h| Action::ViewRepresentativeness {
            scope: ReportScope::Hub(h),
        };
        let borough = Action::ViewRepresentativeness {
            scope: ReportScope::Borough,
        };
        assert_eq!(decide(Some(&admin()), &borough), Decision::Allow);
        assert_eq!(decide(Some(&admin()), &org(0)), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(1)), &hub(1)), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(1)), &hub(2)), Decision::Forbidden);
        assert_eq!(decide(Some(&coordinator(1)), &borough), Decision::Forbidden);
        assert_eq!(decide(Some(&coordinator(1)), &org(3)), Decision::Allow);
        assert_eq!(
            decide(Some(&member(10, OrgRole::Admin)), &org(19)),
            Decision::Forbidden
        );
        assert_eq!(
            decide(Some(&member(10, OrgRole::Admin)), &org(20)),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&member(10, OrgRole::Staff)), &org(20)),
            Decision::Forbidden
        );
        assert_eq!(
            decide(Some(&member(11, OrgRole::Admin)), &org(50)),
            Decision::Forbidden
        );
        assert_eq!(decide(Some(&volunteer()), &borough), Decision::Forbidden);
        assert_eq!(decide(None, &borough), Decision::SignInRequired);
    }
    fn link_worker(hub: Option<i32>, network: Option<&str>) -> Actor {
        Actor {
            user_id: 5,
            link_worker: Some(LinkWorkerPost {
                hub,
                gp_network: network.map(str::to_owned),
            }),
            ..Actor::default()
        }
    }

    #[test]
    fn link_workers_refer_into_their_own_hub_and_network_workers_into_any() {
        let refer = |hub| Action::ReferResident { hub };
        assert_eq!(
            decide(Some(&link_worker(Some(1), None)), &refer(1)),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&link_worker(Some(1), None)), &refer(2)),
            Decision::Forbidden
        );
        assert_eq!(
            decide(
                Some(&link_worker(None, Some("North Southwark PCN"))),
                &refer(2)
            ),
            Decision::Allow
        );
        assert_eq!(decide(Some(&coordinator(1)), &refer(1)), Decision::Allow);
        assert_eq!(
            decide(Some(&coordinator(1)), &refer(2)),
            Decision::Forbidden
        );
        for other in [volunteer(), member(10, OrgRole::Admin), admin()] {
            assert_eq!(decide(Some(&other), &refer(1)), Decision::Forbidden);
        }
    }

    #[test]
    fn the_reason_for_a_referral_never_reaches_the_receiving_organisation() {
        let view = Action::ViewSocialReferral {
            referred_by: Some(5),
            organisation: 10,
            hub: 1,
        };
        let reason = Action::ViewReferralReason {
            referred_by: Some(5),
            hub: 1,
        };
        let org = member(10, OrgRole::Admin);
        assert_eq!(decide(Some(&org), &view), Decision::Allow);
        assert_eq!(decide(Some(&org), &reason), Decision::Forbidden);
        let lw = link_worker(Some(1), None);
        assert_eq!(decide(Some(&lw), &view), Decision::Allow);
        assert_eq!(decide(Some(&lw), &reason), Decision::Allow);
        // Another link worker of the same hub sees neither.
        let other_lw = Actor {
            user_id: 6,
            ..link_worker(Some(1), None)
        };
        assert_eq!(decide(Some(&other_lw), &view), Decision::Forbidden);
        assert_eq!(decide(Some(&coordinator(1)), &reason), Decision::Allow);
        assert_eq!(decide(Some(&coordinator(2)), &view), Decision::Forbidden);
        assert_eq!(
            decide(Some(&member(11, OrgRole::Admin)), &view),
            Decision::Forbidden
        );
        assert_eq!(
            decide(
                Some(&org),
                &Action::UpdateSocialReferral { organisation: 10 }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&lw),
                &Action::UpdateSocialReferral { organisation: 10 }
            ),
            Decision::Forbidden
        );
    }
}
