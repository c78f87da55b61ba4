//! The authorisation matrix: every signed-in route × every kind of actor, with the
//! expected allow or deny. Later issues add their routes to `ROUTES`.
//!
//! Allowed means the request got past authorisation: any answer but 401/403, a
//! not-found for someone else's thing, or a redirect to sign in or to set up
//! two-factor. Denied means 403 for a signed-in person (or 404 where the thing belongs
//! to someone else, so its existence is not revealed), and for an anonymous visitor a
//! redirect to sign in (pages) or 401 (API). State-changing routes are sent with empty
//! or harmless forms: permission is decided before input is checked, so the allowed
//! get a 400 (or a harmless change) and the denied a 403.
use std::collections::BTreeMap;

use hubmatch::entities::{
    application, hours_log, link_worker, referral, social_referral, volunteer_profile,
};
use hubmatch::models::api_tokens;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::fixtures::{Borough, borough};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Volunteer,
    OtherVolunteer,
    OrgStaff,
    OrgAdmin,
    OtherOrgAdmin,
    Coordinator,
    OtherCoordinator,
    AllianceAdmin,
    /// Issue 11: a social-prescribing link worker attached to the Peckham hub.
    LinkWorker,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    Volunteer,
    OtherVolunteer,
    OrgStaff,
    OrgAdmin,
    OtherOrgAdmin,
    Coordinator,
    OtherCoordinator,
    AllianceAdmin,
    LinkWorker,
];
const SIGNED_IN: &[Who] = &[
    Volunteer,
    OtherVolunteer,
    OrgStaff,
    OrgAdmin,
    OtherOrgAdmin,
    Coordinator,
    OtherCoordinator,
    AllianceAdmin,
    LinkWorker,
];

/// The ids a route's path is made from.
struct Ids {
    org: i32,
    pending_org: i32,
    hub: i32,
    volunteer: i32,
    volunteer_token: i32,
    /// Issue 5: roles of `org` (open, draft, closed, past its closing date).
    role: i32,
    draft_role: i32,
    closed_role: i32,
    expired_role: i32,
    /// The volunteer's application to `role` (applied), and another volunteer's.
    application: i32,
    other_application: i32,
    /// Hours the volunteer claimed on `role`.
    hours: i32,
    /// A pending referral of the volunteer to another role.
    referral: i32,
    /// Issue 11: the link worker's social referral of the volunteer to `org` via `hub`.
    social_referral: i32,
}

struct Route {
    method: &'static str,
    path: String,
    allowed: &'static [Who],
    /// The form sent with a POST (the CSRF token is added).
    form: Vec<(&'static str, String)>,
    /// Someone else's thing answers 404, so its existence is not revealed: a 404 is
    /// then a denial.
    private: bool,
}

fn get(path: String, allowed: &'static [Who]) -> Route {
    Route {
        method: "GET",
        path,
        allowed,
        form: Vec::new(),
        private: false,
    }
}

fn post(path: String, allowed: &'static [Who]) -> Route {
    Route {
        method: "POST",
        ..get(path, allowed)
    }
}

impl Route {
    fn private(mut self) -> Self {
        self.private = true;
        self
    }
}

/// Every route of issue 4 that needs more than an anonymous visitor.
fn routes(ids: &Ids) -> Vec<Route> {
    let mut all = accounts_routes(ids);
    all.extend(volunteering_routes(ids));
    all.extend(volunteering_api_routes(ids));
    all.extend(representativeness_routes(ids));
    all.extend(matching_routes(ids));
    all.extend(front_desk_routes(ids));
    all.extend(pathways_routes(ids));
    // Last, because the allowed really leave (the org admin is its last admin and is refused).
    all.push(post(
        format!("/organisations/{}/leave", ids.org),
        &[OrgStaff, OrgAdmin],
    ));
    all
}

/// Issue 4: accounts, organisations' staff, the alliance admin area.
fn accounts_routes(ids: &Ids) -> Vec<Route> {
    let Ids {
        org,
        pending_org,
        hub,
        volunteer,
        volunteer_token,
        ..
    } = *ids;
    const ORG_MEMBERS_AND_OVERSIGHT: &[Who] = &[OrgStaff, OrgAdmin, Coordinator, AllianceAdmin];
    const ORG_ADMINS: &[Who] = &[OrgAdmin, AllianceAdmin];
    const ALLIANCE: &[Who] = &[AllianceAdmin];
    const OWNER: &[Who] = &[Volunteer];
    vec![
        // A person's own account: anyone signed in, for themselves.
        get("/account".into(), SIGNED_IN),
        get("/account/password".into(), SIGNED_IN),
        post("/account/password".into(), SIGNED_IN),
        get("/account/email".into(), SIGNED_IN),
        post("/account/email".into(), SIGNED_IN),
        get("/account/email-preferences".into(), SIGNED_IN),
        post("/account/email-preferences".into(), SIGNED_IN),
        get("/account/two-factor".into(), SIGNED_IN),
        get("/account/api-tokens".into(), SIGNED_IN),
        post("/account/api-tokens".into(), SIGNED_IN),
        post(
            format!("/account/api-tokens/{volunteer_token}/revoke"),
            OWNER,
        )
        .private(),
        get("/account/export".into(), SIGNED_IN),
        get("/account/export.json".into(), SIGNED_IN),
        get("/account/delete".into(), SIGNED_IN),
        post("/account/delete".into(), SIGNED_IN),
        get("/api/v1/me".into(), SIGNED_IN),
        get("/api/v1/me/export".into(), SIGNED_IN),
        // Organisations.
        get("/organisations/register".into(), SIGNED_IN),
        post("/organisations/register".into(), SIGNED_IN),
        get(
            format!("/organisations/{org}/staff"),
            ORG_MEMBERS_AND_OVERSIGHT,
        ),
        post(format!("/organisations/{org}/staff/invite"), ORG_ADMINS),
        // Someone who is not on the staff: allowed actors get "not on the staff".
        post(
            format!("/organisations/{org}/staff/{volunteer}/remove"),
            ORG_ADMINS,
        ),
        post(
            format!("/organisations/{org}/staff/{volunteer}/role"),
            ORG_ADMINS,
        ),
        get(format!("/organisations/{org}/api-tokens"), ORG_ADMINS),
        post(format!("/organisations/{org}/api-tokens"), ORG_ADMINS),
        // The alliance admin area.
        get("/admin".into(), ALLIANCE),
        get("/admin/audit".into(), ALLIANCE),
        get("/admin/outbox".into(), ALLIANCE),
        // No such email: the admin gets past authorisation to a 404.
        post("/admin/outbox/999999/retry".into(), ALLIANCE),
        post(
            format!("/admin/organisations/{pending_org}/approve"),
            ALLIANCE,
        ),
        post(
            format!("/admin/organisations/{pending_org}/suspend"),
            ALLIANCE,
        ),
        get(format!("/admin/hubs/{hub}/coordinators"), ALLIANCE),
        post(format!("/admin/hubs/{hub}/coordinators"), ALLIANCE),
        post(
            format!("/admin/hubs/{hub}/coordinators/{volunteer}/remove"),
            ALLIANCE,
        ),
    ]
}

/// Issue 5: organisation profiles, hubs, roles, profiles, applications, hours,
/// dashboards and referrals. Rows that change things come after the rows that read.
fn volunteering_routes(ids: &Ids) -> Vec<Route> {
    let Ids {
        org,
        hub,
        role,
        draft_role,
        closed_role,
        expired_role,
        application,
        other_application,
        hours,
        referral,
        ..
    } = *ids;
    const ORG_ADMINS: &[Who] = &[OrgAdmin, AllianceAdmin];
    const MEMBERS: &[Who] = &[OrgStaff, OrgAdmin];
    const MEMBERS_AND_OVERSIGHT: &[Who] = &[OrgStaff, OrgAdmin, Coordinator, AllianceAdmin];
    const APPLICANT_AND_ORGANISATION: &[Who] =
        &[Volunteer, OrgStaff, OrgAdmin, Coordinator, AllianceAdmin];
    const ALLIANCE: &[Who] = &[AllianceAdmin];
    const HUB: &[Who] = &[Coordinator, AllianceAdmin];
    const OWNER: &[Who] = &[Volunteer];
    let missing = i32::MAX - 1;
    vec![
        // Organisation profile and hubs.
        get(format!("/organisations/{org}/edit"), ORG_ADMINS),
        post(format!("/organisations/{org}/edit"), ORG_ADMINS),
        get("/admin/hubs".into(), ALLIANCE),
        post("/admin/hubs".into(), ALLIANCE),
        get(format!("/admin/hubs/{hub}/edit"), ALLIANCE),
        post(format!("/admin/hubs/{hub}/edit"), ALLIANCE),
        // Posting and managing roles: the organisation's own people.
        get(format!("/organisations/{org}/roles"), MEMBERS),
        get(format!("/organisations/{org}/roles/new"), MEMBERS),
        post(format!("/organisations/{org}/roles/new"), MEMBERS),
        get(format!("/roles/{role}/edit"), MEMBERS),
        post(format!("/roles/{role}/edit"), MEMBERS),
        get(format!("/roles/{draft_role}/preview"), MEMBERS),
        get(format!("/roles/{role}/sessions"), MEMBERS),
        post(format!("/roles/{role}/sessions"), MEMBERS),
        post(format!("/roles/{role}/sessions/{missing}/remove"), MEMBERS),
        post(format!("/roles/{expired_role}/open"), MEMBERS),
        post(format!("/roles/{closed_role}/close"), MEMBERS),
        post(format!("/roles/{draft_role}/duplicate"), MEMBERS),
        // A volunteer's own pages (others are sent to make a profile first).
        get("/profile".into(), SIGNED_IN),
        post("/profile".into(), SIGNED_IN),
        get("/dashboard".into(), SIGNED_IN),
        get(format!("/roles/{role}/apply"), SIGNED_IN),
        // The closed role refuses everyone who gets that far.
        post(format!("/roles/{closed_role}/apply"), SIGNED_IN),
        // Applications: the applicant, and the organisation's people (coordinators of
        // its hubs and alliance admins may read).
        get(
            format!("/applications/{application}"),
            APPLICANT_AND_ORGANISATION,
        )
        .private(),
        get(
            format!("/organisations/{org}/applications"),
            MEMBERS_AND_OVERSIGHT,
        ),
        get(format!("/organisations/{org}/hours"), MEMBERS),
        get(format!("/organisations/{org}/hours.csv"), MEMBERS),
        get(format!("/organisations/{org}/dashboard"), MEMBERS),
        get(format!("/hubs/{hub}/dashboard"), HUB),
        post(format!("/hubs/{hub}/referrals"), HUB),
        post(
            format!("/applications/{other_application}/waitlist"),
            MEMBERS,
        ),
        post(
            format!("/applications/{other_application}/decline"),
            MEMBERS,
        ),
        post(format!("/applications/{application}/accept"), MEMBERS),
        get(format!("/applications/{application}/hours"), OWNER).private(),
        post(format!("/applications/{application}/hours"), OWNER).private(),
        post(format!("/hours/{hours}/confirm"), MEMBERS),
        post(format!("/hours/{hours}/reject"), MEMBERS),
        post(format!("/referrals/{referral}/decline"), OWNER).private(),
        post(format!("/referrals/{referral}/accept"), OWNER).private(),
        post(format!("/applications/{application}/withdraw"), OWNER).private(),
    ]
}

/// Issue 8: equality monitoring (one's own) and the representativeness report. With
/// no filter a coordinator gets their own hub's report; the organisation admin's
/// organisation has fewer than 20 respondents here, so they are refused.
fn representativeness_routes(ids: &Ids) -> Vec<Route> {
    const COORDINATORS: &[Who] = &[Coordinator, OtherCoordinator, AllianceAdmin];
    const THIS_HUB: &[Who] = &[Coordinator, AllianceAdmin];
    let (hub, org) = (ids.hub, ids.org);
    vec![
        get("/account/equality".into(), SIGNED_IN),
        post("/account/equality".into(), SIGNED_IN),
        post("/account/equality/withdraw".into(), SIGNED_IN),
        get("/reports/representativeness".into(), COORDINATORS),
        get(format!("/reports/representativeness?hub={hub}"), THIS_HUB),
        get(
            format!("/reports/representativeness?organisation={org}"),
            THIS_HUB,
        ),
        get(
            format!("/reports/representativeness.csv?hub={hub}"),
            THIS_HUB,
        ),
        get(
            format!("/reports/representativeness.json?hub={hub}"),
            THIS_HUB,
        ),
        get("/api/v1/reports/representativeness".into(), COORDINATORS),
        get(
            format!("/api/v1/reports/representativeness?organisation={org}"),
            THIS_HUB,
        ),
        // Outreach: a coordinator's own hub by default; without a target it is a 400.
        get("/reports/representativeness/outreach".into(), COORDINATORS),
        get(
            format!("/reports/representativeness/outreach?hub={hub}"),
            THIS_HUB,
        ),
        post("/reports/representativeness/outreach".into(), COORDINATORS),
    ]
}

async fn add_application(app: &TestApp, role_id: i32, volunteer_id: i32) -> i32 {
    let now = hubmatch::db::now();
    application::ActiveModel {
        role_id: Set(role_id),
        volunteer_id: Set(volunteer_id),
        status: Set("applied".into()),
        message: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

/// Issue 5's JSON API, called with a browser session (tokens are tested in
/// `api_v1_validation`). Sent with an empty body: the allowed get a 400 for it.
fn volunteering_api_routes(ids: &Ids) -> Vec<Route> {
    let Ids {
        org,
        hub,
        role,
        closed_role,
        expired_role,
        application,
        hours,
        ..
    } = *ids;
    const MEMBERS: &[Who] = &[OrgStaff, OrgAdmin];
    const MEMBERS_AND_OVERSIGHT: &[Who] = &[OrgStaff, OrgAdmin, Coordinator, AllianceAdmin];
    const APPLICANT_AND_ORGANISATION: &[Who] =
        &[Volunteer, OrgStaff, OrgAdmin, Coordinator, AllianceAdmin];
    const VOLUNTEERS: &[Who] = &[Volunteer, OtherVolunteer];
    const OWNER: &[Who] = &[Volunteer];
    let api = |method: &'static str, path: String, allowed: &'static [Who]| Route {
        method,
        ..get(format!("/api/v1{path}"), allowed)
    };
    vec![
        api("GET", format!("/organisations/{org}/roles"), MEMBERS),
        api("POST", format!("/organisations/{org}/roles"), MEMBERS),
        api("PATCH", format!("/roles/{role}"), MEMBERS),
        api("GET", format!("/roles/{role}/sessions"), MEMBERS),
        api("POST", format!("/roles/{role}/sessions"), MEMBERS),
        api("POST", format!("/roles/{expired_role}/open"), MEMBERS),
        api("POST", format!("/roles/{closed_role}/close"), MEMBERS),
        api(
            "POST",
            format!("/roles/{closed_role}/applications"),
            VOLUNTEERS,
        ),
        api("GET", "/me/applications".into(), VOLUNTEERS),
        api("GET", "/me/hours".into(), VOLUNTEERS),
        api(
            "GET",
            format!("/organisations/{org}/applications"),
            MEMBERS_AND_OVERSIGHT,
        ),
        api(
            "GET",
            format!("/applications/{application}"),
            APPLICANT_AND_ORGANISATION,
        ),
        api(
            "POST",
            format!("/applications/{application}/decision"),
            MEMBERS,
        ),
        api("POST", format!("/applications/{application}/hours"), OWNER),
        api("GET", format!("/organisations/{org}/hours"), MEMBERS),
        api("GET", format!("/organisations/{org}/hours/totals"), MEMBERS),
        api("POST", format!("/hours/{hours}/review"), MEMBERS),
        api("GET", format!("/hubs/{hub}/roles"), EVERYONE),
        api("GET", "/search/roles?q=food".into(), EVERYONE),
        api(
            "GET",
            "/search/volunteers?q=driving".into(),
            &[
                OrgStaff,
                OrgAdmin,
                OtherOrgAdmin,
                Coordinator,
                OtherCoordinator,
            ],
        ),
        // After the page's withdraw row: the allowed get "already withdrawn".
        api(
            "POST",
            format!("/applications/{application}/withdraw"),
            OWNER,
        ),
    ]
}

/// Issue 7: recommendations (a volunteer's own) and suggested volunteers (the role's
/// organisation; its hubs' coordinators may look but not invite). Permission comes
/// before the volunteer is looked at, and nobody in the cast opted in to suggestions,
/// so the allowed get a 400 and nothing is sent.
fn matching_routes(ids: &Ids) -> Vec<Route> {
    const VOLUNTEERS: &[Who] = &[Volunteer, OtherVolunteer];
    const ORGANISATION: &[Who] = &[OrgStaff, OrgAdmin];
    const ORGANISATION_AND_HUB: &[Who] = &[OrgStaff, OrgAdmin, Coordinator];
    let Ids {
        role, volunteer, ..
    } = *ids;
    vec![
        get("/roles/recommended".into(), SIGNED_IN),
        get(format!("/roles/{role}/suggested"), ORGANISATION_AND_HUB),
        post(
            format!("/roles/{role}/suggested/{volunteer}/invite"),
            ORGANISATION,
        ),
        Route {
            method: "GET",
            ..get("/api/v1/me/recommendations".into(), VOLUNTEERS)
        },
        Route {
            method: "GET",
            ..get(
                format!("/api/v1/roles/{role}/suggested-volunteers"),
                ORGANISATION_AND_HUB,
            )
        },
    ]
}

/// Issue 11: the hub front desk, organisations' social referrals, link workers.
fn front_desk_routes(ids: &Ids) -> Vec<Route> {
    const DESK: &[Who] = &[LinkWorker, Coordinator, OtherCoordinator];
    const PECKHAM_DESK: &[Who] = &[LinkWorker, Coordinator];
    const ORGANISATION: &[Who] = &[OrgStaff, OrgAdmin];
    const CALLS: &[Who] = &[LinkWorker, Coordinator, AllianceAdmin];
    const REFERRAL_READERS: &[Who] = &[LinkWorker, OrgStaff, OrgAdmin, Coordinator];
    let Ids {
        org,
        hub,
        social_referral: sr,
        ..
    } = *ids;
    let peckham = vec![("hub_id", hub.to_string())];
    vec![
        get("/front-desk".into(), DESK),
        Route {
            form: peckham.clone(),
            ..post("/front-desk/referrals".into(), PECKHAM_DESK)
        },
        post(format!("/front-desk/referrals/{sr}/outcomes"), PECKHAM_DESK),
        get("/front-desk/residents".into(), DESK),
        get("/front-desk/suggestions?resident=0".into(), DESK),
        Route {
            form: peckham,
            ..post("/front-desk/residents".into(), PECKHAM_DESK)
        },
        get(format!("/organisations/{org}/referrals"), ORGANISATION),
        post(
            format!("/organisations/{org}/referrals/{sr}/status"),
            ORGANISATION,
        ),
        get(format!("/hubs/{hub}/to-call"), CALLS),
        post(format!("/hubs/{hub}/to-call/999999/done"), CALLS),
        get(
            format!("/hubs/{hub}/referrals/report"),
            &[Coordinator, AllianceAdmin],
        ),
        get("/admin/link-workers".into(), &[AllianceAdmin]),
        post("/admin/link-workers".into(), &[AllianceAdmin]),
        get("/api/v1/social-referrals".into(), SIGNED_IN),
        post("/api/v1/social-referrals".into(), DESK),
        get(format!("/api/v1/social-referrals/{sr}"), REFERRAL_READERS),
        post(
            format!("/api/v1/social-referrals/{sr}/status"),
            ORGANISATION,
        ),
        post(
            format!("/api/v1/social-referrals/{sr}/outcomes"),
            PECKHAM_DESK,
        ),
    ]
}

/// Issue 10: skills pathways. Volunteers see their own progress and export; the
/// organisation's people tag its roles and sign off skills; alliance admins define
/// pathways; coordinators read their own hub's counts. No pathway exists here, so the
/// allowed get a 404 (not private: it reveals nothing) or a 400.
fn pathways_routes(ids: &Ids) -> Vec<Route> {
    const VOLUNTEERS: &[Who] = &[Volunteer, OtherVolunteer];
    const ORGANISATION: &[Who] = &[OrgStaff, OrgAdmin];
    const ADMIN: &[Who] = &[AllianceAdmin];
    let Ids { org, hub, role, .. } = *ids;
    let api = |method: &'static str, path: String, allowed: &'static [Who]| Route {
        method,
        ..get(format!("/api/v1{path}"), allowed)
    };
    vec![
        get("/pathways".into(), EVERYONE),
        get("/pathways/no-such-pathway".into(), VOLUNTEERS),
        post("/pathways/no-such-pathway/join".into(), VOLUNTEERS),
        get("/pathways/dofe?months=3".into(), VOLUNTEERS),
        get("/pathways/dofe.csv?months=12".into(), VOLUNTEERS),
        get(format!("/roles/{role}/pathways"), ORGANISATION),
        post(format!("/roles/{role}/pathways"), ORGANISATION),
        get(format!("/organisations/{org}/sign-offs"), ORGANISATION),
        post(format!("/organisations/{org}/sign-offs"), ORGANISATION),
        post(format!("/organisations/{org}/training"), ORGANISATION),
        get("/admin/pathways".into(), ADMIN),
        post("/admin/pathways".into(), ADMIN),
        get("/admin/pathways/no-such-pathway".into(), ADMIN),
        post("/certificates/no-such-serial/revoke".into(), ADMIN),
        get(
            "/reports/pathways".into(),
            &[Coordinator, OtherCoordinator, AllianceAdmin],
        ),
        get(
            format!("/reports/pathways?hub={hub}"),
            &[Coordinator, AllianceAdmin],
        ),
        api("GET", "/pathways".into(), EVERYONE),
        api("POST", "/pathways".into(), ADMIN),
        api("GET", "/me/pathways".into(), VOLUNTEERS),
        api("GET", "/me/pathways/dofe?months=6".into(), VOLUNTEERS),
        api("POST", "/pathways/no-such-pathway/enrol".into(), VOLUNTEERS),
        api(
            "POST",
            format!("/organisations/{org}/sign-offs"),
            ORGANISATION,
        ),
        api(
            "POST",
            format!("/organisations/{org}/training"),
            ORGANISATION,
        ),
        api("PUT", format!("/roles/{role}/pathway-stages"), ORGANISATION),
        api(
            "GET",
            format!("/reports/pathways?hub={hub}"),
            &[Coordinator, AllianceAdmin],
        ),
        api("GET", "/reports/pathways".into(), ADMIN),
    ]
}

struct Cast {
    browsers: BTreeMap<Who, Browser>,
}

async fn cast(app: &TestApp, b: &Borough) -> (Cast, Ids) {
    let people: [(Who, PersonSpec<'_>); 9] = [
        (
            Volunteer,
            PersonSpec {
                email: "volunteer@example.org",
                born: Some(adult_birthday()),
                ..PersonSpec::default()
            },
        ),
        (
            OtherVolunteer,
            PersonSpec {
                email: "other.volunteer@example.org",
                born: Some(adult_birthday()),
                ..PersonSpec::default()
            },
        ),
        (
            OrgStaff,
            PersonSpec {
                email: "staff@food.example.org",
                organisation: Some((b.food_hub.id, "staff")),
                ..PersonSpec::default()
            },
        ),
        (
            OrgAdmin,
            PersonSpec {
                email: "admin@food.example.org",
                organisation: Some((b.food_hub.id, "admin")),
                ..PersonSpec::default()
            },
        ),
        (
            OtherOrgAdmin,
            PersonSpec {
                email: "admin@befrienders.example.org",
                organisation: Some((b.befrienders.id, "admin")),
                ..PersonSpec::default()
            },
        ),
        (
            Coordinator,
            PersonSpec {
                email: "coordinator.peckham@example.org",
                coordinates_hub: Some(b.peckham_hub.id),
                two_factor: true,
                ..PersonSpec::default()
            },
        ),
        (
            OtherCoordinator,
            PersonSpec {
                email: "coordinator.walworth@example.org",
                coordinates_hub: Some(b.walworth_hub.id),
                two_factor: true,
                ..PersonSpec::default()
            },
        ),
        (
            AllianceAdmin,
            PersonSpec {
                email: "alliance.admin@example.org",
                alliance_admin: true,
                two_factor: true,
                ..PersonSpec::default()
            },
        ),
        (
            LinkWorker,
            PersonSpec {
                email: "link.worker@example.org",
                ..PersonSpec::default()
            },
        ),
    ];
    let mut browsers = BTreeMap::new();
    browsers.insert(Anonymous, Browser::new(app));
    let (mut volunteer_id, mut other_volunteer_id, mut link_worker_id) = (0, 0, 0);
    for (who, spec) in people {
        let email = spec.email;
        let person = add_person(&app.db, spec).await;
        if who == LinkWorker {
            link_worker_id = person.id;
            link_worker::ActiveModel {
                user_id: Set(person.id),
                hub_id: Set(Some(b.peckham_hub.id)),
                gp_network: Set(None),
                created_by: Set(None),
                created_at: Set(hubmatch::db::now()),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        if who == Volunteer {
            volunteer_id = person.id;
        }
        if who == OtherVolunteer {
            other_volunteer_id = person.id;
        }
        let browser = Browser::new(app);
        browser.sign_in(&app.db, email).await;
        browsers.insert(who, browser);
    }
    let token = api_tokens::create(&app.db, volunteer_id, None, "matrix")
        .await
        .unwrap();
    let profile_of = |user_id| async move {
        volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::UserId.eq(user_id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a volunteer profile")
            .id
    };
    let volunteer_profile_id = profile_of(volunteer_id).await;
    let other_profile_id = profile_of(other_volunteer_id).await;
    let application = add_application(app, b.food_packing.id, volunteer_profile_id).await;
    let other_application = add_application(app, b.food_packing.id, other_profile_id).await;
    let now = hubmatch::db::now();
    let hours = hours_log::ActiveModel {
        volunteer_id: Set(volunteer_profile_id),
        role_id: Set(b.food_packing.id),
        worked_on: Set(now.date()),
        minutes: Set(120),
        status: Set("claimed".into()),
        note: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let referral = referral::ActiveModel {
        volunteer_id: Set(volunteer_profile_id),
        role_id: Set(b.meal_delivery.id),
        referred_by: Set(None),
        from_hub_id: Set(Some(b.peckham_hub.id)),
        note: Set(String::new()),
        status: Set("pending".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let social_referral = social_referral::ActiveModel {
        volunteer_profile_id: Set(volunteer_profile_id),
        referred_by: Set(Some(link_worker_id)),
        source: Set("link_worker".into()),
        gp_network: Set(None),
        hub_id: Set(b.peckham_hub.id),
        organisation_id: Set(b.food_hub.id),
        role_id: Set(Some(b.food_packing.id)),
        consent_recorded_at: Set(now),
        consent_by: Set(Some(link_worker_id)),
        hopes: Set("company".into()),
        needs: Set(String::new()),
        reason: Set("private".into()),
        status: Set("sent".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let ids = Ids {
        org: b.food_hub.id,
        pending_org: i32::MAX - 1,
        hub: b.peckham_hub.id,
        volunteer: volunteer_id,
        volunteer_token: token.row.id,
        role: b.food_packing.id,
        draft_role: b.draft.id,
        closed_role: b.closed.id,
        expired_role: b.expired.id,
        application,
        other_application,
        hours,
        referral,
        social_referral,
    };
    (Cast { browsers }, ids)
}

/// What happened, in the matrix's words.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Denied,
}

async fn attempt(browser: &Browser, route: &Route) -> (Outcome, String) {
    let res = match route.method {
        "GET" => browser.get(&route.path).await,
        "POST" => {
            let form: Vec<(&str, &str)> =
                route.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(&route.path, &form).await
        }
        // The API's other verbs, from a signed-in browser: the form token in its header.
        method => browser
            .client
            .request(
                method.parse().unwrap(),
                format!("{}{}", browser.base, route.path),
            )
            .header("sec-fetch-site", "same-origin")
            .header("x-csrf-token", browser.csrf().await)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap(),
    };
    let status = res.status().as_u16();
    let to = location(&res);
    let what = format!("{status} {to}");
    let denied = matches!(status, 401 | 403)
        || (status == 404 && route.private)
        || (status / 100 == 3
            && (to.starts_with("/sign-in") || to.starts_with("/account/two-factor")));
    (
        if denied {
            Outcome::Denied
        } else {
            Outcome::Allowed
        },
        what,
    )
}

async fn every_route_allows_exactly_the_expected_actors(app: TestApp) {
    let b = borough(&app.db).await;
    let (cast, ids) = cast(&app, &b).await;
    let mut wrong = Vec::new();
    for route in routes(&ids) {
        for who in EVERYONE {
            let expected = if route.allowed.contains(who) {
                Outcome::Allowed
            } else {
                Outcome::Denied
            };
            let (got, what) = attempt(&cast.browsers[who], &route).await;
            if got != expected {
                wrong.push(format!(
                    "{} {} as {who:?}: expected {expected:?}, got {got:?} ({what})",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of the matrix's answers are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

on_both_databases!(every_route_allows_exactly_the_expected_actors);
