//! Every kind of email we send: its stable outbox kind, whether it is essential, the
//! preference that turns it off, and the typed content of the kinds built here.

/// A group of non-essential emails a person can turn on or off. The keys are stored in
/// `email_preference.kind` and named in unsubscribe links, so they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preference {
    ApplicationUpdates,
    Referrals,
    InvitationsToApply,
    WeeklyDigest,
    ClosingSoon,
    SessionReminders,
    Hours,
    Pathways,
    OutreachDigest,
}

impl Preference {
    pub const ALL: [Preference; 9] = [
        Self::ApplicationUpdates,
        Self::Referrals,
        Self::InvitationsToApply,
        Self::WeeklyDigest,
        Self::ClosingSoon,
        Self::SessionReminders,
        Self::Hours,
        Self::Pathways,
        Self::OutreachDigest,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::ApplicationUpdates => "application_updates",
            Self::Referrals => "referrals",
            Self::InvitationsToApply => "invitations_to_apply",
            Self::WeeklyDigest => "weekly_digest",
            Self::ClosingSoon => "closing_soon",
            Self::SessionReminders => "session_reminders",
            Self::Hours => "hours",
            Self::Pathways => "pathways",
            Self::OutreachDigest => "outreach_digest",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Digests are opt-in: nobody gets a regular email they did not ask for.
    pub fn default_enabled(self) -> bool {
        !matches!(self, Self::WeeklyDigest | Self::OutreachDigest)
    }

    /// The checkbox label on the preferences page.
    pub fn label(self) -> &'static str {
        match self {
            Self::ApplicationUpdates => "Applications",
            Self::Referrals => "Roles suggested by a hub",
            Self::InvitationsToApply => "Invitations to apply",
            Self::WeeklyDigest => "Weekly roles for you",
            Self::ClosingSoon => "Roles closing soon",
            Self::SessionReminders => "Session reminders",
            Self::Hours => "Volunteering hours",
            Self::Pathways => "Pathways",
            Self::OutreachDigest => "Outreach digest",
        }
    }

    /// What the emails are, in plain words, under the checkbox.
    pub fn description(self) -> &'static str {
        match self {
            Self::ApplicationUpdates => {
                "When you apply, when an organisation decides, when a place comes up – and, for organisation staff, new applications."
            }
            Self::Referrals => "When a hub coordinator suggests a role to you.",
            Self::InvitationsToApply => "When an organisation invites you to apply for a role.",
            Self::WeeklyDigest => {
                "Once a week, new roles that match your causes, skills and area. Off until you choose it."
            }
            Self::ClosingSoon => {
                "For organisation staff: a role closes in 3 days and still has places."
            }
            Self::SessionReminders => "The day before a session you are going to.",
            Self::Hours => {
                "When your hours are confirmed and, for organisation staff, hours waiting to be confirmed."
            }
            Self::Pathways => "When you complete a stage of a pathway.",
            Self::OutreachDigest => {
                "Now and then, volunteering opportunities from your community hub near you or in causes you care about. Off until you choose it."
            }
        }
    }

    /// Said in the footer of each email of this group: why the reader got it.
    pub fn why(self) -> &'static str {
        match self {
            Self::WeeklyDigest | Self::OutreachDigest => "You get this because you asked for it.",
            _ => "You get this because of your activity on hubmatch.",
        }
    }
}

/// Every email kind: `email.<key>` in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    // Essential: always sent, no unsubscribe.
    Verify,
    PasswordReset,
    PasswordChanged,
    ChangeEmail,
    EmailChangeNotice,
    SignUpExisting,
    GuardianConsent,
    StaffInvite,
    CoordinatorAssigned,
    OrganisationWaiting,
    OrganisationApproved,
    OrganisationSuspended,
    SocialReferralNew,
    LinkWorkerInvite,
    // Non-essential.
    ApplicationReceived,
    ApplicationApplied,
    ApplicationNew,
    ApplicationAccepted,
    ApplicationDeclined,
    ApplicationWaitlisted,
    ApplicationWithdrawn,
    ApplicationPlaceOffered,
    ApplicationWithdrawnNotice,
    Referral,
    InvitationToApply,
    WeeklyDigest,
    ClosingSoon,
    SessionReminder,
    HoursToConfirm,
    HoursConfirmed,
    HoursRejected,
    PathwayStageCompleted,
    OutreachDigest,
}

impl Kind {
    pub const ALL: [Kind; 33] = [
        Self::Verify,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::ChangeEmail,
        Self::EmailChangeNotice,
        Self::SignUpExisting,
        Self::GuardianConsent,
        Self::StaffInvite,
        Self::CoordinatorAssigned,
        Self::OrganisationWaiting,
        Self::OrganisationApproved,
        Self::OrganisationSuspended,
        Self::SocialReferralNew,
        Self::LinkWorkerInvite,
        Self::ApplicationReceived,
        Self::ApplicationApplied,
        Self::ApplicationNew,
        Self::ApplicationAccepted,
        Self::ApplicationDeclined,
        Self::ApplicationWaitlisted,
        Self::ApplicationWithdrawn,
        Self::ApplicationPlaceOffered,
        Self::ApplicationWithdrawnNotice,
        Self::Referral,
        Self::InvitationToApply,
        Self::WeeklyDigest,
        Self::ClosingSoon,
        Self::SessionReminder,
        Self::HoursToConfirm,
        Self::HoursConfirmed,
        Self::HoursRejected,
        Self::PathwayStageCompleted,
        Self::OutreachDigest,
    ];

    /// The outbox kind, e.g. `email.verify`.
    pub fn outbox_kind(self) -> &'static str {
        match self {
            Self::Verify => "email.verify",
            Self::PasswordReset => "email.password_reset",
            Self::PasswordChanged => "email.password_changed",
            Self::ChangeEmail => "email.change_email",
            Self::EmailChangeNotice => "email.email_change_notice",
            Self::SignUpExisting => "email.sign_up_existing",
            Self::GuardianConsent => "email.guardian_consent",
            Self::StaffInvite => "email.staff_invite",
            Self::CoordinatorAssigned => "email.coordinator_assigned",
            Self::OrganisationWaiting => "email.organisation_waiting",
            Self::OrganisationApproved => "email.organisation_approved",
            Self::OrganisationSuspended => "email.organisation_suspended",
            Self::SocialReferralNew => "email.social_referral_new",
            Self::LinkWorkerInvite => "email.link_worker_invite",
            Self::ApplicationApplied => "email.application_applied",
            Self::ApplicationReceived => "email.application_received",
            Self::ApplicationNew => "email.application_new",
            Self::ApplicationAccepted => "email.application_accepted",
            Self::ApplicationDeclined => "email.application_declined",
            Self::ApplicationWaitlisted => "email.application_waitlisted",
            Self::ApplicationWithdrawn => "email.application_withdrawn",
            Self::ApplicationPlaceOffered => "email.application_place_offered",
            Self::ApplicationWithdrawnNotice => "email.application_withdrawn_notice",
            Self::Referral => "email.referral",
            Self::InvitationToApply => "email.invitation_to_apply",
            Self::WeeklyDigest => "email.weekly_digest",
            Self::ClosingSoon => "email.closing_soon",
            Self::SessionReminder => "email.session_reminder",
            Self::HoursToConfirm => "email.hours_to_confirm",
            Self::HoursConfirmed => "email.hours_confirmed",
            Self::HoursRejected => "email.hours_rejected",
            Self::PathwayStageCompleted => "email.pathway_stage_completed",
            Self::OutreachDigest => "email.outreach_digest",
        }
    }

    pub fn parse(outbox_kind: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.outbox_kind() == outbox_kind)
    }

    /// The preference that turns this kind off; `None` for essential kinds, which are
    /// about the account itself (or a duty) and always go.
    pub fn preference(self) -> Option<Preference> {
        use Preference as P;
        match self {
            Self::Verify
            | Self::PasswordReset
            | Self::PasswordChanged
            | Self::ChangeEmail
            | Self::EmailChangeNotice
            | Self::SignUpExisting
            | Self::GuardianConsent
            | Self::StaffInvite
            | Self::CoordinatorAssigned
            | Self::OrganisationWaiting
            | Self::OrganisationApproved
            | Self::OrganisationSuspended
            | Self::SocialReferralNew
            | Self::LinkWorkerInvite => None,
            Self::ApplicationReceived
            | Self::ApplicationApplied
            | Self::ApplicationNew
            | Self::ApplicationAccepted
            | Self::ApplicationDeclined
            | Self::ApplicationWaitlisted
            | Self::ApplicationWithdrawn
            | Self::ApplicationPlaceOffered
            | Self::ApplicationWithdrawnNotice => Some(P::ApplicationUpdates),
            Self::Referral => Some(P::Referrals),
            Self::InvitationToApply => Some(P::InvitationsToApply),
            Self::WeeklyDigest => Some(P::WeeklyDigest),
            Self::ClosingSoon => Some(P::ClosingSoon),
            Self::SessionReminder => Some(P::SessionReminders),
            Self::HoursToConfirm | Self::HoursConfirmed | Self::HoursRejected => Some(P::Hours),
            Self::PathwayStageCompleted => Some(P::Pathways),
            Self::OutreachDigest => Some(P::OutreachDigest),
        }
    }
}

/// The preference of an outbox kind string; `None` for essential or unknown kinds
/// (an unknown kind is treated as essential: better one email too many than a lost one).
pub fn preference_of(outbox_kind: &str) -> Option<Preference> {
    Kind::parse(outbox_kind).and_then(Kind::preference)
}

/// A call to action: one button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub url: String,
}

/// One line of a list (a role in a digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    pub detail: String,
    pub url: String,
}

/// The words of one email, laid out by `templates/emails/layout.{html,txt}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Content {
    pub subject: String,
    pub greeting: Option<String>,
    pub paragraphs: Vec<String>,
    pub items: Vec<Item>,
    pub action: Option<Action>,
}

impl Content {
    /// Paragraphs and an optional `(label, url)` button: the shape of the account and
    /// application emails, whose words are chosen where the change happens.
    pub fn new(subject: &str, paragraphs: &[&str], action: Option<(&str, &str)>) -> Self {
        Self {
            subject: subject.to_owned(),
            greeting: None,
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            items: Vec::new(),
            action: action.map(|(label, url)| Action {
                label: label.to_owned(),
                url: url.to_owned(),
            }),
        }
    }
}

/// A typed email: its kind and its content.
pub trait Email {
    fn kind(&self) -> Kind;
    fn content(&self) -> Content;
}

/// Any kind with content built by the caller.
pub struct Composed {
    pub kind: Kind,
    pub content: Content,
}

impl Email for Composed {
    fn kind(&self) -> Kind {
        self.kind
    }
    fn content(&self) -> Content {
        self.content.clone()
    }
}

/// A role in a digest or list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLine {
    pub title: String,
    pub organisation: String,
    pub url: String,
}

fn role_items(roles: &[RoleLine]) -> Vec<Item> {
    roles
        .iter()
        .map(|r| Item {
            title: r.title.clone(),
            detail: r.organisation.clone(),
            url: r.url.clone(),
        })
        .collect()
}

/// An organisation invites a volunteer (suggested to it by matching) to apply.
pub struct InvitationToApply {
    pub first_name: String,
    pub role_title: String,
    pub organisation: String,
    pub role_url: String,
    /// The organisation's own note; may be empty.
    pub message: String,
}

impl Email for InvitationToApply {
    fn kind(&self) -> Kind {
        Kind::InvitationToApply
    }
    fn content(&self) -> Content {
        let mut paragraphs = vec![format!(
            "{} would like you to apply for {}. They saw that it fits what you told us about yourself.",
            self.organisation, self.role_title
        )];
        if !self.message.trim().is_empty() {
            paragraphs.push(format!("Their note: {}", self.message.trim()));
        }
        paragraphs.push(
            "You are seeing this because you chose to be suggested to organisations. You can \
             turn that off on your profile."
                .to_owned(),
        );
        Content {
            subject: format!("You're invited to apply: {}", self.role_title),
            greeting: Some(format!("Hello {},", self.first_name)),
            paragraphs,
            items: Vec::new(),
            action: Some(Action {
                label: "See the role".into(),
                url: self.role_url.clone(),
            }),
        }
    }
}

/// To residents who asked to hear about opportunities: a hub's digest of open roles,
/// sent from the representativeness report's outreach page.
pub struct OutreachDigest {
    pub hub_name: String,
    pub intro: String,
    pub roles: Vec<RoleLine>,
    pub all_roles_url: String,
}

impl Email for OutreachDigest {
    fn kind(&self) -> Kind {
        Kind::OutreachDigest
    }
    fn content(&self) -> Content {
        Content {
            subject: format!("Volunteering roles near you: {}", self.hub_name),
            greeting: None,
            paragraphs: vec![self.intro.clone()],
            items: role_items(&self.roles),
            action: Some(Action {
                label: "See all open roles".into(),
                url: self.all_roles_url.clone(),
            }),
        }
    }
}

/// New roles from the last week that match the volunteer.
pub struct WeeklyDigest {
    pub first_name: String,
    pub roles: Vec<RoleLine>,
    pub search_url: String,
}

impl Email for WeeklyDigest {
    fn kind(&self) -> Kind {
        Kind::WeeklyDigest
    }
    fn content(&self) -> Content {
        let n = self.roles.len();
        Content {
            subject: format!(
                "{n} new role{} for you this week",
                if n == 1 { "" } else { "s" }
            ),
            greeting: Some(format!("Hello {},", self.first_name)),
            paragraphs: vec![
                "These roles opened in the last week and share a cause with your profile.".into(),
            ],
            items: role_items(&self.roles),
            action: Some(Action {
                label: "See all open roles".into(),
                url: self.search_url.clone(),
            }),
        }
    }
}

/// To organisation staff: a role closes soon and still has places.
pub struct ClosingSoon {
    pub role_title: String,
    /// e.g. "Friday 4 December".
    pub closes_on: String,
    pub places_left: i64,
    pub manage_url: String,
}

impl Email for ClosingSoon {
    fn kind(&self) -> Kind {
        Kind::ClosingSoon
    }
    fn content(&self) -> Content {
        let places = if self.places_left == 1 {
            "1 place is".to_owned()
        } else {
            format!("{} places are", self.places_left)
        };
        Content {
            subject: format!("Closing soon with places left: {}", self.role_title),
            greeting: None,
            paragraphs: vec![
                format!(
                    "{} closes on {} and {places} still unfilled.",
                    self.role_title, self.closes_on
                ),
                "You could extend the closing date, or ask your hub coordinator to suggest it to volunteers."
                    .into(),
            ],
            items: Vec::new(),
            action: Some(Action {
                label: "Manage the role".into(),
                url: self.manage_url.clone(),
            }),
        }
    }
}

/// To an accepted volunteer, the day before their session.
pub struct SessionReminder {
    pub first_name: String,
    pub role_title: String,
    pub organisation: String,
    /// e.g. "Tuesday 1 December, 10:00 to 12:00".
    pub when: String,
    pub where_: String,
    pub application_url: String,
}

impl Email for SessionReminder {
    fn kind(&self) -> Kind {
        Kind::SessionReminder
    }
    fn content(&self) -> Content {
        let mut paragraphs = vec![format!(
            "A reminder that you are volunteering as {} with {} on {}.",
            self.role_title, self.organisation, self.when
        )];
        if !self.where_.is_empty() {
            paragraphs.push(format!("Where: {}", self.where_));
        }
        paragraphs.push(
            "If you can no longer come, please withdraw so the place can go to someone else."
                .into(),
        );
        Content {
            subject: format!("Tomorrow: {}", self.role_title),
            greeting: Some(format!("Hello {},", self.first_name)),
            paragraphs,
            items: Vec::new(),
            action: Some(Action {
                label: "See your application".into(),
                url: self.application_url.clone(),
            }),
        }
    }
}

/// To organisation staff: hours claimed some days ago still wait for them.
pub struct HoursToConfirmNudge {
    pub organisation: String,
    pub waiting: i64,
    pub older_than_days: i64,
    pub review_url: String,
}

impl Email for HoursToConfirmNudge {
    fn kind(&self) -> Kind {
        Kind::HoursToConfirm
    }
    fn content(&self) -> Content {
        let entries = if self.waiting == 1 {
            "1 entry".to_owned()
        } else {
            format!("{} entries", self.waiting)
        };
        Content {
            subject: format!("Hours waiting to be confirmed at {}", self.organisation),
            greeting: None,
            paragraphs: vec![
                format!(
                    "Volunteers logged {entries} of hours with {} more than {} days ago, still waiting for you to confirm.",
                    self.organisation, self.older_than_days
                ),
                "Confirmed hours count towards their record and references.".into(),
            ],
            items: Vec::new(),
            action: Some(Action {
                label: "Review hours".into(),
                url: self.review_url.clone(),
            }),
        }
    }
}

/// A volunteer completed a stage of a pathway (sent once pathways exist).
pub struct PathwayStageCompleted {
    pub first_name: String,
    pub pathway: String,
    pub stage: String,
    pub next_stage: Option<String>,
    pub pathway_url: String,
}

impl Email for PathwayStageCompleted {
    fn kind(&self) -> Kind {
        Kind::PathwayStageCompleted
    }
    fn content(&self) -> Content {
        let mut paragraphs = vec![format!(
            "Well done: you have completed {} on the {} pathway.",
            self.stage, self.pathway
        )];
        if let Some(next) = &self.next_stage {
            paragraphs.push(format!("Next: {next}."));
        }
        Content {
            subject: format!("Stage completed: {}", self.stage),
            greeting: Some(format!("Hello {},", self.first_name)),
            paragraphs,
            items: Vec::new(),
            action: Some(Action {
                label: "See your pathway".into(),
                url: self.pathway_url.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_preferences_round_trip_through_their_keys() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.outbox_kind()), Some(kind));
        }
        for p in Preference::ALL {
            assert_eq!(Preference::parse(p.key()), Some(p));
        }
        assert_eq!(Preference::parse("everything"), None);
    }

    /// The flows build some kinds from a status: each must exist, or the flow would fail.
    #[test]
    fn every_kind_a_flow_builds_from_a_status_exists() {
        for status in crate::domain::applications::Status::ALL {
            let kind = format!("email.application_{}", status.as_str());
            assert!(Kind::parse(&kind).is_some(), "{kind}");
        }
        for done in ["approved", "suspended"] {
            let kind = format!("email.organisation_{done}");
            assert_eq!(
                Kind::parse(&kind).map(Kind::preference),
                Some(None),
                "{kind}"
            );
        }
    }

    #[test]
    fn only_the_digests_are_opt_in_and_account_emails_are_essential() {
        let off: Vec<_> = Preference::ALL
            .into_iter()
            .filter(|p| !p.default_enabled())
            .collect();
        assert_eq!(off, [Preference::WeeklyDigest, Preference::OutreachDigest]);
        for essential in [
            "email.verify",
            "email.password_reset",
            "email.change_email",
            "email.guardian_consent",
            "email.staff_invite",
        ] {
            assert_eq!(preference_of(essential), None, "{essential}");
        }
        assert_eq!(
            preference_of("email.application_received"),
            Some(Preference::ApplicationUpdates)
        );
        // Every preference is reachable from some kind.
        for p in Preference::ALL {
            assert!(Kind::ALL.iter().any(|k| k.preference() == Some(p)), "{p:?}");
        }
    }
}

/// To a receiving organisation: a link worker or hub has referred a resident to it.
/// Essential: it is the organisation's duty to answer. It says only what the organisation
/// needs to make contact, never why the resident was referred.
pub struct SocialReferralNew {
    pub organisation: String,
    pub resident_first_name: String,
    /// The role they were referred to, if any.
    pub role_title: Option<String>,
    pub hub_name: String,
    /// Plain-words hopes and needs.
    pub hopes: Vec<String>,
    pub needs: Vec<String>,
    pub referral_url: String,
}

impl Email for SocialReferralNew {
    fn kind(&self) -> Kind {
        Kind::SocialReferralNew
    }
    fn content(&self) -> Content {
        let to_what = match &self.role_title {
            Some(title) => format!("for {title}"),
            None => "to volunteer with you".to_owned(),
        };
        let mut paragraphs = vec![format!(
            "{} has referred {} {to_what}, with their consent.",
            self.hub_name, self.resident_first_name
        )];
        if !self.hopes.is_empty() {
            paragraphs.push(format!("They hope for: {}.", self.hopes.join(", ")));
        }
        if !self.needs.is_empty() {
            paragraphs.push(format!("Please arrange: {}.", self.needs.join(", ")));
        }
        paragraphs.push(
            "Please get in touch within 7 days and record each step on hubmatch, so the \
             person who referred them can follow how it goes."
                .to_owned(),
        );
        Content {
            subject: format!("New referral for {}", self.organisation),
            greeting: Some(format!("Hello {},", self.organisation)),
            paragraphs,
            items: Vec::new(),
            action: Some(Action {
                label: "See the referral".into(),
                url: self.referral_url.clone(),
            }),
        }
    }
}
