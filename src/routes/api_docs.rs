//! The JSON API's routes gathered with their OpenAPI description: the document at
//! `/api/openapi.json` and Swagger UI at `/api/docs`. Every `/api/v1` route is
//! registered here through `OpenApiRouter`, so the document lists exactly what is served.
use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

pub const DOCUMENT_PATH: &str = "/api/openapi.json";
pub const UI_PATH: &str = "/api/docs";

/// Every `/api/v1` route, each documented by its `#[utoipa::path]`.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::roles::api())
        .merge(super::organisations::api())
        .merge(super::hubs::api())
        .merge(super::account::tokens::api())
        .merge(super::account::data::api())
        .merge(super::api_v1::api())
        .merge(super::reports::api())
}

/// The API routes, and the document describing them.
pub fn split() -> (Router<AppState>, OpenApi) {
    let (router, mut doc) = api_routes().split_for_parts();
    doc.info = InfoBuilder::new()
        .title("hubmatch API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Volunteering roles, organisations and hubs across Southwark's community hubs. \
             Lists are `{items, total, page, per_page}`; errors are `{error, fields}`; times \
             are RFC 3339. Signed-in calls take `Authorization: Bearer hm_…` (create a token \
             on your account page) or a browser session.",
        ))
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    (router, doc)
}

/// Swagger UI sets inline styles as it renders; its pages (and only they) allow them.
const SWAGGER_UI_POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// The API plus its document and Swagger UI.
pub fn router() -> Router<AppState> {
    let (api, doc) = split();
    let ui: Router<AppState> = Router::from(SwaggerUi::new(UI_PATH).url(DOCUMENT_PATH, doc)).layer(
        SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SWAGGER_UI_POLICY),
        ),
    );
    api.merge(ui)
}
