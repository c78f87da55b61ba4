//! An organisation's profile as its admins edit it: description, contacts, safeguarding
//! lead, ward, causes and hub memberships; plus the field checks its form shares.
use std::collections::HashSet;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};

use super::Named;
use crate::entities::{hub_membership, organisation, organisation_cause};
use crate::routes::forms::FormErrors;

pub const DESCRIPTION_MAX: usize = 5000;
pub const NAME_MAX: usize = 120;

/// Checks for form fields, written as garde custom rules so their messages read as
/// GOV.UK error messages. Other forms with the same kinds of field use them too.
pub mod check {
    use crate::auth::EmailAddress;

    const PHONE_MAX: usize = 30;
    const WEBSITE_MAX: usize = 200;

    /// Required text of at most `max` characters. `what` follows "Enter".
    pub fn required<C>(
        what: &'static str,
        max: usize,
    ) -> impl FnOnce(&str, &C) -> garde::Result + 'static {
        move |value, _| {
            if value.trim().is_empty() {
                return Err(garde::Error::new(format!("Enter {what}")));
            }
            at_most_chars(value, what, max)
        }
    }

    /// Optional text of at most `max` characters.
    pub fn at_most<C>(
        what: &'static str,
        max: usize,
    ) -> impl FnOnce(&str, &C) -> garde::Result + 'static {
        move |value, _| at_most_chars(value, what, max)
    }

    fn at_most_chars(value: &str, what: &str, max: usize) -> garde::Result {
        if value.chars().count() > max {
            return Err(garde::Error::new(format!(
                "{} must be {max} characters or fewer",
                capital(what)
            )));
        }
        Ok(())
    }

    /// "the name of the hub" -> "Name of the hub".
    fn capital(what: &str) -> String {
        let what = what
            .strip_prefix("the ")
            .or_else(|| what.strip_prefix("a "))
            .or_else(|| what.strip_prefix("an "))
            .unwrap_or(what);
        let mut chars = what.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    }

    /// An email address, when one is given.
    pub fn optional_email<C>(value: &str, _: &C) -> garde::Result {
        if value.is_empty() {
            return Ok(());
        }
        EmailAddress::parse(value)
            .map(|_| ())
            .map_err(|e| garde::Error::new(e.to_string()))
    }

    /// A UK or international telephone number, when one is given.
    pub fn optional_phone<C>(value: &str, _: &C) -> garde::Result {
        if value.is_empty() {
            return Ok(());
        }
        let ok = value.chars().count() <= PHONE_MAX
            && value.chars().filter(char::is_ascii_digit).count() >= 6
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c));
        if ok {
            Ok(())
        } else {
            Err(garde::Error::new(
                "Enter a telephone number, like 020 7946 0000 or +44 20 7946 0000",
            ))
        }
    }

    /// A full http(s) address, when one is given.
    pub fn optional_website<C>(value: &str, _: &C) -> garde::Result {
        if value.is_empty() {
            return Ok(());
        }
        let lower = value.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let ok = value.chars().count() <= WEBSITE_MAX
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && rest.is_some_and(|r| r.split('/').next().is_some_and(|host| host.contains('.')));
        if ok {
            Ok(())
        } else {
            Err(garde::Error::new(
                "Enter the website address in full, like https://www.example.org",
            ))
        }
    }

    /// One of `choices` (by slug or code), or nothing.
    pub fn optional_choice<'a, C>(
        choices: &'a [super::Named],
        message: &'static str,
    ) -> impl FnOnce(&str, &C) -> garde::Result + 'a {
        move |value, _| {
            if value.is_empty() || choices.iter().any(|c| c.slug == value) {
                Ok(())
            } else {
                Err(garde::Error::new(message))
            }
        }
    }

    /// Every ticked value is one of `choices`.
    pub fn all_chosen_from<'a, C>(
        choices: &'a [super::Named],
        message: &'static str,
    ) -> impl FnOnce(&Vec<String>, &C) -> garde::Result + 'a {
        move |values, _| {
            if values.iter().all(|v| choices.iter().any(|c| &c.slug == v)) {
                Ok(())
            } else {
                Err(garde::Error::new(message))
            }
        }
    }

    /// `Some(value)` unless empty.
    pub fn optional(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// The id of the choice with this slug or code.
    pub fn id_of(choices: &[super::Named], slug: &str) -> Option<i32> {
        choices.iter().find(|c| c.slug == slug).map(|c| c.id)
    }
}

/// What the profile form holds: as typed, so it can be shown again. Causes and hubs are
/// slugs; the ward is its ONS code.
#[derive(Clone, Debug, Default, garde::Validate)]
#[garde(context(ProfileChoices as choices))]
pub struct ProfileForm {
    #[garde(custom(check::required(
        "a description of what the organisation does",
        DESCRIPTION_MAX
    )))]
    pub description: String,
    #[garde(custom(email_required))]
    pub email: String,
    #[garde(custom(check::optional_phone))]
    pub phone: String,
    #[garde(custom(check::optional_website))]
    pub website: String,
    #[garde(custom(check::required("the name of the safeguarding lead", NAME_MAX)))]
    pub safeguarding_lead: String,
    #[garde(custom(check::optional_choice(&choices.wards, "Select a ward from the list")))]
    pub ward: String,
    #[garde(custom(check::all_chosen_from(&choices.causes, "Select causes from the list")))]
    pub causes: Vec<String>,
    #[garde(custom(check::all_chosen_from(&choices.hubs, "Select hubs from the list")))]
    pub hubs: Vec<String>,
}

/// The lists the form offers (and accepts).
#[derive(Clone, Debug, Default)]
pub struct ProfileChoices {
    pub wards: Vec<Named>,
    pub causes: Vec<Named>,
    pub hubs: Vec<Named>,
}

fn email_required(value: &str, _: &ProfileChoices) -> garde::Result {
    if value.is_empty() {
        return Err(garde::Error::new(
            "Enter a contact email address, like name@example.org",
        ));
    }
    check::optional_email(value, &())
}

/// The checked profile, ready to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub description: String,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub safeguarding_lead: String,
    pub ward_id: Option<i32>,
    pub cause_ids: Vec<i32>,
    pub hub_ids: Vec<i32>,
}

impl ProfileForm {
    /// The form as the organisation has it now.
    pub fn from_saved(
        org: &organisation::Model,
        choices: &ProfileChoices,
        cause_ids: &[i32],
        hub_ids: &[i32],
    ) -> Self {
        let slugs = |list: &[Named], ids: &[i32]| {
            list.iter()
                .filter(|n| ids.contains(&n.id))
                .map(|n| n.slug.clone())
                .collect()
        };
        Self {
            description: org.description.clone(),
            email: org.email.clone().unwrap_or_default(),
            phone: org.phone.clone().unwrap_or_default(),
            website: org.website.clone().unwrap_or_default(),
            safeguarding_lead: org.safeguarding_lead.clone().unwrap_or_default(),
            ward: org
                .ward_id
                .and_then(|id| choices.wards.iter().find(|w| w.id == id))
                .map(|w| w.slug.clone())
                .unwrap_or_default(),
            causes: slugs(&choices.causes, cause_ids),
            hubs: slugs(&choices.hubs, hub_ids),
        }
    }

    /// The profile to save, or what is wrong field by field.
    pub fn check(&self, choices: &ProfileChoices) -> Result<Profile, FormErrors> {
        use garde::Validate;
        self.validate_with(choices).map_err(FormErrors::from)?;
        let ids = |list: &[Named], slugs: &[String]| -> Vec<i32> {
            let wanted: HashSet<&str> = slugs.iter().map(String::as_str).collect();
            list.iter()
                .filter(|n| wanted.contains(n.slug.as_str()))
                .map(|n| n.id)
                .collect()
        };
        Ok(Profile {
            description: self.description.clone(),
            email: crate::auth::EmailAddress::parse(&self.email)
                .map(|e| e.as_str().to_owned())
                .unwrap_or_else(|_| self.email.clone()),
            phone: check::optional(&self.phone),
            website: check::optional(&self.website),
            safeguarding_lead: self.safeguarding_lead.clone(),
            ward_id: check::id_of(&choices.wards, &self.ward),
            cause_ids: ids(&choices.causes, &self.causes),
            hub_ids: ids(&choices.hubs, &self.hubs),
        })
    }
}

pub async fn cause_ids<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<i32>, DbErr> {
    organisation_cause::Entity::find()
        .select_only()
        .column(organisation_cause::Column::CauseId)
        .filter(organisation_cause::Column::OrganisationId.eq(organisation_id))
        .into_tuple()
        .all(db)
        .await
}

/// Saves the profile and replaces the organisation's causes and hub memberships.
/// Hubs it stays in keep their original joining time.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    org: organisation::Model,
    profile: Profile,
) -> Result<organisation::Model, DbErr> {
    let now = crate::db::now();
    let id = org.id;
    let mut row: organisation::ActiveModel = org.into();
    row.description = Set(profile.description);
    row.email = Set(Some(profile.email));
    row.phone = Set(profile.phone);
    row.website = Set(profile.website);
    row.safeguarding_lead = Set(Some(profile.safeguarding_lead));
    row.ward_id = Set(profile.ward_id);
    row.updated_at = Set(now);
    let org = row.update(db).await?;
    crate::search::sync::queue_organisation(db, id).await?;

    organisation_cause::Entity::delete_many()
        .filter(organisation_cause::Column::OrganisationId.eq(id))
        .exec(db)
        .await?;
    for cause_id in profile.cause_ids {
        organisation_cause::ActiveModel {
            organisation_id: Set(id),
            cause_id: Set(cause_id),
        }
        .insert(db)
        .await?;
    }

    let current = crate::models::staff::hub_ids(db, id).await?;
    let leaving: Vec<i32> = current
        .iter()
        .copied()
        .filter(|h| !profile.hub_ids.contains(h))
        .collect();
    if !leaving.is_empty() {
        hub_membership::Entity::delete_many()
            .filter(hub_membership::Column::OrganisationId.eq(id))
            .filter(hub_membership::Column::HubId.is_in(leaving))
            .exec(db)
            .await?;
    }
    for hub_id in profile.hub_ids.into_iter().filter(|h| !current.contains(h)) {
        hub_membership::ActiveModel {
            hub_id: Set(hub_id),
            organisation_id: Set(id),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(org)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> ProfileChoices {
        let named = |id, slug: &str| Named {
            id,
            name: slug.to_uppercase(),
            slug: slug.into(),
        };
        ProfileChoices {
            wards: vec![named(1, "E05011110")],
            causes: vec![named(10, "food-poverty"), named(11, "older-people")],
            hubs: vec![named(20, "peckham-hub"), named(21, "walworth-hub")],
        }
    }

    fn good() -> ProfileForm {
        ProfileForm {
            description: "Food for neighbours".into(),
            email: "Hello@Pantry.example".into(),
            safeguarding_lead: "Sam Lead".into(),
            causes: vec!["older-people".into()],
            hubs: vec!["peckham-hub".into(), "walworth-hub".into()],
            ..ProfileForm::default()
        }
    }

    #[test]
    fn a_good_profile_names_its_causes_and_hubs_by_id() {
        let profile = good().check(&choices()).unwrap();
        assert_eq!(profile.cause_ids, vec![11]);
        assert_eq!(profile.hub_ids, vec![20, 21]);
        assert_eq!(profile.ward_id, None);
        assert_eq!(profile.phone, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let form = ProfileForm {
            description: " ".into(),
            email: "not an email".into(),
            phone: "call me".into(),
            website: "pantry".into(),
            safeguarding_lead: "x".repeat(NAME_MAX + 1),
            ward: "E0nowhere".into(),
            causes: vec!["knitting".into()],
            hubs: vec!["atlantis".into()],
        };
        let errors = form.check(&choices()).unwrap_err();
        for field in [
            "description",
            "email",
            "phone",
            "website",
            "safeguarding_lead",
            "ward",
            "causes",
            "hubs",
        ] {
            assert!(errors.has(field), "{field}");
        }
        assert_eq!(
            errors.message("safeguarding_lead"),
            "Name of the safeguarding lead must be 120 characters or fewer"
        );
        assert_eq!(
            errors.message("description"),
            "Enter a description of what the organisation does"
        );
    }
}
