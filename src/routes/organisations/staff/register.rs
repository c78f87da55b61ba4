//! Registering an organisation: it waits, unseen by the public, until an alliance admin approves it.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::queue;
use crate::auth::EmailAddress;
use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::error::AppError;
use crate::models::staff::{self, NewOrganisation};
use crate::models::{Named, vocab};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

const NAME_MAX: usize = 120;
const DESCRIPTION_MAX: usize = 5000;
const PHONE_MAX: usize = 30;
const WEBSITE_MAX: usize = 200;
const CHARITY_NUMBER_MAX: usize = 20;

/// What was typed, to show again.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub name: String,
    pub description: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub charity_number: String,
    pub ward: String,
    pub safeguarding_lead: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/register.html")]
pub struct RegisterPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub typed: Typed,
    pub wards: Vec<Named>,
}

pub async fn form(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
) -> Result<RegisterPage, AppError> {
    signed.require(&Action::RegisterOrganisation)?;
    Ok(RegisterPage {
        page,
        errors: FormErrors::new(),
        typed: Typed {
            email: signed.0.user.email.clone(),
            ..Typed::default()
        },
        wards: vocab::wards(&state.db).await?,
    })
}

/// A required line of text, at most `max` characters.
fn required(errors: &mut FormErrors, field: &str, value: &str, what: &str, max: usize) {
    if value.is_empty() {
        errors.add(field, format!("Enter {what}"));
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!("{} must be {max} characters or fewer", capital(what)),
        );
    }
}

fn capital(what: &str) -> String {
    let what = what
        .strip_prefix("the ")
        .or_else(|| what.strip_prefix("a "))
        .unwrap_or(what);
    let mut chars = what.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn optional(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// Checks the form; the organisation to create, or what is wrong field by field.
fn check(typed: &Typed, wards: &[Named]) -> Result<NewOrganisation, FormErrors> {
    let mut errors = FormErrors::new();
    required(
        &mut errors,
        "name",
        &typed.name,
        "the organisation's name",
        NAME_MAX,
    );
    required(
        &mut errors,
        "description",
        &typed.description,
        "a description of what the organisation does",
        DESCRIPTION_MAX,
    );
    let email = match EmailAddress::parse(&typed.email) {
        Ok(e) => e.as_str().to_owned(),
        Err(e) => {
            errors.add("email", e.to_string());
            String::new()
        }
    };
    if !typed.phone.is_empty() {
        let ok = typed.phone.chars().count() <= PHONE_MAX
            && typed.phone.chars().filter(char::is_ascii_digit).count() >= 6
            && typed
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c));
        if !ok {
            errors.add(
                "phone",
                "Enter a telephone number, like 020 7946 0000 or +44 20 7946 0000",
            );
        }
    }
    if !typed.website.is_empty() {
        let lower = typed.website.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let ok = typed.website.chars().count() <= WEBSITE_MAX
            && !typed
                .website
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
            && rest.is_some_and(|r| r.split('/').next().is_some_and(|host| host.contains('.')));
        if !ok {
            errors.add(
                "website",
                "Enter the website address in full, like https://www.example.org",
            );
        }
    }
    if !typed.charity_number.is_empty() {
        let ok = typed.charity_number.chars().count() <= CHARITY_NUMBER_MAX
            && typed
                .charity_number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
        if !ok {
            errors.add(
                "charity_number",
                "Enter the charity number using letters, numbers and hyphens only, like 1234567",
            );
        }
    }
    let ward_id = if typed.ward.is_empty() {
        None
    } else {
        match wards.iter().find(|w| w.slug == typed.ward) {
            Some(w) => Some(w.id),
            None => {
                errors.add("ward", "Choose a ward from the list");
                None
            }
        }
    };
    required(
        &mut errors,
        "safeguarding_lead",
        &typed.safeguarding_lead,
        "the name of the safeguarding lead",
        NAME_MAX,
    );
    errors.check()?;
    Ok(NewOrganisation {
        name: typed.name.clone(),
        description: typed.description.clone(),
        email,
        phone: optional(typed.phone.clone()),
        website: optional(typed.website.clone()),
        charity_number: optional(typed.charity_number.clone()),
        ward_id,
        safeguarding_lead: typed.safeguarding_lead.clone(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    signed.require(&Action::RegisterOrganisation)?;
    let typed = Typed {
        name: form.trimmed("name"),
        description: form.trimmed("description"),
        email: form.trimmed("email"),
        phone: form.trimmed("phone"),
        website: form.trimmed("website"),
        charity_number: form.trimmed("charity_number"),
        ward: form.trimmed("ward"),
        safeguarding_lead: form.trimmed("safeguarding_lead"),
    };
    let wards = vocab::wards(&state.db).await?;
    let new = match check(&typed, &wards) {
        Ok(new) => new,
        Err(errors) => {
            let page = RegisterPage {
                page,
                errors,
                typed,
                wards,
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };

    let txn = crate::db::begin(&state.db).await?;
    let organisation = staff::register(&txn, signed.0.id(), new).await?;
    super::record(
        &txn,
        signed.0.id(),
        "organisation.register",
        organisation.id,
        json!({ "name": organisation.name, "slug": organisation.slug }),
        ip,
    )
    .await?;
    let review = state.link("/admin");
    for admin in staff::alliance_admin_emails(&txn).await? {
        queue(
            &txn,
            &state.base_url,
            "email.organisation_waiting",
            &crate::email::draft(
                &admin,
                &format!("{} is waiting for approval", organisation.name),
                &[
                    &format!(
                        "{} registered {} on hubmatch. It is not shown to the public until \
                         an alliance admin approves it.",
                        signed.0.user.display_name, organisation.name
                    ),
                    "Check its details and approve or suspend it.",
                ],
                Some(("Review organisations", &review)),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/staff?done=registered",
        organisation.id
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Typed {
        Typed {
            name: "Peckham Pantry".into(),
            description: "Food for neighbours".into(),
            email: "hello@pantry.example".into(),
            safeguarding_lead: "Sam Lead".into(),
            ..Typed::default()
        }
    }

    #[test]
    fn the_optional_fields_may_be_left_empty() {
        let new = check(&good(), &[]).unwrap();
        assert_eq!(new.phone, None);
        assert_eq!(new.ward_id, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let typed = Typed {
            name: String::new(),
            email: "not an email".into(),
            phone: "call me".into(),
            website: "pantry".into(),
            charity_number: "12<34".into(),
            ward: "E0nowhere".into(),
            safeguarding_lead: "x".repeat(NAME_MAX + 1),
            ..good()
        };
        let errors = check(&typed, &[]).unwrap_err();
        for field in [
            "name",
            "email",
            "phone",
            "website",
            "charity_number",
            "ward",
            "safeguarding_lead",
        ] {
            assert!(errors.has(field), "{field}");
        }
        assert!(!errors.has("description"));
        assert_eq!(errors.message("name"), "Enter the organisation's name");
        assert_eq!(
            errors.message("safeguarding_lead"),
            "Name of the safeguarding lead must be 120 characters or fewer"
        );
    }
}
