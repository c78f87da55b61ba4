//! HTML form plumbing: the submitted fields (never rejected by the extractor, so the
//! handler can name what is wrong), per-field error messages, and the `next` address.
use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};

use crate::error::{AppError, FieldErrors};

/// The submitted form as ordered pairs, repeated names kept (checkbox groups).
#[derive(Clone, Debug, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.unwrap_or_default();
        Ok(Self(
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        ))
    }
}

impl FormFields {
    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The value trimmed of surrounding whitespace.
    pub fn trimmed(&self, name: &str) -> String {
        self.get(name).trim().to_owned()
    }

    /// Every value of `name` (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A ticked checkbox sends its value; an unticked one sends nothing.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// What is wrong with a form, field by field, in the order found (the first problem
/// per field is kept: it is the one to fix first).
#[derive(Clone, Debug, Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.has(field) {
            self.0.push((field.to_owned(), message.into()));
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }

    pub fn message(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }

    /// `Ok` when there is nothing wrong.
    pub fn check(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// A refusal that names fields, as the form's messages; any other error stays an error.
    pub fn from_refusal(e: AppError) -> Result<Self, AppError> {
        match e {
            AppError::BadRequest { fields, .. } => Ok(fields.into()),
            other => Err(other),
        }
    }
}

/// garde's report, one message per field (the path's first part names the form field).
/// Use `#[garde(custom(…))]` checks returning `garde::Error::new("Enter a title")` so the
/// messages read as GOV.UK error messages.
impl From<garde::Report> for FormErrors {
    fn from(report: garde::Report) -> Self {
        let mut errors = Self::new();
        for (path, error) in report.iter() {
            let path = path.to_string();
            let field = path.split(['.', '[']).next().unwrap_or_default();
            errors.add(field, error.message().to_string());
        }
        errors
    }
}

impl From<FieldErrors> for FormErrors {
    fn from(fields: FieldErrors) -> Self {
        Self(fields.into_iter().collect())
    }
}

impl From<FormErrors> for FieldErrors {
    fn from(errors: FormErrors) -> Self {
        errors.0.into_iter().collect()
    }
}

/// Where to go after signing in: only a path on this site (no `//host`, no scheme),
/// so a crafted link cannot send people elsewhere.
pub fn safe_next(next: &str, fallback: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_owned()
    } else {
        fallback.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next("/roles?cause=food", "/account"),
            "/roles?cause=food"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
            "/x\n",
        ] {
            assert_eq!(safe_next(bad, "/account"), "/account", "{bad:?}");
        }
    }

    #[test]
    fn garde_reports_become_one_message_per_field() {
        use garde::Validate;

        fn title_given(value: &str, _: &()) -> garde::Result {
            if value.trim().is_empty() {
                return Err(garde::Error::new("Enter a title"));
            }
            Ok(())
        }

        #[derive(garde::Validate)]
        struct RoleForm {
            #[garde(custom(title_given))]
            title: String,
            #[garde(range(min = 1, max = 500))]
            places: i32,
        }
        let report = RoleForm {
            title: " ".into(),
            places: 0,
        }
        .validate()
        .unwrap_err();
        let errors = FormErrors::from(report);
        assert_eq!(errors.message("title"), "Enter a title");
        assert!(errors.has("places"));
        assert_eq!(errors.iter().count(), 2);
    }

    #[test]
    fn the_first_problem_per_field_is_kept() {
        let mut e = FormErrors::new();
        e.add("email", "Enter your email address");
        e.add("email", "second");
        e.add("password", "Enter a password");
        assert_eq!(e.message("email"), "Enter your email address");
        assert_eq!(e.iter().count(), 2);
        assert!(e.check().is_err());
        assert!(FormErrors::new().check().is_ok());
    }
}
