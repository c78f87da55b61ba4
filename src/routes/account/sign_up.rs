//! Volunteer sign-up (with the age rules for young volunteers), the "check your email"
//! page, and the terms and privacy notice it asks people to agree to.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use sea_orm::SqlErr;

use crate::auth::current::ClientIp;
use crate::auth::{EmailAddress, password, rate_limit};
use crate::error::AppError;
use crate::models::sign_up::{self, NewVolunteer, SignUpOutcome};
use crate::models::{Named, vocab};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-up", get(form).post(submit))
        .route("/sign-up/check-email", get(check_email))
        .route("/privacy", get(privacy))
        .route("/terms", get(terms))
}

/// A page of a heading, a few paragraphs and links: confirmations and dead links.
#[derive(Template, WebTemplate)]
#[template(path = "account/message.html")]
pub struct MessagePage {
    pub page: PageContext,
    /// Shown as a green confirmation panel.
    pub success: bool,
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// `(label, href)`.
    pub links: Vec<(String, String)>,
}

impl MessagePage {
    pub fn new(page: PageContext, heading: &str) -> Self {
        Self {
            page,
            success: false,
            heading: heading.to_owned(),
            paragraphs: Vec::new(),
            links: Vec::new(),
        }
    }

    pub fn success(mut self) -> Self {
        self.success = true;
        self
    }

    pub fn says(mut self, paragraph: impl Into<String>) -> Self {
        self.paragraphs.push(paragraph.into());
        self
    }

    pub fn link(mut self, label: &str, href: &str) -> Self {
        self.links.push((label.to_owned(), href.to_owned()));
        self
    }

    /// The page for a link that is unknown, used or expired (400).
    pub fn dead_link(page: PageContext, what: &str) -> Response {
        (
            StatusCode::BAD_REQUEST,
            Self::new(page, "This link is invalid or has expired")
                .says(format!(
                    "The {what} link may have been used already, or it is too old. \
                     Links work once, and only for a limited time."
                ))
                .says(
                    "To get a new link, reset your password: we email you a link, and \
                     using it also confirms your email address.",
                )
                .link(
                    "Get a new link by resetting your password",
                    "/password-reset",
                )
                .link("Sign in", "/sign-in"),
        )
            .into_response()
    }
}

/// What the form shows back after a problem (never the password).
#[derive(Clone, Debug, Default)]
pub struct SignUpValues {
    pub full_name: String,
    pub email: String,
    pub dob_day: String,
    pub dob_month: String,
    pub dob_year: String,
    pub ward: String,
    pub postcode_district: String,
    pub guardian_email: String,
    pub terms: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/sign_up.html")]
pub struct SignUpPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub wards: Vec<Named>,
    pub values: SignUpValues,
}

pub async fn form(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<SignUpPage, AppError> {
    Ok(SignUpPage {
        page,
        errors: FormErrors::new(),
        wards: vocab::wards(&state.db).await?,
        values: SignUpValues::default(),
    })
}

const NAME_MAX_CHARS: usize = 100;

/// Checks every field and names each problem; `Ok` is a sign-up ready to write.
fn check(
    values: &SignUpValues,
    password_typed: &str,
    wards: &[Named],
    today: time::Date,
) -> Result<NewVolunteer, FormErrors> {
    let mut errors = FormErrors::new();
    let name = values
        .full_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        errors.add("full_name", "Enter your full name");
    } else if name.chars().count() > NAME_MAX_CHARS {
        errors.add(
            "full_name",
            format!("Full name must be {NAME_MAX_CHARS} characters or fewer"),
        );
    }

    let email = match parse_address(&values.email) {
        Ok(email) => Some(email),
        Err(why) => {
            errors.add("email", why);
            None
        }
    };
    if password_typed.is_empty() {
        errors.add("password", "Enter a password");
    } else if let Some(email) = &email
        && let Err(why) = password::check_policy(password_typed, email)
    {
        errors.add("password", why.to_string());
    }

    let born = match sign_up::parse_date_of_birth(
        &values.dob_day,
        &values.dob_month,
        &values.dob_year,
        today,
    ) {
        Ok(born) => {
            let age = sign_up::age_on(born, today);
            if age < sign_up::MINIMUM_AGE {
                errors.add(
                    "dob-day",
                    format!(
                        "You must be {} or older to volunteer through hubmatch",
                        sign_up::MINIMUM_AGE
                    ),
                );
            } else if age > 120 {
                errors.add("dob-day", "Date of birth must be a real date");
            }
            Some(born)
        }
        Err(why) => {
            errors.add("dob-day", why);
            None
        }
    };

    let ward_id = if values.ward.is_empty() {
        None
    } else {
        let found = wards.iter().find(|w| w.slug == values.ward).map(|w| w.id);
        if found.is_none() {
            errors.add("ward", "Choose your ward from the list");
        }
        found
    };
    let district = if values.postcode_district.trim().is_empty() {
        None
    } else {
        match sign_up::parse_postcode_district(&values.postcode_district) {
            Ok(d) => Some(d),
            Err(why) => {
                errors.add("postcode_district", why);
                None
            }
        }
    };
    if values.ward.is_empty() && values.postcode_district.trim().is_empty() {
        errors.add(
            "ward",
            "Choose your ward, or enter the first part of your postcode",
        );
    }

    let needs_guardian = born.is_some_and(|b| sign_up::age_on(b, today) < sign_up::GUARDIAN_AGE);
    let guardian = if needs_guardian {
        match values.guardian_email.trim() {
            "" => {
                errors.add(
                    "guardian_email",
                    "Enter your parent or guardian's email address: you are under 16, so they need to agree",
                );
                None
            }
            raw => match parse_address(raw) {
                Ok(g) if email.as_ref() == Some(&g) => {
                    errors.add(
                        "guardian_email",
                        "Your parent or guardian's email address must be different from yours",
                    );
                    None
                }
                Ok(g) => Some(g),
                Err(why) => {
                    errors.add("guardian_email", why);
                    None
                }
            },
        }
    } else {
        None
    };

    if !values.terms {
        errors.add(
            "terms",
            "Agree to the terms of use and the privacy notice to create an account",
        );
    }

    match (errors.check(), email, born) {
        (Ok(()), Some(email), Some(date_of_birth)) => Ok(NewVolunteer {
            email,
            display_name: name,
            date_of_birth,
            ward_id,
            postcode_district: district,
            guardian_email: guardian,
        }),
        (Err(errors), _, _) => Err(errors),
        _ => Err(FormErrors::new()),
    }
}

/// An address we can both store and send to (the mail library is stricter in places).
pub fn parse_address(raw: &str) -> Result<EmailAddress, String> {
    let email = EmailAddress::parse(raw).map_err(|e| e.to_string())?;
    if email.as_str().parse::<lettre::Address>().is_err() {
        return Err("Enter an email address in the correct format, like name@example.com".into());
    }
    Ok(email)
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    let values = SignUpValues {
        full_name: form.trimmed("full_name"),
        email: form.trimmed("email"),
        dob_day: form.trimmed("dob-day"),
        dob_month: form.trimmed("dob-month"),
        dob_year: form.trimmed("dob-year"),
        ward: form.trimmed("ward"),
        postcode_district: form.trimmed("postcode_district"),
        guardian_email: form.trimmed("guardian_email"),
        terms: form.checked("terms"),
    };
    let wards = vocab::wards(&state.db).await?;
    let password_typed = form.get("password").to_owned();
    let new = match check(&values, &password_typed, &wards, crate::db::now().date()) {
        Ok(new) => new,
        Err(errors) => {
            let page = SignUpPage {
                page,
                errors,
                wards,
                values,
            };
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };

    let ip = ip.to_string();
    if let Some(limit) = rate_limit::attempt_all(
        &state.db,
        &[
            (rate_limit::SIGN_UP_PER_IP, ip.as_str()),
            (rate_limit::SIGN_UP_PER_ACCOUNT, new.email.as_str()),
        ],
    )
    .await?
    {
        let mut errors = FormErrors::new();
        errors.add(
            "email",
            format!(
                "Too many attempts to sign up. Wait {} and try again",
                limit.wait_words()
            ),
        );
        let page = SignUpPage {
            page,
            errors,
            wards,
            values,
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }

    // Hashed whether or not the address has an account, so both take the same time.
    let hash = tokio::task::spawn_blocking(move || password::hash(&password_typed))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let link = |path: &str| state.link(path);

    let txn = crate::db::begin(&state.db).await?;
    match sign_up::create_volunteer(&txn, &new, hash, &link).await {
        Ok(outcome) => {
            txn.commit().await?;
            if let SignUpOutcome::Created { user_id } = outcome {
                tracing::info!(user_id, "volunteer signed up");
            }
        }
        // Two sign-ups for one address at once: the second finds the first's row.
        Err(AppError::Database(e))
            if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            drop(txn);
            let txn = crate::db::begin(&state.db).await?;
            sign_up::tell_existing_account(&txn, new.email.as_str(), &link).await?;
            txn.commit().await?;
        }
        Err(e) => return Err(e),
    }
    Ok(Redirect::to("/sign-up/check-email").into_response())
}

/// The same page whether or not the address already had an account.
pub async fn check_email(page: PageContext) -> MessagePage {
    MessagePage::new(page, "Check your email")
        .says(
            "We have sent an email to the address you gave. Open the link in it to confirm \
             your address and finish creating your account. The link works for 48 hours.",
        )
        .says(
            "If you are under 16, we have also emailed your parent or guardian: your \
             account opens once they have agreed.",
        )
        .says(
            "No email after a few minutes? Check your spam folder. You can also ask for a \
             password reset link, which confirms your address too.",
        )
        .link("Get a new link", "/password-reset")
        .link("Sign in", "/sign-in")
}

#[derive(Template, WebTemplate)]
#[template(path = "account/privacy.html")]
pub struct PrivacyPage {
    pub page: PageContext,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/terms.html")]
pub struct TermsPage {
    pub page: PageContext,
}

pub async fn privacy(page: PageContext) -> PrivacyPage {
    PrivacyPage { page }
}

pub async fn terms(page: PageContext) -> TermsPage {
    TermsPage { page }
}
