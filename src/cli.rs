//! Subcommands: serve, worker, migrate, seed, reindex, baseline, report, admin. Each is a thin wrapper over the library.
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use crate::config::{Overrides, Settings};
use crate::domain::baseline::{BaselineTable, ParseOptions, areas_to_import, parse_table};
use crate::jobs::housekeeping;
use crate::jobs::outbox::Worker;
use crate::seed::{DemoOptions, SeedError};
use crate::startup::{Application, shutdown_signal};
use crate::{db, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "hubmatch",
    version,
    about = "Volunteering matches across a borough's community hubs"
)]
pub struct Cli {
    /// Settings file (default: ./hubmatch.toml, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the SQLite file, search index and emails [env: HUBMATCH_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL, e.g. postgres://user@host/db [env: DATABASE_URL] [default: SQLite in the data folder]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (migrates the database first).
    Serve(ServeArgs),
    /// Deliver queued emails until Ctrl-C or SIGTERM (for running apart from `serve --no-worker`).
    Worker,
    /// Apply or roll back database migrations.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Load data: `--demo` fills an empty database with the Southwark demo.
    Seed(SeedArgs),
    /// Census baseline figures that volunteers are compared against.
    Baseline {
        #[command(subcommand)]
        action: BaselineAction,
    },
    /// Rebuild the search index from the database (tantivy in the data folder, or
    /// Meilisearch at MEILI_URL: a new index is built, then swapped in).
    Reindex,
    /// Offline evaluation: `eval matching` scores recommendations against the demo's
    /// planted preferences and measures how evenly volunteers are suggested.
    Eval {
        #[command(subcommand)]
        what: EvalWhat,
    },
    /// Scheduled emails (session reminders, roles closing soon, hours to confirm, the
    /// weekly digest): `jobs run` runs each once; `serve` runs them every 10 minutes.
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Reports for the alliance: `report representativeness` prints the published
    /// (small numbers suppressed) figures of the page as CSV or JSON.
    Report {
        #[command(subcommand)]
        what: ReportWhat,
    },
    /// Alliance admins: the people who approve organisations and assign hub coordinators.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// Run every scheduled-email job once. Safe to repeat: each email is sent once.
    Run(JobsRunArgs),
}

#[derive(Debug, clap::Args)]
pub struct JobsRunArgs {
    /// Run as if it were this moment (RFC 3339, e.g. 2026-12-01T09:00:00Z); default now.
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// Create an alliance admin, or make an existing account one (active and verified).
    Create(AdminCreateArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct AdminCreateArgs {
    /// Their email address (their sign-in name).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// Their name as others see it [default: the part of the address before the @]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Read the password from the first line of standard input, instead of printing a
    /// link to set one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: HUBMATCH_BIND] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Load the demo data first if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Demo volunteers to generate with --demo.
    #[arg(long, default_value_t = 2000)]
    pub scale: u32,
    /// Do not deliver queued emails in this process (run `hubmatch worker` instead).
    #[arg(long)]
    pub no_worker: bool,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration (the default).
    Up,
    /// Roll back the last N migrations.
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum EvalWhat {
    /// Precision@10 of recommendations vs newest-first, and the exposure Gini of
    /// suggested volunteers with and without the fairness tie-break.
    Matching(EvalMatchingArgs),
}

#[derive(Debug, Args)]
pub struct EvalMatchingArgs {
    /// Demo volunteers to generate into a temporary SQLite database.
    #[arg(long, default_value_t = 2000)]
    pub scale: u32,
    /// Random seed of the demo.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Evaluate the configured database as it is instead of a fresh demo.
    #[arg(long)]
    pub use_database: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Generate the Southwark demo: hubs, organisations, roles, volunteers.
    #[arg(long)]
    pub demo: bool,
    /// Number of demo volunteers (roles are a tenth, at least 300).
    #[arg(long, default_value_t = 2000)]
    pub scale: u32,
    /// Random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum ReportWhat {
    /// Volunteers compared with the census baseline, per funnel stage and dimension.
    Representativeness(RepresentativenessArgs),
}

#[derive(Debug, Args)]
pub struct RepresentativenessArgs {
    /// `csv` or `json`.
    #[arg(long, value_parser = ["csv", "json"], default_value = "csv")]
    pub format: String,
    /// Hub id or slug.
    #[arg(long)]
    pub hub: Option<String>,
    /// Organisation id or slug.
    #[arg(long)]
    pub org: Option<String>,
    /// Cause slug.
    #[arg(long)]
    pub cause: Option<String>,
    /// First day counted, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day counted, YYYY-MM-DD (default today).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BaselineAction {
    /// Import census figures from a CSV file: the long layout
    /// `dimension,universe,category,count` (one area, named by --area-code and
    /// --area-name) or an ONS bulk table (one row per area). Replaces each area's
    /// figures for the dimensions in the file; all or nothing.
    Import(BaselineImportArgs),
}

#[derive(Debug, Args)]
pub struct BaselineImportArgs {
    /// The CSV file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// ONS code of the area a long-layout file describes (e.g. E09000028); with an
    /// ONS table, import only this area's row.
    #[arg(long, value_name = "CODE")]
    pub area_code: Option<String>,
    /// Name of that area (long layout only), e.g. Southwark.
    #[arg(long, value_name = "NAME")]
    pub area_name: Option<String>,
    /// Leave out ONS columns that are not census categories hubmatch knows, instead of stopping.
    #[arg(long)]
    pub skip_unknown: bool,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let bind = match &cli.command {
        Command::Serve(args) => args.bind,
        _ => None,
    };
    let overrides = Overrides {
        bind,
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let settings = Settings::load(cli.config.as_deref(), &overrides)?;
    telemetry::init(settings.log_format);

    match cli.command {
        Command::Serve(args) => serve(settings, args).await,
        Command::Worker => worker(settings).await,
        Command::Migrate { action } => {
            migrate(&settings, action.unwrap_or(MigrateAction::Up)).await
        }
        Command::Seed(args) => seed(&settings, args).await,
        Command::Eval {
            what: EvalWhat::Matching(args),
        } => eval_matching(&settings, args).await,
        Command::Reindex => {
            let db = db::prepare(&settings).await?;
            println!("{}", crate::search::sync::rebuild(&settings, &db).await?);
            Ok(())
        }
        Command::Baseline {
            action: BaselineAction::Import(args),
        } => baseline_import(&settings, args).await,
        Command::Jobs {
            action: JobsAction::Run(args),
        } => jobs_run(&settings, args).await,
        Command::Report {
            what: ReportWhat::Representativeness(args),
        } => report_representativeness(&settings, args).await,
        Command::Admin {
            action: AdminAction::Create(args),
        } => {
            let password = if args.password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let db = db::prepare(&settings).await?;
            let base = settings.base_url(settings.bind);
            let report = admin_create(&db, &base, &args, password).await?;
            println!("{report}");
            Ok(())
        }
    }
}

/// Creates or promotes an alliance admin and says what to do next. With no password,
/// a new account gets a password-reset link to choose one. The password is checked
/// against the policy before anything is written.
pub async fn admin_create(
    db: &sea_orm::DatabaseConnection,
    base_url: &str,
    args: &AdminCreateArgs,
    password: Option<String>,
) -> anyhow::Result<String> {
    use crate::auth::{EmailAddress, password as policy};
    use crate::models::account_tokens::{self, Kind, TokenFor};
    use crate::models::{audit, staff};

    let email = EmailAddress::parse(&args.email).map_err(|e| anyhow!("--email: {e}"))?;
    let name = args
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > 120) {
        bail!("--name: Name must be 120 characters or fewer");
    }
    let hash = match password {
        Some(typed) => {
            if typed.is_empty() {
                bail!("password: Enter a password on standard input");
            }
            policy::check_policy(&typed, &email).map_err(|e| anyhow!("password: {e}"))?;
            Some(
                tokio::task::spawn_blocking(move || policy::hash(&typed))
                    .await
                    .context("hashing the password")??,
            )
        }
        None => None,
    };
    let password_given = hash.is_some();

    let txn = crate::db::begin(db).await?;
    let admin = staff::create_alliance_admin(&txn, email.as_str(), name, hash).await?;
    let reset = if admin.user.password_hash.is_none() {
        Some(
            account_tokens::issue(
                &txn,
                Kind::PasswordReset,
                TokenFor {
                    user_id: Some(admin.user.id),
                    email: Some(admin.user.email.clone()),
                    ..TokenFor::default()
                },
            )
            .await?,
        )
    } else {
        None
    };
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: None,
            action: "admin.create",
            subject_type: "user",
            subject_id: Some(admin.user.id),
            detail: serde_json::json!({
                "email": admin.user.email,
                "created": admin.created,
                "password_set": password_given,
            }),
            ip: None,
        },
    )
    .await?;
    txn.commit().await?;

    let mut out = if admin.created {
        format!("created alliance admin {}", admin.user.email)
    } else {
        format!("{} is now an alliance admin", admin.user.email)
    };
    match (reset, password_given) {
        (Some(token), _) => out.push_str(&format!(
            "\nto choose a password, open this link within 1 hour (it works once):\n{}/password-reset/{token}\n\
             (if it expires, use \"Forgotten your password?\" on the sign-in page)",
            base_url.trim_end_matches('/')
        )),
        (None, true) => out.push_str("\npassword set"),
        (None, false) => out.push_str("\nthey keep their existing password"),
    }
    out.push_str(
        "\nat first sign-in they will be asked to set up two-factor sign-in (an authenticator app)",
    );
    Ok(out)
}

async fn serve(settings: Settings, args: ServeArgs) -> anyhow::Result<()> {
    let db = db::prepare(&settings).await?;
    // Before listening: a bad SMTP_URL stops the start, not the first email.
    let worker = if args.no_worker {
        None
    } else {
        Some(Worker::from_settings(db.clone(), &settings).await?)
    };
    if args.demo {
        load_demo(&db, args.scale, 42, true).await?;
    }
    let housekeeping_db = db.clone();
    let app = Application::with_database(settings, db).await?;
    let url = app.base_url();
    tracing::info!(%url, "hubmatch is listening");
    println!("hubmatch is running: open {url}/ in your browser (Ctrl-C to stop)");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    // Expired sessions and old rate-limit events are swept in every serving process
    // (a cheap DELETE), with or without the email worker.
    // Scheduled emails too: their keys make two processes running them harmless.
    tokio::spawn(crate::jobs::scheduled::run(
        housekeeping_db.clone(),
        url.clone(),
        stopped(stop_rx.clone()),
    ));
    tokio::spawn(housekeeping::run(housekeeping_db, stopped(stop_rx.clone())));
    let server = app.run_until(stopped(stop_rx.clone()));
    match worker {
        Some(worker) => {
            let (served, ()) = tokio::join!(server, worker.run(stopped(stop_rx)));
            served
        }
        None => server.await,
    }
    .context("server stopped with an error")?;
    println!("hubmatch stopped");
    Ok(())
}

async fn jobs_run(settings: &Settings, args: JobsRunArgs) -> anyhow::Result<()> {
    let now = match args.now.as_deref() {
        Some(raw) => {
            time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
                .with_context(|| {
                    format!("--now {raw:?} is not an RFC 3339 time, e.g. 2026-12-01T09:00:00Z")
                })?
        }
        None => db::now(),
    };
    let db = db::prepare(settings).await?;
    crate::email::unsubscribe::configure(&settings.data_dir)?;
    let base_url = settings.base_url(settings.bind);
    let report = crate::jobs::scheduled::run_all(&db, &base_url, now).await?;
    println!(
        "scheduled emails queued: {} session reminders, {} closing soon, {} hours to confirm, {} weekly digests",
        report.session_reminders,
        report.closing_soon,
        report.hours_to_confirm,
        report.weekly_digests
    );
    Ok(())
}

async fn worker(settings: Settings) -> anyhow::Result<()> {
    let db = db::prepare(&settings).await?;
    let worker = Worker::from_settings(db, &settings).await?;
    println!(
        "hubmatch worker is delivering emails ({}); Ctrl-C to stop",
        worker.transport().describe()
    );
    worker.run(shutdown_signal()).await;
    println!("hubmatch worker stopped");
    Ok(())
}

/// Completes once the shutdown signal has been seen.
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn migrate(settings: &Settings, action: MigrateAction) -> anyhow::Result<()> {
    let db = db::connect(settings).await?;
    match action {
        MigrateAction::Up => {
            Migrator::up(&db, None).await?;
            crate::seed::ensure_reference_data(&db).await?;
            println!("database is up to date");
        }
        MigrateAction::Down { steps } => {
            Migrator::down(&db, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            let applied: Vec<String> = Migrator::get_applied_migrations(&db)
                .await?
                .iter()
                .map(|m| m.name().to_owned())
                .collect();
            for m in Migrator::migrations() {
                let state = if applied.iter().any(|a| a == m.name()) {
                    "applied"
                } else {
                    "pending"
                };
                println!("{state:8} {}", m.name());
            }
        }
    }
    Ok(())
}

async fn seed(settings: &Settings, args: SeedArgs) -> anyhow::Result<()> {
    if !args.demo {
        bail!("nothing to seed: pass --demo to load the Southwark demo data");
    }
    let db = db::prepare(settings).await?;
    load_demo(&db, args.scale, args.seed, true).await?;
    // The demo is written straight to the tables: index it as a whole.
    println!("{}", crate::search::sync::rebuild(settings, &db).await?);
    Ok(())
}

/// The same published figures as `/reports/representativeness`, on standard output;
/// the run is written to the audit log like a view of the page.
async fn report_representativeness(
    settings: &Settings,
    args: RepresentativenessArgs,
) -> anyhow::Result<()> {
    use crate::models::representativeness::{
        FilterInput, record_cli_view, report, resolve_filter, to_csv,
    };
    let db = db::prepare(settings).await?;
    let input = FilterInput {
        hub: args.hub.unwrap_or_default(),
        organisation: args.org.unwrap_or_default(),
        cause: args.cause.unwrap_or_default(),
        from: args.from.unwrap_or_default(),
        to: args.to.unwrap_or_default(),
    };
    let (filter, _) = resolve_filter(&db, &input, db::now().date())
        .await
        .map_err(|e| {
            // Name the flag as typed: the filter's `organisation` is `--org` here.
            let fields: Vec<String> = e
                .fields()
                .into_iter()
                .map(|(f, why)| {
                    let flag = if f == "organisation" {
                        "org"
                    } else {
                        f.as_str()
                    };
                    format!("--{flag}: {why}")
                })
                .collect();
            anyhow!(
                "{}",
                if fields.is_empty() {
                    e.public_message()
                } else {
                    fields.join("; ")
                }
            )
        })?;
    let published = report(&db, &filter).await?;
    record_cli_view(&db, &filter, &args.format).await?;
    match args.format.as_str() {
        "json" => println!("{}", serde_json::to_string_pretty(&published)?),
        _ => print!("{}", to_csv(&published)),
    }
    Ok(())
}

/// Reads and checks the whole file before touching the database, then imports it in one go.
async fn baseline_import(settings: &Settings, args: BaselineImportArgs) -> anyhow::Result<()> {
    let file = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {file}"))?;
    let options = ParseOptions {
        skip_unknown: args.skip_unknown,
    };
    let table = parse_table(&text, options).map_err(|e| anyhow!("{file}: {e}"))?;
    if let BaselineTable::Ons { left_out, .. } = &table {
        for (column, why) in left_out {
            println!("left out column \"{column}\": {why}");
        }
    }
    let areas = areas_to_import(table, args.area_code.as_deref(), args.area_name.as_deref())
        .map_err(|e| anyhow!("{file}: {e}"))?;
    let source = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(file);
    let db = db::prepare(settings).await?;
    let report = crate::models::baseline::import_areas(&db, &areas, &source).await?;
    println!("{report}");
    Ok(())
}

/// `hubmatch eval matching`: on a fresh demo in a temporary folder unless told to use
/// the configured database.
async fn eval_matching(settings: &Settings, args: EvalMatchingArgs) -> anyhow::Result<()> {
    let weights = settings.matching.weights;
    if args.use_database {
        let db = db::prepare(settings).await?;
        let report = crate::models::matching_eval::evaluate(&db, &weights, 10, 10).await?;
        println!("{report}");
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!(
        "hubmatch-eval-{}-{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    ));
    let scratch = Settings {
        data_dir: dir.clone(),
        database_url: None,
        ..settings.clone()
    };
    let outcome = async {
        let db = db::prepare(&scratch).await?;
        load_demo(&db, args.scale, args.seed, false).await?;
        let report = crate::models::matching_eval::evaluate(&db, &weights, 10, 10).await?;
        db.close().await?;
        anyhow::Ok(report)
    }
    .await;
    // The scratch database goes whatever happened.
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", outcome?);
    Ok(())
}

/// Loads the demo into an empty database; says so and carries on if it is not empty.
async fn load_demo(
    db: &sea_orm::DatabaseConnection,
    volunteers: u32,
    seed: u64,
    progress: bool,
) -> anyhow::Result<()> {
    let opts = DemoOptions {
        volunteers,
        seed,
        progress,
        today: time::OffsetDateTime::now_utc().date(),
    };
    match crate::seed::seed_demo(db, &opts).await {
        Ok(report) => {
            println!("{report}");
            Ok(())
        }
        Err(SeedError::AlreadySeeded) => {
            println!("demo data: the database already has organisations, leaving it as it is");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
