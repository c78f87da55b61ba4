//! The application status machine: which moves are allowed from which status, by whom,
//! and which of them free a place; who is old enough to apply; how long hours may be.
use std::fmt;

/// An application's status (`application.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Applied,
    Accepted,
    Declined,
    Waitlisted,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Applied,
        Status::Accepted,
        Status::Declined,
        Status::Waitlisted,
        Status::Withdrawn,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Waitlisted => "waitlisted",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// How a volunteer or organisation reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Waiting for a decision",
            Self::Accepted => "Accepted",
            Self::Declined => "Not successful",
            Self::Waitlisted => "On the waitlist",
            Self::Withdrawn => "Withdrawn",
        }
    }

    /// The GOV.UK tag colour class for the status.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Applied => "govuk-tag--blue",
            Self::Accepted => "govuk-tag--green",
            Self::Declined => "govuk-tag--red",
            Self::Waitlisted => "govuk-tag--yellow",
            Self::Withdrawn => "govuk-tag--grey",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What someone asks to happen to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// The volunteer applies (or re-opens a withdrawn application); `waitlist` when the
    /// role is full and they agreed to wait for a place.
    Apply {
        waitlist: bool,
    },
    Withdraw,
    Accept,
    Decline,
    Waitlist,
    /// A place came free and the longest-waiting volunteer is given it.
    OfferFreedPlace,
}

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Volunteer,
    Organisation,
    /// hubmatch itself, after another change (the waitlist rule).
    System,
}

/// Why a move is not allowed, in words for the person who tried it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAllowed {
    #[error("You have already applied for this role")]
    AlreadyApplied,
    #[error("This application has been withdrawn, so it cannot be changed")]
    Withdrawn,
    #[error("This application is already {0}")]
    AlreadyThere(&'static str),
    #[error("This application cannot be withdrawn: it was not successful")]
    NothingToWithdraw,
    #[error("Only the organisation can do that")]
    NotYours,
    #[error("Only a waitlisted volunteer can be offered a freed place")]
    NotWaitlisted,
}

/// The status after `mv`, or why it may not happen. `from` is `None` for a first application.
pub fn next(from: Option<Status>, mv: Move, by: Party) -> Result<Status, NotAllowed> {
    use Status::*;
    match (mv, by) {
        (Move::Apply { waitlist }, Party::Volunteer | Party::System) => match from {
            None | Some(Withdrawn) => Ok(if waitlist { Waitlisted } else { Applied }),
            Some(_) => Err(NotAllowed::AlreadyApplied),
        },
        (Move::Withdraw, Party::Volunteer) => match from {
            Some(Applied | Accepted | Waitlisted) => Ok(Withdrawn),
            Some(Withdrawn) => Err(NotAllowed::AlreadyThere("withdrawn")),
            Some(Declined) | None => Err(NotAllowed::NothingToWithdraw),
        },
        (Move::Accept | Move::Decline | Move::Waitlist, Party::Organisation) => {
            let to = match mv {
                Move::Accept => Accepted,
                Move::Decline => Declined,
                _ => Waitlisted,
            };
            match from {
                None | Some(Withdrawn) => Err(NotAllowed::Withdrawn),
                Some(s) if s == to => Err(NotAllowed::AlreadyThere(decided_word(to))),
                Some(_) => Ok(to),
            }
        }
        (Move::OfferFreedPlace, Party::System) => match from {
            Some(Waitlisted) => Ok(Accepted),
            _ => Err(NotAllowed::NotWaitlisted),
        },
        _ => Err(NotAllowed::NotYours),
    }
}

fn decided_word(status: Status) -> &'static str {
    match status {
        Status::Accepted => "accepted",
        Status::Declined => "declined",
        Status::Waitlisted => "on the waitlist",
        Status::Applied => "waiting for a decision",
        Status::Withdrawn => "withdrawn",
    }
}

/// Leaving `accepted` frees a place for the waitlist.
pub fn frees_place(from: Status, to: Status) -> bool {
    from == Status::Accepted && to != Status::Accepted
}

/// Why someone is too young for a role.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TooYoung {
    #[error("You need to be {min_age} or over to apply for this role")]
    BelowMinimumAge { min_age: i32 },
    #[error("This role is for volunteers aged 18 or over: it is not marked as youth-friendly")]
    NotYouthFriendly,
}

/// Whether a volunteer aged `age` may apply for a role with these age rules.
pub fn old_enough(age: i32, min_age: i32, youth_friendly: bool) -> Result<(), TooYoung> {
    if age < min_age {
        return Err(TooYoung::BelowMinimumAge { min_age });
    }
    if age < 18 && !youth_friendly {
        return Err(TooYoung::NotYouthFriendly);
    }
    Ok(())
}

/// The most time one entry of hours may claim: a whole day.
pub const MAX_MINUTES: i32 = 24 * 60;

/// Minutes from the "hours" and "minutes" boxes (either may be blank), or what is wrong,
/// naming the box to fix.
pub fn minutes_worked(hours: &str, minutes: &str) -> Result<i32, (&'static str, &'static str)> {
    let read = |raw: &str, field: &'static str| -> Result<i32, (&'static str, &'static str)> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(0);
        }
        match raw.parse::<i32>() {
            Ok(n) if n >= 0 => Ok(n),
            _ => Err((
                field,
                "Enter hours and minutes as whole numbers, like 2 and 30",
            )),
        }
    };
    let h = read(hours, "hours")?;
    let m = read(minutes, "minutes")?;
    if h == 0 && m == 0 {
        return Err(("hours", "Enter how long you volunteered for"));
    }
    if m > 59 && h > 0 {
        return Err((
            "minutes",
            "Minutes must be 59 or fewer when you enter hours",
        ));
    }
    let total = h.saturating_mul(60).saturating_add(m);
    if total > MAX_MINUTES {
        return Err(("hours", "You can log up to 24 hours for one day"));
    }
    Ok(total)
}

/// "2 hours 30 minutes", "45 minutes", "1 hour".
pub fn duration_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => String::new(),
        1 => "1 hour".to_owned(),
        n => format!("{n} hours"),
    };
    let mins = match m {
        0 => String::new(),
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    };
    match (hours.is_empty(), mins.is_empty()) {
        (true, true) => "0 hours".to_owned(),
        (false, true) => hours,
        (true, false) => mins,
        (false, false) => format!("{hours} {mins}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn volunteers_apply_once_but_may_reopen_a_withdrawn_application() {
        let apply = Move::Apply { waitlist: false };
        assert_eq!(next(None, apply, Party::Volunteer), Ok(Applied));
        assert_eq!(next(Some(Withdrawn), apply, Party::Volunteer), Ok(Applied));
        assert_eq!(
            next(None, Move::Apply { waitlist: true }, Party::Volunteer),
            Ok(Waitlisted)
        );
        for s in [Applied, Accepted, Declined, Waitlisted] {
            assert_eq!(
                next(Some(s), apply, Party::Volunteer),
                Err(NotAllowed::AlreadyApplied),
                "{s}"
            );
        }
    }

    #[test]
    fn only_the_organisation_decides_and_never_on_a_withdrawn_application() {
        for mv in [Move::Accept, Move::Decline, Move::Waitlist] {
            assert_eq!(
                next(Some(Applied), mv, Party::Volunteer),
                Err(NotAllowed::NotYours)
            );
            assert_eq!(
                next(Some(Withdrawn), mv, Party::Organisation),
                Err(NotAllowed::Withdrawn)
            );
        }
        assert_eq!(
            next(Some(Applied), Move::Accept, Party::Organisation),
            Ok(Accepted)
        );
        assert_eq!(
            next(Some(Waitlisted), Move::Accept, Party::Organisation),
            Ok(Accepted)
        );
        assert_eq!(
            next(Some(Accepted), Move::Waitlist, Party::Organisation),
            Ok(Waitlisted)
        );
        assert_eq!(
            next(Some(Accepted), Move::Accept, Party::Organisation),
            Err(NotAllowed::AlreadyThere("accepted"))
        );
    }

    #[test]
    fn withdrawing_is_the_volunteers_alone() {
        for s in [Applied, Accepted, Waitlisted] {
            assert_eq!(
                next(Some(s), Move::Withdraw, Party::Volunteer),
                Ok(Withdrawn)
            );
            assert_eq!(
                next(Some(s), Move::Withdraw, Party::Organisation),
                Err(NotAllowed::NotYours)
            );
        }
        assert!(next(Some(Declined), Move::Withdraw, Party::Volunteer).is_err());
        assert!(next(Some(Withdrawn), Move::Withdraw, Party::Volunteer).is_err());
    }

    #[test]
    fn only_a_waitlisted_volunteer_is_offered_a_freed_place() {
        assert_eq!(
            next(Some(Waitlisted), Move::OfferFreedPlace, Party::System),
            Ok(Accepted)
        );
        for s in [Applied, Accepted, Declined, Withdrawn] {
            assert!(next(Some(s), Move::OfferFreedPlace, Party::System).is_err());
        }
        assert!(next(Some(Waitlisted), Move::OfferFreedPlace, Party::Organisation).is_err());
    }

    #[test]
    fn leaving_accepted_frees_a_place() {
        for to in [Declined, Waitlisted, Withdrawn] {
            assert!(frees_place(Accepted, to));
        }
        assert!(!frees_place(Applied, Withdrawn));
        assert!(!frees_place(Waitlisted, Declined));
    }

    #[test]
    fn age_rules() {
        assert_eq!(old_enough(30, 18, false), Ok(()));
        assert_eq!(
            old_enough(15, 16, true),
            Err(TooYoung::BelowMinimumAge { min_age: 16 })
        );
        assert_eq!(old_enough(16, 16, false), Err(TooYoung::NotYouthFriendly));
        assert_eq!(old_enough(16, 14, true), Ok(()));
        assert_eq!(old_enough(18, 16, false), Ok(()));
    }

    #[test]
    fn hours_are_between_a_minute_and_a_day() {
        assert_eq!(minutes_worked("2", "30"), Ok(150));
        assert_eq!(minutes_worked("", "45"), Ok(45));
        assert_eq!(minutes_worked("", "90"), Ok(90));
        assert_eq!(minutes_worked("24", ""), Ok(1440));
        assert_eq!(minutes_worked("24", "1").unwrap_err().0, "hours");
        assert_eq!(minutes_worked("", "").unwrap_err().0, "hours");
        assert_eq!(minutes_worked("0", "0").unwrap_err().0, "hours");
        assert_eq!(minutes_worked("two", "").unwrap_err().0, "hours");
        assert_eq!(minutes_worked("1", "-5").unwrap_err().0, "minutes");
        assert_eq!(minutes_worked("1", "75").unwrap_err().0, "minutes");
        assert_eq!(minutes_worked("99999999999", "").unwrap_err().0, "hours");
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_words(150), "2 hours 30 minutes");
        assert_eq!(duration_words(60), "1 hour");
        assert_eq!(duration_words(1), "1 minute");
        assert_eq!(duration_words(0), "0 hours");
    }
}
