//! What unknown addresses and panics answer: the site's error page, or JSON under `/api`.
use std::any::Any;

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, AppError, ErrorPage};

pub async fn not_found(uri: Uri) -> Response {
    let err = AppError::NotFound("page");
    if uri.path().starts_with("/api/") {
        ApiError(err).into_response()
    } else {
        err.into_response()
    }
}

/// A panic is our bug, never the user's: log it, show the generic 500 page.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "handler panicked");
    ErrorPage::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "something went wrong on our side".into(),
        Default::default(),
    )
    .into_response_with(StatusCode::INTERNAL_SERVER_ERROR)
}
