//! Accounts made in person at a hub for residents who are offline: signing them up with
//! consent given in person, the hub's "to call" list that stands in for their email, and
//! claiming the account later with a code given on paper.
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::{Date, Duration};

use crate::auth::EmailAddress;
use crate::auth::tokens::{hash_token, same_secret};
use crate::entities::{assisted_account, to_call, user, volunteer_profile, ward};
use crate::error::{AppError, FieldErrors};
use crate::models::{accounts, sign_up};

/// Residents without email get an address here: `.invalid` can never be delivered
/// (RFC 2606), and every email to it becomes a call on the hub's list instead.
pub const NO_EMAIL_DOMAIN: &str = "no-email.hubmatch.invalid";

/// How long the claim code on the paper slip works.
pub const CLAIM_DAYS: i64 = 30;

/// Letters and digits that cannot be mistaken for each other when read aloud or typed
/// from paper (no 0/O, 1/I/L).
const CLAIM_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Contact routes a resident may choose.
pub const CONTACT_PREFERENCES: [(&str, &str); 3] = [
    ("phone", "By phone"),
    ("post", "By post"),
    ("email", "By email"),
];

/// A fresh claim code: 12 characters in groups of four, about 59 bits.
pub fn new_claim_code() -> String {
    let mut rng = rand::rng();
    let raw: Vec<char> = (0..12)
        .map(|_| CLAIM_ALPHABET[rng.random_range(0..CLAIM_ALPHABET.len())] as char)
        .collect();
    raw.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed, in the form it was issued: upper case, dashes and spaces ignored.
pub fn normalise_claim_code(typed: &str) -> String {
    let clean: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    clean
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The bare address of `Name <address>` or `address`.
fn bare_address(to: &str) -> &str {
    match (to.rfind('<'), to.rfind('>')) {
        (Some(start), Some(end)) if start < end => &to[start + 1..end],
        _ => to.trim(),
    }
}

/// Whether an address stands for "this resident has no email".
pub fn is_no_email(to: &str) -> bool {
    bare_address(to)
        .to_ascii_lowercase()
        .ends_with(&format!("@{NO_EMAIL_DOMAIN}"))
}

/// The choke point of [`crate::email::send`]: an email to a resident without an email
/// address becomes an entry on their hub's "to call" list, in the same transaction. `true`
/// when it was diverted (and so nothing must be queued).
pub async fn divert_to_call<C: ConnectionTrait>(
    db: &C,
    to: &str,
    kind: &str,
    summary: &str,
) -> Result<bool, DbErr> {
    if !is_no_email(to) {
        return Ok(false);
    }
    let address = bare_address(to).to_lowercase();
    let account = match accounts::find_by_email(db, &address).await? {
        Some(person) => {
            assisted_account::Entity::find()
                .filter(assisted_account::Column::UserId.eq(person.id))
                .one(db)
                .await?
        }
        None => None,
    };
    let profile = match &account {
        Some(a) => {
            volunteer_profile::Entity::find()
                .filter(volunteer_profile::Column::UserId.eq(a.user_id))
                .one(db)
                .await?
        }
        None => None,
    };
    let (Some(account), Some(profile)) = (account, profile) else {
        // Undeliverable and nobody to call: dropping it is all that can be done.
        tracing::warn!(
            kind,
            "email to a no-email address with no assisted account dropped"
        );
        return Ok(true);
    };
    to_call::ActiveModel {
        hub_id: Set(account.hub_id),
        volunteer_profile_id: Set(profile.id),
        kind: Set(kind.to_owned()),
        summary: Set(summary.to_owned()),
        created_at: Set(crate::db::now()),
        done_at: Set(None),
        done_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// The front desk's sign-up form, as typed.
#[derive(Clone, Debug, Default)]
pub struct AssistedForm {
    pub display_name: String,
    pub dob_day: String,
    pub dob_month: String,
    pub dob_year: String,
    pub contact_preference: String,
    pub phone: String,
    pub postal_address: String,
    pub email: String,
    /// Where they live (a ward id), optional: matching uses it for distance.
    pub ward_id: String,
    pub consent_in_person: bool,
}

/// What the desk hands the resident: their claim code, on paper.
#[derive(Clone, Debug)]
pub struct AssistedSignedUp {
    pub user_id: i32,
    pub volunteer_profile_id: i32,
    pub claim_code: String,
    pub claim_expires_at: time::OffsetDateTime,
}

fn check(form: &AssistedForm, today: Date) -> Result<(Date, Option<EmailAddress>), AppError> {
    let mut errors = FieldErrors::new();
    let name = form.display_name.trim();
    if name.is_empty() {
        errors.insert("display_name".into(), "Enter the resident's name".into());
    } else if name.chars().count() > 100 {
        errors.insert(
            "display_name".into(),
            "The name must be 100 characters or fewer".into(),
        );
    }
    let born =
        match sign_up::parse_date_of_birth(&form.dob_day, &form.dob_month, &form.dob_year, today) {
            Ok(d) if sign_up::age_on(d, today) < sign_up::GUARDIAN_AGE => {
                errors.insert(
                    "dob".into(),
                    "Residents under 16 need a parent or guardian to agree: help them sign up \
                 online with their guardian's email instead"
                        .into(),
                );
                None
            }
            Ok(d) => Some(d),
            Err(why) => {
                errors.insert("dob".into(), why.replace("your", "their"));
                None
            }
        };
    let email = match form.email.trim() {
        "" => None,
        typed => match EmailAddress::parse(typed) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.insert("email".into(), e.to_string());
                None
            }
        },
    };
    match form.contact_preference.as_str() {
        "phone" if form.phone.trim().is_empty() => {
            errors.insert(
                "phone".into(),
                "Enter a phone number, or choose another way to contact them".into(),
            );
        }
        "post" if form.postal_address.trim().is_empty() => {
            errors.insert(
                "postal_address".into(),
                "Enter a postal address, or choose another way to contact them".into(),
            );
        }
        "email" if email.is_none() && !errors.contains_key("email") => {
            errors.insert(
                "email".into(),
                "Enter an email address, or choose another way to contact them".into(),
            );
        }
        "phone" | "post" | "email" => {}
        _ => {
            errors.insert(
                "contact_preference".into(),
                "Choose how the hub should contact them".into(),
            );
        }
    }
    if form.phone.trim().chars().count() > 40 {
        errors.insert("phone".into(), "The phone number is too long".into());
    }
    if form.postal_address.trim().chars().count() > 500 {
        errors.insert(
            "postal_address".into(),
            "The address must be 500 characters or fewer".into(),
        );
    }
    if !form.consent_in_person {
        errors.insert(
            "consent_in_person".into(),
            "Confirm the resident has agreed, in person, to an account being made for them".into(),
        );
    }
    match (born, errors.is_empty()) {
        (Some(born), true) => Ok((born, email)),
        _ => Err(AppError::invalid(errors)),
    }
}

/// Makes the account, profile and assisted record (call in the action's transaction).
pub async fn sign_up_in_person<C: ConnectionTrait>(
    db: &C,
    by: i32,
    hub_id: i32,
    form: &AssistedForm,
) -> Result<AssistedSignedUp, AppError> {
    let now = crate::db::now();
    let today = crate::domain::london_time::to_london(now).date();
    let (born, email) = check(form, today)?;
    let ward_id = match form.ward_id.trim() {
        "" => None,
        typed => {
            let known = match typed.parse::<i32>() {
                Ok(id) => ward::Entity::find_by_id(id).one(db).await?,
                Err(_) => None,
            };
            Some(
                known
                    .ok_or_else(|| AppError::field("ward_id", "Choose a ward from the list"))?
                    .id,
            )
        }
    };
    let address = match &email {
        Some(e) => {
            if accounts::find_by_email(db, e.as_str()).await?.is_some() {
                return Err(AppError::field(
                    "email",
                    "An account already uses this email address: the resident can sign in \
                     with it, or reset its password",
                ));
            }
            e.as_str().to_owned()
        }
        None => format!(
            "resident-{}@{NO_EMAIL_DOMAIN}",
            crate::auth::tokens::random_token()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(16)
                .collect::<String>()
                .to_lowercase()
        ),
    };
    let person = user::ActiveModel {
        email: Set(address),
        password_hash: Set(None),
        display_name: Set(form.display_name.trim().to_owned()),
        phone: Set(Some(form.phone.trim().to_owned()).filter(|p| !p.is_empty())),
        is_alliance_admin: Set(false),
        status: Set(accounts::ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        terms_accepted_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let profile = volunteer_profile::ActiveModel {
        user_id: Set(person.id),
        date_of_birth: Set(born),
        ward_id: Set(ward_id),
        travel_km: Set(5),
        remote_ok: Set(false),
        languages: Set("en".into()),
        access_needs: Set(String::new()),
        bio: Set(String::new()),
        open_to_suggestions: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let code = new_claim_code();
    let expires = now + Duration::days(CLAIM_DAYS);
    assisted_account::ActiveModel {
        user_id: Set(person.id),
        hub_id: Set(hub_id),
        contact_preference: Set(form.contact_preference.clone()),
        phone: Set(Some(form.phone.trim().to_owned()).filter(|p| !p.is_empty())),
        postal_address: Set(Some(form.postal_address.trim().to_owned()).filter(|p| !p.is_empty())),
        assisted_by: Set(Some(by)),
        consent_in_person_at: Set(now),
        claim_code_hash: Set(Some(hash_token(&code))),
        claim_expires_at: Set(Some(expires)),
        claimed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(AssistedSignedUp {
        user_id: person.id,
        volunteer_profile_id: profile.id,
        claim_code: code,
        claim_expires_at: expires,
    })
}

/// A resident the hub signed up in person, for the referral form's list.
#[derive(Clone, Debug)]
pub struct AssistedResident {
    pub volunteer_profile_id: i32,
    pub name: String,
    pub contact: String,
}

/// The residents a hub signed up in person, newest first.
pub async fn residents_of_hubs<C: ConnectionTrait>(
    db: &C,
    hubs: &[i32],
) -> Result<Vec<AssistedResident>, DbErr> {
    let accounts = assisted_account::Entity::find()
        .filter(assisted_account::Column::HubId.is_in(hubs.to_vec()))
        .order_by_desc(assisted_account::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(accounts.len());
    for a in accounts {
        let Some((profile, Some(person))) = volunteer_profile::Entity::find()
            .filter(volunteer_profile::Column::UserId.eq(a.user_id))
            .find_also_related(user::Entity)
            .one(db)
            .await?
        else {
            continue;
        };
        if person.erased_at.is_some() {
            continue;
        }
        out.push(AssistedResident {
            volunteer_profile_id: profile.id,
            name: person.display_name,
            contact: contact_route(&a),
        });
    }
    Ok(out)
}

/// How to reach them, in words ("By phone: 020 …").
pub fn contact_route(a: &assisted_account::Model) -> String {
    match a.contact_preference.as_str() {
        "phone" => format!("By phone: {}", a.phone.clone().unwrap_or_default()),
        "post" => format!(
            "By post: {}",
            a.postal_address
                .clone()
                .unwrap_or_default()
                .replace('\n', ", ")
        ),
        _ => "By email".to_owned(),
    }
}

/// One call on the hub's list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CallToMake {
    pub id: i32,
    pub resident: String,
    pub contact: String,
    pub summary: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

/// The hub's calls still to make, oldest first.
pub async fn calls_to_make<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
) -> Result<Vec<CallToMake>, DbErr> {
    let rows = to_call::Entity::find()
        .filter(to_call::Column::HubId.eq(hub_id))
        .filter(to_call::Column::DoneAt.is_null())
        .order_by_asc(to_call::Column::CreatedAt)
        .order_by_asc(to_call::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some((profile, Some(person))) =
            volunteer_profile::Entity::find_by_id(row.volunteer_profile_id)
                .find_also_related(user::Entity)
                .one(db)
                .await?
        else {
            continue;
        };
        let contact = assisted_account::Entity::find()
            .filter(assisted_account::Column::UserId.eq(profile.user_id))
            .one(db)
            .await?
            .map(|a| contact_route(&a))
            .unwrap_or_default();
        out.push(CallToMake {
            id: row.id,
            resident: person.display_name,
            contact,
            summary: row.summary,
            created_at: row.created_at,
        });
    }
    Ok(out)
}

/// How many calls the hub has still to make (for its dashboard).
pub async fn calls_waiting<C: ConnectionTrait>(db: &C, hub_id: i32) -> Result<u64, DbErr> {
    to_call::Entity::find()
        .filter(to_call::Column::HubId.eq(hub_id))
        .filter(to_call::Column::DoneAt.is_null())
        .count(db)
        .await
}

/// Ticks a call off; a call of another hub, or already done, is not found.
pub async fn mark_called<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
    call_id: i32,
    by: i32,
) -> Result<(), AppError> {
    let row = to_call::Entity::find_by_id(call_id)
        .filter(to_call::Column::HubId.eq(hub_id))
        .filter(to_call::Column::DoneAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound("call"))?;
    let mut row: to_call::ActiveModel = row.into();
    row.done_at = Set(Some(crate::db::now()));
    row.done_by = Set(Some(by));
    row.update(db).await?;
    Ok(())
}

/// The claim form: the code from the paper slip, the resident's email and new password.
#[derive(Clone, Debug, Default)]
pub struct ClaimForm {
    pub code: String,
    pub email: String,
    pub password: String,
}

/// Checks the claim form's shape (the password is hashed by the caller off the async
/// thread, so its rules are checked here first).
pub fn check_claim(form: &ClaimForm) -> Result<EmailAddress, AppError> {
    let mut errors = FieldErrors::new();
    if normalise_claim_code(&form.code).len() != 14 {
        errors.insert(
            "code".into(),
            "Enter the 12-character code from the slip the hub gave you".into(),
        );
    }
    let email = match EmailAddress::parse(&form.email) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.insert("email".into(), e.to_string());
            None
        }
    };
    if let Some(e) = &email
        && let Err(why) = crate::auth::password::check_policy(&form.password, e)
    {
        errors.insert("password".into(), why.to_string());
    }
    match email {
        Some(e) if errors.is_empty() => Ok(e),
        _ => Err(AppError::invalid(errors)),
    }
}

/// Claims the account: the code must match, be unused and unexpired; the email must be
/// free. Sets the email and the password hash and uses the code up; returns the user id.
/// From then on emails go to the new address instead of the hub's list, starting with
/// the usual "confirm your email address" (the account works meanwhile: it was opened
/// in person).
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    form: &ClaimForm,
    email: &EmailAddress,
    password_hash: String,
    base_url: &str,
) -> Result<i32, AppError> {
    let hashed = hash_token(&normalise_claim_code(&form.code));
    let now = crate::db::now();
    let bad_code = || {
        AppError::field(
            "code",
            "This code is not right, has been used, or has expired: ask the hub for a new one",
        )
    };
    let account = assisted_account::Entity::find()
        .filter(assisted_account::Column::ClaimCodeHash.eq(hashed.clone()))
        .one(db)
        .await?
        .ok_or_else(bad_code)?;
    let stored = account.claim_code_hash.clone().unwrap_or_default();
    if !same_secret(&stored, &hashed)
        || account.claimed_at.is_some()
        || account.claim_expires_at.is_none_or(|t| t <= now)
    {
        return Err(bad_code());
    }
    if let Some(other) = accounts::find_by_email(db, email.as_str()).await?
        && other.id != account.user_id
    {
        return Err(AppError::field(
            "email",
            "Another account already uses this email address",
        ));
    }
    let person = user::Entity::find_by_id(account.user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    let mut p: user::ActiveModel = person.into();
    p.email = Set(email.as_str().to_owned());
    p.password_hash = Set(Some(password_hash));
    p.verified_at = Set(None);
    p.updated_at = Set(now);
    let person = p.update(db).await?;
    let mut a: assisted_account::ActiveModel = account.into();
    a.claim_code_hash = Set(None);
    a.claimed_at = Set(Some(now));
    a.contact_preference = Set("email".into());
    a.update(db).await?;
    let secret = crate::models::account_tokens::issue(
        db,
        crate::models::account_tokens::Kind::VerifyEmail,
        crate::models::account_tokens::TokenFor {
            user_id: Some(person.id),
            email: Some(person.email.clone()),
            ..Default::default()
        },
    )
    .await?;
    let greeting = format!("Hello {},", sign_up::first_name(&person.display_name));
    sign_up::queue(
        db,
        base_url,
        "email.verify",
        &crate::email::draft(
            &person.email,
            "Confirm your email address for hubmatch",
            &[
                &greeting,
                "You have claimed the volunteering account your community hub made for you. \
                 Confirm this is your email address, so we can reach you and you can reset \
                 your password if you forget it.",
                "The link works for 48 hours.",
            ],
            Some((
                "Confirm your email address",
                &format!("{base_url}/verify-email/{secret}"),
            )),
        ),
    )
    .await?;
    Ok(person.id)
}

/// A new claim code for a resident of the hub who lost theirs (the old one stops working).
pub async fn reissue_claim_code<C: ConnectionTrait>(
    db: &C,
    hub_id: i32,
    volunteer_profile_id: i32,
) -> Result<(String, time::OffsetDateTime), AppError> {
    let profile = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("resident"))?;
    let account = assisted_account::Entity::find()
        .filter(assisted_account::Column::UserId.eq(profile.user_id))
        .filter(assisted_account::Column::HubId.eq(hub_id))
        .filter(assisted_account::Column::ClaimedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound("resident"))?;
    let code = new_claim_code();
    let expires = crate::db::now() + Duration::days(CLAIM_DAYS);
    let mut a: assisted_account::ActiveModel = account.into();
    a.claim_code_hash = Set(Some(hash_token(&code)));
    a.claim_expires_at = Set(Some(expires));
    a.update(db).await?;
    Ok((code, expires))
}

/// On erasure (GDPR): the hub's record of how to reach them and its calls go, and the
/// private reasons, hopes and needs of referrals of them are blanked; the referrals'
/// statuses and dates stay, anonymous, so the hub's report keeps its totals.
pub async fn forget<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    volunteer_profile_id: Option<i32>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;

    use crate::entities::social_referral;
    assisted_account::Entity::delete_many()
        .filter(assisted_account::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if let Some(profile) = volunteer_profile_id {
        to_call::Entity::delete_many()
            .filter(to_call::Column::VolunteerProfileId.eq(profile))
            .exec(db)
            .await?;
        social_referral::Entity::update_many()
            .col_expr(social_referral::Column::Reason, Expr::value(""))
            .col_expr(social_referral::Column::Hopes, Expr::value(""))
            .col_expr(social_referral::Column::Needs, Expr::value(""))
            .filter(social_referral::Column::VolunteerProfileId.eq(profile))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_codes_read_back_however_they_are_typed() {
        let code = new_claim_code();
        assert_eq!(code.len(), 14);
        assert_eq!(
            normalise_claim_code(&code.to_lowercase().replace('-', " ")),
            code
        );
        assert!(
            code.chars()
                .all(|c| c == '-' || CLAIM_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(new_claim_code(), code);
    }

    #[test]
    fn only_the_reserved_domain_means_no_email() {
        assert!(is_no_email(&format!("Ada <resident-x@{NO_EMAIL_DOMAIN}>")));
        assert!(is_no_email(&format!(
            "resident-x@{}",
            NO_EMAIL_DOMAIN.to_uppercase()
        )));
        assert!(!is_no_email("ada@example.org"));
        assert!(!is_no_email(&format!("ada@evil{NO_EMAIL_DOMAIN}")));
    }
}
