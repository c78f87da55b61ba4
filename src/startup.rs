//! Builds the application (router, middleware, state) and serves it. Tests call the same code.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::auth::csrf::{self, CsrfConfig};
use crate::auth::{self, DatabaseSessionStore};
use crate::config::Settings;
use crate::db::{self, DbSetupError};
use crate::routes;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error("cannot open the search index: {0}")]
    Search(#[from] crate::search::SearchError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Prepares the database (migrate, reference data) and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = db::prepare(&settings).await?;
        Self::with_database(settings, db).await
    }

    /// Binds with a database that is already prepared.
    pub async fn with_database(
        settings: Settings,
        db: DatabaseConnection,
    ) -> Result<Self, StartupError> {
        let addr = settings.bind;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr, source })?;
        let search = crate::search::open(&settings).await?;
        if let Err(e) = crate::email::unsubscribe::configure(&settings.data_dir) {
            // Links then verify only within this process: tell the operator, keep serving.
            tracing::warn!(error = %e, "unsubscribe links use a temporary secret");
        }
        let state = AppState {
            db,
            search,
            base_url: settings.base_url(bound).into(),
            settings: Arc::new(settings),
        };
        Ok(Self {
            listener,
            router: router(state.clone()),
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn base_url(&self) -> String {
        self.state.settings.base_url(self.local_addr())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the future `stop` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // The search index follows the database for as long as the server runs.
        let sync =
            crate::search::sync::SyncWorker::new(self.state.db.clone(), self.state.search.clone());
        let sync = tokio::spawn(async move { sync.run(std::future::pending()).await });
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await;
        sync.abort();
        served
    }
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Only our own origin may supply scripts, styles, fonts and frames; nobody may frame us.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The full router with every middleware, as served.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let x_request_id = HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), uri = %req.uri())
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));

    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(
            x_request_id.clone(),
            MakeRequestUuid,
        ))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(x_request_id))
        .layer(CatchPanicLayer::custom(routes::errors::panic_response))
        // Security headers on every response, error pages and static files included.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes))
        .layer(CompressionLayer::new().gzip(true));

    let sessions = auth::session::layer(DatabaseSessionStore::new(state.db.clone()), &settings);
    let csrf = axum::middleware::from_fn_with_state(
        CsrfConfig {
            secure: settings.secure_cookies(),
        },
        csrf::protect,
    );
    routes::router(&settings)
        .with_state(state)
        .layer(csrf)
        .layer(sessions)
        .layer(middleware)
}
