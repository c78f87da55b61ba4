//! Cross-site request forgery protection for every state-changing request.
//!
//! Two checks, both needed to pass: the browser's own word on where the request comes
//! from (`Sec-Fetch-Site`, else `Origin`) must be this site, and a form must carry the
//! token from this browser's `hm_csrf` cookie in its `csrf_token` field (scripts send it
//! as `X-CSRF-Token`). API calls with a bearer token carry no cookies to abuse and skip
//! the token check.
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::tokens::{random_token, same_secret};
use crate::error::{ApiError, AppError, ErrorPage};

pub const COOKIE_NAME: &str = "hm_csrf";
pub const FORM_FIELD: &str = "csrf_token";
pub const HEADER_NAME: &str = "x-csrf-token";

/// This browser's token, for forms to embed. Every request has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// Whether the cookie is marked `Secure`.
#[derive(Clone, Copy, Debug)]
pub struct CsrfConfig {
    pub secure: bool,
}

pub async fn protect(State(config): State<CsrfConfig>, req: Request, next: Next) -> Response {
    let existing = cookie_token(req.headers());
    let token = existing.clone().unwrap_or_else(random_token);
    let mut req = req;
    if is_state_changing(req.method()) {
        match check(req, existing.as_deref()).await {
            Ok(checked) => req = checked,
            Err(refusal) => return refusal,
        }
    }
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    if existing.is_none() {
        let cookie = format!(
            "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax{}",
            if config.secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The request back (its body re-assembled when it was read), or the refusal.
async fn check(req: Request, cookie: Option<&str>) -> Result<Request, Response> {
    let api = req.uri().path().starts_with("/api/");
    // One-click unsubscribe (RFC 8058) is POSTed by mail clients, cross-site and without
    // our cookie; its signed token is the proof, and it can only turn emails off.
    if req.uri().path().starts_with("/unsubscribe/") {
        return Ok(req);
    }
    if let Some(why) = cross_site(req.headers()) {
        return Err(refuse(api, why));
    }
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if api && bearer && cookie.is_none() {
        return Ok(req);
    }
    let Some(expected) = cookie else {
        return Err(refuse(api, "the form's security cookie is missing"));
    };
    if let Some(sent) = req.headers().get(HEADER_NAME).and_then(|v| v.to_str().ok()) {
        return if same_secret(sent, expected) {
            Ok(req)
        } else {
            Err(refuse(api, "the security token does not match"))
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refuse(api, "the security token is missing"));
    }
    let (parts, body) = req.into_parts();
    // The body-size limit outside this layer bounds what is read here.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response()),
    };
    let sent = form_urlencoded_value(&bytes, FORM_FIELD);
    if !sent.is_some_and(|s| same_secret(&s, expected)) {
        return Err(refuse(
            api,
            "the security token is missing or does not match",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Why the browser says this request came from another site, if it does.
fn cross_site(headers: &HeaderMap) -> Option<&'static str> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return match site {
            "same-origin" | "none" => None,
            _ => Some("the request came from another site"),
        };
    }
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match (origin_host, host) {
        (Some(o), Some(h)) if o.eq_ignore_ascii_case(h) => None,
        _ => Some("the request came from another site"),
    }
}

fn refuse(api: bool, why: &str) -> Response {
    tracing::warn!(
        reason = why,
        "refused a state-changing request (CSRF check)"
    );
    let message =
        format!("This was not accepted because {why}. Go back, reload the page and try again.");
    if api {
        let mut res = ApiError(AppError::Forbidden).into_response();
        *res.status_mut() = StatusCode::FORBIDDEN;
        return res;
    }
    ErrorPage::new(StatusCode::FORBIDDEN, message, Default::default())
        .into_response_with(StatusCode::FORBIDDEN)
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_browsers_fetch_metadata_decides_first() {
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-origin")])).is_none());
        assert!(cross_site(&headers(&[("sec-fetch-site", "none")])).is_none());
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])).is_some());
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")])).is_some());
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_match_the_host() {
        let same = headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
        ]);
        assert!(cross_site(&same).is_none());
        let other = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080"),
        ]);
        assert!(cross_site(&other).is_some());
        let null = headers(&[("origin", "null"), ("host", "127.0.0.1:8080")]);
        assert!(cross_site(&null).is_some());
        assert!(
            cross_site(&headers(&[("host", "x")])).is_none(),
            "no origin: token decides"
        );
    }

    #[test]
    fn the_cookie_token_must_look_like_one_of_ours() {
        let good = random_token();
        let h = headers(&[("cookie", &format!("a=b; {COOKIE_NAME}={good}; c=d"))]);
        assert_eq!(cookie_token(&h), Some(good));
        let h = headers(&[("cookie", &format!("{COOKIE_NAME}=short"))]);
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn the_form_field_is_found_among_the_others() {
        let body = b"email=a%40b.org&csrf_token=abc%2Ddef&x=1";
        assert_eq!(
            form_urlencoded_value(body, FORM_FIELD).as_deref(),
            Some("abc-def")
        );
        assert_eq!(form_urlencoded_value(b"email=a", FORM_FIELD), None);
    }
}
