//! Joining and proving who you are: volunteer sign-up (with the age rules), address
//! verification, a guardian's consent, password resets, email changes, and their emails.
use std::sync::LazyLock;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use time::{Date, Month};

use crate::auth::EmailAddress;
use crate::email::{self, EnqueueError};
use crate::entities::{account_token, membership, organisation, user, volunteer_profile};
use crate::error::AppError;
use crate::models::account_tokens::{self, Kind, TokenFor};
use crate::models::accounts;

/// Younger than this cannot sign up.
pub const MINIMUM_AGE: i32 = 14;
/// Younger than this needs a parent or guardian to agree before the account opens.
pub const GUARDIAN_AGE: i32 = 16;
/// Younger than this is a young volunteer: only youth-friendly roles are offered.
pub const ADULT_AGE: i32 = 18;

/// Whole years from `born` to `today`.
pub fn age_on(born: Date, today: Date) -> i32 {
    let mut age = today.year() - born.year();
    if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
        age -= 1;
    }
    age
}

/// The date of birth from the three boxes of a GOV.UK date input, or what is wrong.
pub fn parse_date_of_birth(
    day: &str,
    month: &str,
    year: &str,
    today: Date,
) -> Result<Date, &'static str> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Err("Enter your date of birth");
    }
    if day.is_empty() {
        return Err("Date of birth must include a day");
    }
    if month.is_empty() {
        return Err("Date of birth must include a month");
    }
    if year.is_empty() {
        return Err("Date of birth must include a year");
    }
    let (Ok(d), Ok(m), Ok(y)) = (day.parse::<u8>(), month.parse::<u8>(), year.parse::<i32>())
    else {
        return Err("Date of birth must be a real date, in numbers, like 27 3 2008");
    };
    if year.len() != 4 {
        return Err("Year must include 4 numbers");
    }
    let Some(date) = Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
    else {
        return Err("Date of birth must be a real date");
    };
    if date > today {
        return Err("Date of birth must be in the past");
    }
    if y < 1900 {
        return Err("Date of birth must be after 1900");
    }
    Ok(date)
}

/// Southwark's postcode districts (SE1, SE5, SE15 …), from the wards' reference data.
static SOUTHWARK_DISTRICTS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all: Vec<&'static str> = crate::seed::southwark_wards()
        .iter()
        .flat_map(|w| crate::seed::postcode_districts(w.code).iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
});

pub fn is_southwark_district(district: &str) -> bool {
    SOUTHWARK_DISTRICTS.contains(&district)
}

/// A UK outward code (the part of a postcode before the space: SE15, SW1A, N1), upper-case.
/// A whole postcode is accepted and cut to its outward part, so nobody is stopped for
/// typing more than asked.
pub fn parse_postcode_district(raw: &str) -> Result<String, &'static str> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    // A full postcode ends with its inward code: a digit and two letters.
    let outward = match compact.len().checked_sub(3).map(|i| compact.split_at(i)) {
        Some((head, tail)) if head.len() >= 2 && is_inward(tail) && is_outward(head) => {
            head.to_owned()
        }
        _ => compact,
    };
    if is_outward(&outward) {
        Ok(outward)
    } else {
        Err("Enter the first part of your postcode, like SE15")
    }
}

fn is_inward(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

/// Area (1–2 letters), district (a digit, then an optional digit or letter).
fn is_outward(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, x] => d.is_ascii_digit() && (x.is_ascii_digit() || x.is_ascii_uppercase()),
        _ => false,
    }
}

/// A checked sign-up, ready to be written.
#[derive(Clone, Debug)]
pub struct NewVolunteer {
    pub email: EmailAddress,
    pub display_name: String,
    pub date_of_birth: Date,
    pub ward_id: Option<i32>,
    pub postcode_district: Option<String>,
    /// Only for under-16s.
    pub guardian_email: Option<EmailAddress>,
}

/// What a sign-up did; the person sees the same page either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignUpOutcome {
    Created {
        user_id: i32,
    },
    /// The address already has an account: its owner was told by email instead.
    AlreadyRegistered,
}

/// Queues an email in the caller's transaction.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    kind: &str,
    message: &email::Draft,
) -> Result<(), AppError> {
    match email::send_draft(db, base_url, kind, message).await {
        Ok(_) => Ok(()),
        Err(EnqueueError::Database(e)) => Err(AppError::Database(e)),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

/// The first word of a display name, for greetings.
pub fn first_name(display_name: &str) -> &str {
    display_name
        .split_whitespace()
        .next()
        .unwrap_or(display_name)
}

/// Writes the account, profile, links and emails of a sign-up (call inside one
/// transaction). An address that already has an account gets a "you already have an
/// account" email and nothing else changes. `link` makes an absolute URL of a path.
pub async fn create_volunteer<C: ConnectionTrait>(
    db: &C,
    new: &NewVolunteer,
    password_hash: String,
    link: &impl Fn(&str) -> String,
) -> Result<SignUpOutcome, AppError> {
    if accounts::find_by_email(db, new.email.as_str())
        .await?
        .is_some()
    {
        tell_existing_account(db, new.email.as_str(), link).await?;
        return Ok(SignUpOutcome::AlreadyRegistered);
    }
    let now = crate::db::now();
    let status = if new.guardian_email.is_some() {
        accounts::PENDING_GUARDIAN
    } else {
        accounts::PENDING_VERIFICATION
    };
    let person = user::ActiveModel {
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(Some(password_hash)),
        display_name: Set(new.display_name.clone()),
        is_alliance_admin: Set(false),
        status: Set(status.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        terms_accepted_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    volunteer_profile::ActiveModel {
        user_id: Set(person.id),
        date_of_birth: Set(new.date_of_birth),
        ward_id: Set(new.ward_id),
        postcode_district: Set(new.postcode_district.clone()),
        travel_km: Set(5),
        remote_ok: Set(false),
        languages: Set("en".into()),
        access_needs: Set(String::new()),
        bio: Set(String::new()),
        open_to_suggestions: Set(false),
        guardian_email: Set(new.guardian_email.as_ref().map(|g| g.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;

    let first = first_name(&person.display_name);
    let secret = account_tokens::issue(
        db,
        Kind::VerifyEmail,
        TokenFor {
            user_id: Some(person.id),
            email: Some(person.email.clone()),
            ..TokenFor::default()
        },
    )
    .await?;
    let greeting = format!("Hello {first},");
    let mut paragraphs = vec![
        greeting.as_str(),
        "Thank you for signing up to volunteer with hubmatch Southwark. Confirm your email \
         address to finish creating your account.",
        "The link works for 48 hours. If you did not sign up, ignore this email and no \
         account will be opened.",
    ];
    if new.guardian_email.is_some() {
        paragraphs.push(
            "Because you are under 16, we have also emailed your parent or guardian. Your \
             account opens once they have agreed and you have confirmed your address.",
        );
    }
    queue(
        db,
        &link(""),
        "email.verify",
        &email::draft(
            &person.email,
            "Confirm your email address for hubmatch",
            &paragraphs,
            Some((
                "Confirm your email address",
                &link(&format!("/verify-email/{secret}")),
            )),
        ),
    )
    .await?;

    if let Some(guardian) = &new.guardian_email {
        let secret = account_tokens::issue(
            db,
            Kind::GuardianConsent,
            TokenFor {
                user_id: Some(person.id),
                email: Some(guardian.as_str().to_owned()),
                ..TokenFor::default()
            },
        )
        .await?;
        let told = format!(
            "{first} has signed up to volunteer through hubmatch Southwark and gave this \
             address for their parent or guardian."
        );
        let why = format!(
            "hubmatch matches Southwark residents with volunteering roles at community \
             organisations. Because {first} is under 16, their account stays closed until a \
             parent or guardian agrees. They will only be offered roles that organisations \
             have marked as suitable for young volunteers."
        );
        let ignore = format!(
            "If you do not know {first}, or you do not agree, ignore this email: the \
             account will not be opened. The link works for 14 days."
        );
        queue(
            db,
            &link(""),
            "email.guardian_consent",
            &email::draft(
                guardian.as_str(),
                &format!("{first} would like to volunteer: please confirm"),
                &["Hello,", &told, &why, &ignore],
                Some((
                    "Read more and agree",
                    &link(&format!("/guardian-consent/{secret}")),
                )),
            ),
        )
        .await?;
    }
    Ok(SignUpOutcome::Created { user_id: person.id })
}

/// The email to the owner of an address someone tried to sign up with again.
pub async fn tell_existing_account<C: ConnectionTrait>(
    db: &C,
    to: &str,
    link: &impl Fn(&str) -> String,
) -> Result<(), AppError> {
    let reset = format!(
        "If you have forgotten your password, reset it here: {}",
        link("/password-reset")
    );
    queue(
        db,
        &link(""),
        "email.sign_up_existing",
        &email::draft(
            to,
            "You already have a hubmatch account",
            &[
                "Someone, perhaps you, tried to create a hubmatch account with this email \
                 address. You already have an account, so no new one was made.",
                &reset,
                "If it was not you, you do not need to do anything: your account has not changed.",
            ],
            Some(("Sign in", &link("/sign-in"))),
        ),
    )
    .await
}

/// The account a live link of `kind` belongs to, when it still has the address the
/// link was sent for (a link to an old address stops working once the address changes).
async fn owner_of<C: ConnectionTrait>(
    db: &C,
    token: &account_token::Model,
) -> Result<Option<user::Model>, DbErr> {
    let Some(user_id) = token.user_id else {
        return Ok(None);
    };
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.erased_at.is_none() && u.status != accounts::DISABLED))
}

/// Active once the address is verified and, for under-16s, a guardian has agreed.
fn status_after(verified: bool, guardian_needed: bool, guardian_agreed: bool) -> &'static str {
    if !verified {
        accounts::PENDING_VERIFICATION
    } else if guardian_needed && !guardian_agreed {
        accounts::PENDING_GUARDIAN
    } else {
        accounts::ACTIVE
    }
}

pub async fn profile_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<volunteer_profile::Model>, DbErr> {
    volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Whether this account still waits for a guardian (a profile with a guardian's address
/// and no consent yet).
fn waits_for_guardian(profile: Option<&volunteer_profile::Model>) -> bool {
    profile.is_some_and(|p| p.guardian_email.is_some() && p.guardian_consent_at.is_none())
}

/// Marks the address verified and opens the account unless a guardian is still to
/// agree. Returns the new status.
pub async fn mark_verified<C: ConnectionTrait>(
    db: &C,
    person: user::Model,
) -> Result<String, DbErr> {
    let profile = profile_of(db, person.id).await?;
    let waiting = waits_for_guardian(profile.as_ref());
    let now = crate::db::now();
    let status = if person.status == accounts::ACTIVE {
        accounts::ACTIVE
    } else {
        status_after(true, waiting, !waiting)
    };
    let mut row: user::ActiveModel = person.clone().into();
    if person.verified_at.is_none() {
        row.verified_at = Set(Some(now));
    }
    row.status = Set(status.to_owned());
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(status.to_owned())
}

/// Uses a verification link: the account's address is verified. `None` when the link is
/// unknown, used, expired, or for an address the account no longer has.
pub async fn verify_email<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<String>, DbErr> {
    let Some(token) = account_tokens::consume(db, Kind::VerifyEmail, secret).await? else {
        return Ok(None);
    };
    let Some(person) = owner_of(db, &token).await? else {
        return Ok(None);
    };
    if token.email.as_deref() != Some(person.email.as_str()) {
        return Ok(None);
    }
    mark_verified(db, person).await.map(Some)
}

/// The child a live guardian link is about, without using the link up.
pub async fn guardian_link<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<(account_token::Model, user::Model)>, DbErr> {
    let Some(token) = account_tokens::peek(db, Kind::GuardianConsent, secret).await? else {
        return Ok(None);
    };
    Ok(owner_of(db, &token).await?.map(|u| (token, u)))
}

/// Records a guardian's consent from their link and opens the account if the child has
/// verified their address. Returns the child's account, or `None` for a dead link.
pub async fn record_guardian_consent<C: ConnectionTrait>(
    db: &C,
    secret: &str,
    ip: Option<String>,
) -> Result<Option<user::Model>, DbErr> {
    let Some(token) = account_tokens::consume(db, Kind::GuardianConsent, secret).await? else {
        return Ok(None);
    };
    let Some(person) = owner_of(db, &token).await? else {
        return Ok(None);
    };
    let Some(profile) = profile_of(db, person.id).await? else {
        return Ok(None);
    };
    let now = crate::db::now();
    let guardian = profile.guardian_email.clone();
    let mut row: volunteer_profile::ActiveModel = profile.into();
    row.guardian_consent_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(db).await?;

    let status = status_after(person.verified_at.is_some(), true, true);
    let mut account: user::ActiveModel = person.clone().into();
    if person.status != accounts::ACTIVE {
        account.status = Set(status.to_owned());
    }
    account.updated_at = Set(now);
    let person = account.update(db).await?;

    crate::models::audit::record(
        db,
        crate::models::audit::Entry {
            actor_user_id: None,
            action: "account.guardian_consent",
            subject_type: "user",
            subject_id: Some(person.id),
            detail: serde_json::json!({ "guardian_email": guardian }),
            ip,
        },
    )
    .await?;
    Ok(Some(person))
}

/// Whether a password-reset link may be sent to this account.
pub fn can_reset_password(person: &user::Model) -> bool {
    person.erased_at.is_none() && person.status != accounts::DISABLED
}

/// Issues a reset link for the account and queues its email.
pub async fn send_password_reset<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    link: &impl Fn(&str) -> String,
) -> Result<(), AppError> {
    let secret = account_tokens::issue(
        db,
        Kind::PasswordReset,
        TokenFor {
            user_id: Some(person.id),
            email: Some(person.email.clone()),
            ..TokenFor::default()
        },
    )
    .await?;
    let greeting = format!("Hello {},", first_name(&person.display_name));
    queue(
        db,
        &link(""),
        "email.password_reset",
        &email::draft(
            &person.email,
            "Reset your hubmatch password",
            &[
                &greeting,
                "We received a request to reset the password of your hubmatch account. \
                 Use the link to choose a new password. It works once, for 1 hour.",
                "If you did not ask for this, ignore this email: your password stays as it is.",
            ],
            Some((
                "Choose a new password",
                &link(&format!("/password-reset/{secret}")),
            )),
        ),
    )
    .await
}

/// The account a live reset link is for, without using the link up.
pub async fn reset_link<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<user::Model>, DbErr> {
    let Some(token) = account_tokens::peek(db, Kind::PasswordReset, secret).await? else {
        return Ok(None);
    };
    Ok(owner_of(db, &token)
        .await?
        .filter(|u| token.email.as_deref() == Some(u.email.as_str())))
}

/// Sets a new password from a reset link: the link and every other reset link of the
/// account are used up, the address counts as verified (the link reached it), and every
/// session of the account ends. `None` when the link is dead.
pub async fn reset_password<C: ConnectionTrait>(
    db: &C,
    secret: &str,
    password_hash: String,
    link: &impl Fn(&str) -> String,
) -> Result<Option<user::Model>, AppError> {
    let Some(token) = account_tokens::consume(db, Kind::PasswordReset, secret).await? else {
        return Ok(None);
    };
    let Some(person) = owner_of(db, &token).await? else {
        return Ok(None);
    };
    if token.email.as_deref() != Some(person.email.as_str()) {
        return Ok(None);
    }
    let now = crate::db::now();
    let mut row: user::ActiveModel = person.clone().into();
    row.password_hash = Set(Some(password_hash));
    row.updated_at = Set(now);
    row.update(db).await?;
    let person = if person.verified_at.is_none() {
        let refreshed = user::Entity::find_by_id(person.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound("account"))?;
        mark_verified(db, refreshed).await?;
        user::Entity::find_by_id(person.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound("account"))?
    } else {
        person
    };
    account_tokens::revoke_all(db, Kind::PasswordReset, person.id).await?;
    crate::auth::DatabaseSessionStore::delete_for_user(db, person.id).await?;
    tell_password_changed(db, &person, link).await?;
    Ok(Some(person))
}

/// "Your password was changed" to the account's address, so an unexpected change is noticed.
pub async fn tell_password_changed<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    link: &impl Fn(&str) -> String,
) -> Result<(), AppError> {
    queue(
        db,
        &link(""),
        "email.password_changed",
        &email::draft(
            &person.email,
            "Your hubmatch password has been changed",
            &[
                "The password of your hubmatch account has just been changed, and you have \
                 been signed out on your other devices.",
                "If this was not you, reset your password now and tell your community hub.",
            ],
            Some(("Reset your password", &link("/password-reset"))),
        ),
    )
    .await
}

/// Sends a confirmation link to a new address (the change happens when it is opened)
/// and tells the current address that a change was asked for.
pub async fn request_email_change<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    new_email: &EmailAddress,
    link: &impl Fn(&str) -> String,
) -> Result<(), AppError> {
    account_tokens::revoke_all(db, Kind::ChangeEmail, person.id).await?;
    let secret = account_tokens::issue(
        db,
        Kind::ChangeEmail,
        TokenFor {
            user_id: Some(person.id),
            email: Some(new_email.as_str().to_owned()),
            ..TokenFor::default()
        },
    )
    .await?;
    let greeting = format!("Hello {},", first_name(&person.display_name));
    queue(
        db,
        &link(""),
        "email.change_email",
        &email::draft(
            new_email.as_str(),
            "Confirm your new email address for hubmatch",
            &[
                &greeting,
                "You asked to use this address for your hubmatch account. Confirm it to \
                 make the change. The link works for 48 hours.",
                "If you did not ask for this, ignore this email.",
            ],
            Some((
                "Confirm this email address",
                &link(&format!("/account/confirm-email/{secret}")),
            )),
        ),
    )
    .await?;
    let notice = format!(
        "Someone signed in to your hubmatch account asked to change its email address to {}. \
         The change happens only when the link sent to that address is opened.",
        new_email.as_str()
    );
    queue(
        db,
        &link(""),
        "email.email_change_notice",
        &email::draft(
            &person.email,
            "Your hubmatch email address is being changed",
            &[
                &greeting,
                &notice,
                "If this was not you, reset your password now and tell your community hub.",
            ],
            Some(("Reset your password", &link("/password-reset"))),
        ),
    )
    .await
}

/// Why a confirmed email change could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailChange {
    Changed {
        user_id: i32,
        from: String,
        to: String,
    },
    DeadLink,
    AddressTaken,
}

/// Applies an email change from its link, if the new address is still free.
pub async fn confirm_email_change<C: ConnectionTrait>(
    db: &C,
    secret: &str,
    ip: Option<String>,
) -> Result<EmailChange, DbErr> {
    let Some(token) = account_tokens::peek(db, Kind::ChangeEmail, secret).await? else {
        return Ok(EmailChange::DeadLink);
    };
    let (Some(person), Some(to)) = (owner_of(db, &token).await?, token.email.clone()) else {
        return Ok(EmailChange::DeadLink);
    };
    if accounts::find_by_email(db, &to).await?.is_some() {
        return Ok(EmailChange::AddressTaken);
    }
    if account_tokens::consume(db, Kind::ChangeEmail, secret)
        .await?
        .is_none()
    {
        return Ok(EmailChange::DeadLink);
    }
    let now = crate::db::now();
    let from = person.email.clone();
    let mut row: user::ActiveModel = person.clone().into();
    row.email = Set(to.clone());
    row.verified_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(db).await?;
    // Links sent to the old address must not work for it any more.
    account_tokens::revoke_all(db, Kind::PasswordReset, person.id).await?;
    account_tokens::revoke_all(db, Kind::VerifyEmail, person.id).await?;
    crate::models::audit::record(
        db,
        crate::models::audit::Entry {
            actor_user_id: Some(person.id),
            action: "account.email_change",
            subject_type: "user",
            subject_id: Some(person.id),
            detail: serde_json::json!({ "from": from, "to": to }),
            ip,
        },
    )
    .await?;
    Ok(EmailChange::Changed {
        user_id: person.id,
        from,
        to,
    })
}

/// Organisations a person works for, by name, with their role there.
pub async fn organisations_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<(organisation::Model, String)>, DbErr> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .find_also_related(organisation::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, o)| o.map(|o| (o, m.role)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on(date!(2010 - 06 - 15), date!(2024 - 06 - 14)), 13);
        assert_eq!(age_on(date!(2010 - 06 - 15), date!(2024 - 06 - 15)), 14);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2024 - 02 - 28)), 15);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2024 - 03 - 01)), 16);
    }

    #[test]
    fn dates_of_birth_must_be_real_past_dates() {
        let today = date!(2025 - 01 - 10);
        assert_eq!(
            parse_date_of_birth("27", "3", "2008", today),
            Ok(date!(2008 - 03 - 27))
        );
        assert_eq!(
            parse_date_of_birth("", "", "", today),
            Err("Enter your date of birth")
        );
        assert_eq!(
            parse_date_of_birth("31", "2", "2008", today),
            Err("Date of birth must be a real date")
        );
        assert_eq!(
            parse_date_of_birth("1", "1", "2030", today),
            Err("Date of birth must be in the past")
        );
        assert_eq!(
            parse_date_of_birth("1", "1", "08", today),
            Err("Year must include 4 numbers")
        );
        assert!(parse_date_of_birth("x", "1", "2008", today).is_err());
        assert!(parse_date_of_birth("1", "", "2008", today).is_err());
    }

    #[test]
    fn postcode_districts_are_outward_codes() {
        assert_eq!(parse_postcode_district("se15"), Ok("SE15".into()));
        assert_eq!(parse_postcode_district(" SE1 "), Ok("SE1".into()));
        assert_eq!(parse_postcode_district("SE15 4QN"), Ok("SE15".into()));
        assert_eq!(parse_postcode_district("sw1a"), Ok("SW1A".into()));
        assert_eq!(parse_postcode_district("W1A 1AA"), Ok("W1A".into()));
        for bad in ["", "15", "SEE15", "SE", "SE155", "hello", "SE-15"] {
            assert!(parse_postcode_district(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn southwark_districts_are_known() {
        assert!(is_southwark_district("SE15"));
        assert!(is_southwark_district("SE1"));
        assert!(!is_southwark_district("N1"));
    }

    #[test]
    fn an_account_opens_when_verified_and_any_guardian_has_agreed() {
        assert_eq!(
            status_after(false, false, false),
            accounts::PENDING_VERIFICATION
        );
        assert_eq!(status_after(true, false, false), accounts::ACTIVE);
        assert_eq!(status_after(true, true, false), accounts::PENDING_GUARDIAN);
        assert_eq!(status_after(true, true, true), accounts::ACTIVE);
    }
}
