//! The volunteering core's JSON API under `/api/v1`: organisations' roles and sessions,
//! applications and hours, sharing the models the pages use; and reading JSON bodies so
//! every bad field is a 400 `{error, fields}` naming it.
pub mod applications;
pub mod hours;
pub mod hubs;
pub mod matching;
pub mod pathways;
pub mod roles;
pub mod search;
pub mod social_referrals;

use std::collections::BTreeSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use time::Date;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::filters::parse_paging;
use crate::error::{ApiError, AppError, ErrorBody, FieldErrors};
use crate::models::applications::{self as application_model, RefusalKind};
use crate::state::AppState;

/// Every route of the volunteering core's API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(roles::organisation_roles, roles::create))
        .routes(routes!(roles::edit))
        .routes(routes!(roles::open))
        .routes(routes!(roles::close))
        .routes(routes!(roles::sessions, roles::add_session))
        .routes(routes!(applications::apply))
        .routes(routes!(applications::mine))
        .routes(routes!(applications::organisation_applications))
        .routes(routes!(applications::show))
        .routes(routes!(applications::decide))
        .routes(routes!(applications::withdraw))
        .routes(routes!(hours::log))
        .routes(routes!(hours::mine))
        .routes(routes!(hours::organisation_hours))
        .routes(routes!(hours::totals))
        .routes(routes!(hours::review))
        .routes(routes!(hubs::roles))
        .routes(routes!(matching::recommendations))
        .routes(routes!(matching::suggested_volunteers))
        .routes(routes!(search::roles))
        .routes(routes!(search::volunteers))
        .merge(pathways::api())
        .routes(routes!(social_referrals::create, social_referrals::index))
        .routes(routes!(social_referrals::show))
        .routes(routes!(social_referrals::status))
        .routes(routes!(social_referrals::outcomes))
}

/// What an API handler returns when it fails: the usual `ApiError`, or a refusal from the
/// applications and hours models with its own status (403 not eligible, 409 conflict or
/// full) and the field it is about.
#[derive(Debug)]
pub enum Failure {
    Api(ApiError),
    Refused {
        status: StatusCode,
        field: String,
        message: String,
    },
}

impl<E: Into<ApiError>> From<E> for Failure {
    fn from(e: E) -> Self {
        Self::Api(e.into())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) => e.into_response(),
            Self::Refused {
                status,
                field,
                message,
            } => {
                let mut fields = FieldErrors::new();
                fields.insert(field, message.clone());
                (
                    status,
                    Json(ErrorBody {
                        error: message,
                        fields,
                    }),
                )
                    .into_response()
            }
        }
    }
}

/// A model's refusal as the API answers it; `rename` maps the model's form field names to
/// the API's body fields (e.g. `sessions` -> `session_ids`).
pub fn refused(e: application_model::Error, rename: &[(&str, &str)]) -> Failure {
    match e {
        application_model::Error::Failed(e) => Failure::Api(ApiError(e)),
        application_model::Error::Refused(r) => {
            let field = rename
                .iter()
                .find(|(from, _)| *from == r.field)
                .map_or(r.field, |(_, to)| to)
                .to_owned();
            let status = match r.kind {
                RefusalKind::Invalid => StatusCode::BAD_REQUEST,
                RefusalKind::NotEligible => StatusCode::FORBIDDEN,
                RefusalKind::Conflict | RefusalKind::Full => StatusCode::CONFLICT,
            };
            Failure::Refused {
                status,
                field,
                message: r.message,
            }
        }
    }
}

/// `page` and `per_page` from the query, or a 400 naming the bad one.
pub fn paging(pairs: &[(String, String)]) -> Result<(u32, u32), ApiError> {
    parse_paging(pairs).map_err(|f| ApiError(AppError::invalid(f)))
}

/// One page of an in-memory list.
pub fn page_of<T>(all: Vec<T>, page: u32, per_page: u32) -> crate::models::Page<T> {
    let total = all.len() as u64;
    let skip = (page.saturating_sub(1) as usize).saturating_mul(per_page as usize);
    crate::models::Page {
        items: all.into_iter().skip(skip).take(per_page as usize).collect(),
        total,
        page,
        per_page,
    }
}

/// The last value of a query parameter, trimmed ("" when absent).
pub fn query_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// Every non-empty value of a repeated query parameter (`needs=a&needs=b`), trimmed, in order.
pub fn query_values(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A JSON object body, or why it is not one. Never rejects the request itself: the
/// handler checks permission first, and [`Fields::finish`] then answers a malformed body
/// with a 400 naming `body` (never axum's plain-text 422).
pub struct JsonBody(pub Result<Map<String, Value>, String>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(e) => return Ok(Self(Err(format!("the body could not be read: {e}")))),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(Ok(Map::new())));
        }
        Ok(Self(match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err("the body must be a JSON object".to_owned()),
            Err(e) => Err(format!(
                "the body is not valid JSON (line {}, column {}): send a JSON object",
                e.line(),
                e.column()
            )),
        }))
    }
}

/// Reads a body's fields one by one, noting every missing, mistyped and unknown field so
/// one answer names them all.
pub struct Fields {
    /// Why the body is not a JSON object, if it is not: then that is the only answer.
    malformed: Option<String>,
    map: Map<String, Value>,
    seen: BTreeSet<String>,
    pub errors: FieldErrors,
}

impl Fields {
    pub fn new(JsonBody(body): JsonBody) -> Self {
        let (map, malformed) = match body {
            Ok(map) => (map, None),
            Err(why) => (Map::new(), Some(why)),
        };
        Self {
            malformed,
            map,
            seen: BTreeSet::new(),
            errors: FieldErrors::new(),
        }
    }

    /// Notes a problem with a field (the first one per field is kept).
    pub fn fail(&mut self, name: &str, why: impl Into<String>) {
        self.errors
            .entry(name.to_owned())
            .or_insert_with(|| why.into());
    }

    /// Sent at all, even as `null` (which clears an optional field in a PATCH).
    pub fn present(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The field as sent, for shapes the typed readers do not cover.
    pub fn raw(&mut self, name: &str) -> Option<Value> {
        self.value(name).cloned()
    }

    fn value(&mut self, name: &str) -> Option<&Value> {
        self.seen.insert(name.to_owned());
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn missing(&mut self, name: &str, required: bool) {
        if required {
            self.fail(name, "is required");
        }
    }

    pub fn string(&mut self, name: &str, required: bool) -> Option<String> {
        match self.value(name).cloned() {
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.fail(name, "must be a string");
                None
            }
            None => {
                self.missing(name, required);
                None
            }
        }
    }

    pub fn integer(&mut self, name: &str, required: bool) -> Option<i64> {
        match self.value(name).cloned() {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Some(i),
                None => {
                    self.fail(name, "must be a whole number");
                    None
                }
            },
            Some(_) => {
                self.fail(name, "must be a whole number");
                None
            }
            None => {
                self.missing(name, required);
                None
            }
        }
    }

    pub fn boolean(&mut self, name: &str, required: bool) -> Option<bool> {
        match self.value(name).cloned() {
            Some(Value::Bool(b)) => Some(b),
            Some(_) => {
                self.fail(name, "must be true or false");
                None
            }
            None => {
                self.missing(name, required);
                None
            }
        }
    }

    pub fn strings(&mut self, name: &str) -> Option<Vec<String>> {
        match self.value(name).cloned() {
            Some(Value::Array(items)) => {
                let out: Option<Vec<String>> = items
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                if out.is_none() {
                    self.fail(name, "must be a list of strings");
                }
                out
            }
            Some(_) => {
                self.fail(name, "must be a list of strings");
                None
            }
            None => None,
        }
    }

    pub fn integers(&mut self, name: &str) -> Option<Vec<i32>> {
        match self.value(name).cloned() {
            Some(Value::Array(items)) => {
                let out: Option<Vec<i32>> = items
                    .iter()
                    .map(|v| v.as_i64().and_then(|i| i32::try_from(i).ok()))
                    .collect();
                if out.is_none() {
                    self.fail(name, "must be a list of ids (whole numbers)");
                }
                out
            }
            Some(_) => {
                self.fail(name, "must be a list of ids (whole numbers)");
                None
            }
            None => None,
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, name: &str, required: bool) -> Option<Date> {
        let raw = self.string(name, required)?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        match Date::parse(raw.trim(), &format) {
            Ok(d) => Some(d),
            Err(_) => {
                self.fail(
                    name,
                    "must be a real date written YYYY-MM-DD, like 2026-07-04",
                );
                None
            }
        }
    }

    /// An RFC 3339 time, like `2026-07-04T10:00:00+01:00`.
    pub fn instant(&mut self, name: &str, required: bool) -> Option<time::OffsetDateTime> {
        let raw = self.string(name, required)?;
        match time::OffsetDateTime::parse(
            raw.trim(),
            &time::format_description::well_known::Rfc3339,
        ) {
            Ok(t) => Some(t),
            Err(_) => {
                self.fail(
                    name,
                    "must be an RFC 3339 time, like 2026-07-04T10:00:00+01:00",
                );
                None
            }
        }
    }

    /// One of `options`, else a message listing them.
    pub fn choice(&mut self, name: &str, options: &[&str], required: bool) -> Option<String> {
        let raw = self.string(name, required)?;
        if options.contains(&raw.as_str()) {
            Some(raw)
        } else {
            self.fail(name, format!("must be one of: {}", options.join(", ")));
            None
        }
    }

    /// Every field read, or a 400 naming each problem and each field this call does not
    /// take (a mistyped name would otherwise be silently ignored).
    pub fn finish(self) -> Result<(), ApiError> {
        self.finish_with(FieldErrors::new())
    }

    /// As [`Fields::finish`], adding the problems the model's own checks found; a problem
    /// with a field's type wins over the model's message about it.
    pub fn finish_with(mut self, checked: FieldErrors) -> Result<(), ApiError> {
        if let Some(why) = self.malformed {
            return Err(ApiError(AppError::field("body", why)));
        }
        for (name, why) in checked {
            self.fail(&name, why);
        }
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !self.seen.contains(*k))
            .cloned()
            .collect();
        for name in unknown {
            self.fail(&name, "is not a field of this request");
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError(AppError::invalid(self.errors)))
        }
    }
}

/// A whole number that must fit the database's integer.
pub fn fits_i32(fields: &mut Fields, name: &str, value: Option<i64>) -> Option<i32> {
    let v = value?;
    match i32::try_from(v) {
        Ok(v) => Some(v),
        Err(_) => {
            fields.fail(name, "is too large");
            None
        }
    }
}

/// RFC 3339 for the API's times.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// `YYYY-MM-DD` for the API's dates.
pub fn iso_date(d: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&format).unwrap_or_else(|_| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(map) => Fields::new(JsonBody(Ok(map))),
            _ => unreachable!(),
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut f = fields(serde_json::json!({
            "title": 3, "places": "four", "remote": "yes", "colour": "red",
            "when": "2026-02-30", "ids": [1, "x"]
        }));
        f.string("title", true);
        f.integer("places", true);
        f.boolean("remote", false);
        f.date("when", false);
        f.integers("ids");
        f.string("summary", true);
        let errors = f.finish().unwrap_err().0.fields();
        for name in [
            "title", "places", "remote", "when", "ids", "summary", "colour",
        ] {
            assert!(errors.contains_key(name), "{name}: {errors:?}");
        }
        assert_eq!(errors["summary"], "is required");
        assert_eq!(errors["colour"], "is not a field of this request");
    }

    #[test]
    fn a_malformed_body_is_the_only_answer() {
        let mut f = Fields::new(JsonBody(Err("not JSON".into())));
        f.string("title", true);
        let errors = f.finish().unwrap_err().0.fields();
        assert_eq!(errors.keys().collect::<Vec<_>>(), vec!["body"]);
    }

    #[test]
    fn pages_of_a_list_skip_what_came_before() {
        let p = page_of((1..=25).collect::<Vec<_>>(), 2, 10);
        assert_eq!(p.items, (11..=20).collect::<Vec<_>>());
        assert_eq!(p.total, 25);
        assert!(page_of(vec![1], 3, 10).items.is_empty());
    }
}
