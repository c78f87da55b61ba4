//! The one error type handlers return, and how it becomes an HTML page or a JSON body.
use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sea_orm::DbErr;
use serde::Serialize;

/// Field name -> what is wrong with it, in words a user understands.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: FieldErrors,
    },
    /// Signed in, but this is not theirs to see or do.
    #[error("forbidden")]
    Forbidden,
    /// The API needs a token or a session.
    #[error("sign in or send an API token")]
    Unauthorized,
    /// The request is sound but the state forbids it now (e.g. no places left).
    #[error("{0}")]
    Conflict(String),
    /// Rate-limited; the message says how long to wait.
    #[error("{0}")]
    TooManyRequests(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 400 about one field.
    pub fn field(name: &str, problem: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(name.to_owned(), problem.into());
        Self::invalid(fields)
    }

    /// A 400 about several fields at once, so a form can show them all.
    pub fn invalid(fields: FieldErrors) -> Self {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        Self::BadRequest {
            message: format!("invalid {}", names.join(", ")),
            fields,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a user may be told: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            Self::NotFound(what) => format!("{what} not found"),
            Self::BadRequest { message, .. } => message.clone(),
            Self::Forbidden => "you do not have permission to do that".into(),
            Self::Unauthorized => {
                "sign in, or send an API token as 'Authorization: Bearer …'".into()
            }
            Self::TooManyRequests(message) | Self::Conflict(message) => message.clone(),
            Self::Database(_) | Self::Internal(_) => "something went wrong on our side".into(),
        }
    }

    pub fn fields(&self) -> FieldErrors {
        match self {
            Self::BadRequest { fields, .. } => fields.clone(),
            _ => FieldErrors::new(),
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub page: crate::routes::page::PageContext,
    pub status: u16,
    pub heading: String,
    pub message: String,
    pub fields: Vec<(String, String)>,
}

impl ErrorPage {
    pub fn new(status: StatusCode, message: String, fields: FieldErrors) -> Self {
        let heading = match status {
            StatusCode::NOT_FOUND => "Page not found".to_owned(),
            StatusCode::BAD_REQUEST => "There is a problem".to_owned(),
            StatusCode::FORBIDDEN => "You cannot do that".to_owned(),
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts".to_owned(),
            s if s.is_server_error() => "Sorry, there is a problem with the service".to_owned(),
            s => s.canonical_reason().unwrap_or("Error").to_owned(),
        };
        Self {
            page: crate::routes::page::PageContext::anonymous(),
            status: status.as_u16(),
            heading,
            message,
            fields: fields.into_iter().collect(),
        }
    }

    pub fn into_response_with(self, status: StatusCode) -> Response {
        match self.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (status, "error").into_response()
            }
        }
    }
}

/// Pages: the error rendered as HTML in the site layout.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        ErrorPage::new(status, self.public_message(), self.fields()).into_response_with(status)
    }
}

/// The JSON body of every API error: `{"error": "...", "fields": {"name": "why"}}`.
#[derive(Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub fields: FieldErrors,
}

/// API handlers return this; it carries the same error, rendered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = ErrorBody {
            error: self.0.public_message(),
            fields: self.0.fields(),
        };
        (self.0.status(), Json(body)).into_response()
    }
}

/// Parses a path id, naming the parameter when it is not a positive whole number.
pub fn parse_id(raw: &str, name: &str) -> Result<i32, AppError> {
    match raw.parse::<i32>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(AppError::field(name, format!("'{raw}' is not a valid id"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_positive_whole_numbers() {
        assert_eq!(parse_id("42", "id").unwrap(), 42);
        for bad in ["0", "-1", "abc", "1.5", "", "99999999999"] {
            let err = parse_id(bad, "id").unwrap_err();
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{bad}");
            assert!(err.fields().contains_key("id"), "{bad}");
        }
    }

    #[test]
    fn server_errors_do_not_leak_details() {
        let err = AppError::Internal("password=hunter2 in connection string".into());
        assert_eq!(err.public_message(), "something went wrong on our side");
    }
}
