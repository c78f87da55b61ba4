//! The demo data set: hubs, organisations, roles, volunteers, equality answers,
//! applications and hours, generated deterministically from a seed and a date.

mod applications;
mod content;
mod equality;
pub mod front_desk;
mod orgs;
pub mod pathways;
mod pick;
mod roles;
mod volunteers;

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, Value,
};
use time::{Date, OffsetDateTime, Time};

use super::SeedError;
use super::batch::{self, Sink, TableSpec, WriterError, WriterGone};
use super::reference::{ensure_reference_data, southwark_wards};
use super::vocab::{CAUSES, SKILLS};
use pick::DemoRng;

/// How much demo data to make, and from what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Synthetic volunteers (`--scale`); organisations and roles grow with it.
    pub volunteers: u32,
    /// Seed of the one random generator everything is drawn from.
    pub seed: u64,
    /// Show a progress bar per phase on the terminal.
    pub progress: bool,
    /// The "today" every generated date is relative to. Same seed and same
    /// `today` give the same rows.
    pub today: Date,
}

impl DemoOptions {
    /// The defaults (2,000 volunteers, seed 42, no progress bars) for a given day.
    pub fn new(today: Date) -> Self {
        DemoOptions {
            volunteers: 2000,
            seed: 42,
            progress: false,
            today,
        }
    }

    /// Organisations: 40, or one per 250 volunteers beyond 10,000.
    pub fn organisations(&self) -> u32 {
        (self.volunteers / 250).max(40)
    }

    /// Roles: 300, or one per 10 volunteers beyond 3,000.
    pub fn roles(&self) -> u32 {
        (self.volunteers / 10).max(300)
    }
}

/// What `seed_demo` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    /// Rows inserted per table.
    pub rows: BTreeMap<&'static str, u64>,
    pub elapsed: Duration,
}

impl DemoReport {
    /// Rows inserted into `table` (0 if none).
    pub fn rows_in(&self, table: &str) -> u64 {
        self.rows.get(table).copied().unwrap_or(0)
    }

    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, n) in &self.rows {
            writeln!(f, "{table:>22} {n:>10}")?;
        }
        write!(
            f,
            "{:>22} {:>10} rows in {:.1?}",
            "total",
            self.total_rows(),
            self.elapsed
        )
    }
}

/// The password of every named demo account (never of generated volunteers).
pub const DEMO_PASSWORD: &str = "hubmatch-demo";

/// The named demo accounts, who sign in with [`DEMO_PASSWORD`].
pub const ALLIANCE_ADMIN_EMAIL: &str = "alliance.admin@example.org";
/// An adult volunteer.
pub const DEMO_VOLUNTEER_EMAIL: &str = "volunteer@example.org";
/// A 16-year-old volunteer, for the young people's pathway features.
pub const YOUNG_VOLUNTEER_EMAIL: &str = "young.volunteer@example.org";
/// Admin and staff member of the first, second and third organisations (by id).
pub const DEMO_ORG_ACCOUNTS: &[(&str, &str)] = &[
    ("org.admin@example.org", "org.staff@example.org"),
    ("org2.admin@example.org", "org2.staff@example.org"),
    ("org3.admin@example.org", "org3.staff@example.org"),
];

/// One of the six demo hubs, with its coordinator's sign-in email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoHub {
    pub slug: &'static str,
    pub name: &'static str,
    pub ward_code: &'static str,
    pub address: &'static str,
    pub coordinator_email: &'static str,
    pub coordinator_name: &'static str,
}

pub const DEMO_HUBS: &[DemoHub] = &[
    DemoHub {
        slug: "peckham-community-hub",
        name: "Peckham Community Hub",
        ward_code: "E05011110",
        address: "Peckham Square, Peckham High Street, London SE15",
        coordinator_email: "coordinator.peckham@example.org",
        coordinator_name: "Marcia Campbell",
    },
    DemoHub {
        slug: "walworth-hub",
        name: "Walworth Hub",
        ward_code: "E05011107",
        address: "East Street, Walworth, London SE17",
        coordinator_email: "coordinator.walworth@example.org",
        coordinator_name: "Tom Fletcher",
    },
    DemoHub {
        slug: "bermondsey-rotherhithe-hub",
        name: "Bermondsey & Rotherhithe Hub",
        ward_code: "E05011112",
        address: "Albion Street, Rotherhithe, London SE16",
        coordinator_email: "coordinator.bermondsey@example.org",
        coordinator_name: "Agnieszka Nowak",
    },
    DemoHub {
        slug: "camberwell-hub",
        name: "Camberwell Hub",
        ward_code: "E05011096",
        address: "Camberwell Road, Camberwell, London SE5",
        coordinator_email: "coordinator.camberwell@example.org",
        coordinator_name: "Kwame Mensah",
    },
    DemoHub {
        slug: "dulwich-hub",
        name: "Dulwich Hub",
        ward_code: "E05011103",
        address: "Lordship Lane, East Dulwich, London SE22",
        coordinator_email: "coordinator.dulwich@example.org",
        coordinator_name: "Priya Shah",
    },
    DemoHub {
        slug: "north-southwark-hub",
        name: "North Southwark Hub",
        ward_code: "E05011095",
        address: "Southwark Bridge Road, Borough, London SE1",
        coordinator_email: "coordinator.north-southwark@example.org",
        coordinator_name: "Siobhán Kelly",
    },
];

// Tables in dependency order (parents first); the constants index `TABLES`.
pub(crate) const HUB: usize = 0;
pub(crate) const ORGANISATION: usize = 1;
pub(crate) const HUB_MEMBERSHIP: usize = 2;
pub(crate) const USERS: usize = 3;
pub(crate) const MEMBERSHIP: usize = 4;
pub(crate) const HUB_COORDINATOR: usize = 5;
pub(crate) const ROLE: usize = 6;
pub(crate) const ROLE_CAUSE: usize = 7;
pub(crate) const ROLE_SKILL: usize = 8;
pub(crate) const ROLE_SESSION: usize = 9;
pub(crate) const VOLUNTEER_PROFILE: usize = 10;
pub(crate) const VOLUNTEER_SKILL: usize = 11;
pub(crate) const VOLUNTEER_CAUSE: usize = 12;
pub(crate) const AVAILABILITY: usize = 13;
pub(crate) const EQUALITY_MONITORING: usize = 14;
pub(crate) const APPLICATION: usize = 15;
pub(crate) const APPLICATION_SESSION: usize = 16;
pub(crate) const APPLICATION_EVENT: usize = 17;
pub(crate) const HOURS_LOG: usize = 18;

pub(crate) const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "hub",
        columns: &[
            "id",
            "slug",
            "name",
            "description",
            "ward_id",
            "address",
            "email",
            "phone",
            "created_at",
        ],
    },
    TableSpec {
        name: "organisation",
        columns: &[
            "id",
            "slug",
            "name",
            "description",
            "website",
            "email",
            "phone",
            "ward_id",
            "charity_number",
            "safeguarding_lead",
            "status",
            "created_at",
            "updated_at",
        ],
    },
    TableSpec {
        name: "hub_membership",
        columns: &["hub_id", "organisation_id", "created_at"],
    },
    TableSpec {
        name: "users",
        columns: &[
            "id",
            "email",
            "password_hash",
            "display_name",
            "phone",
            "verified_at",
            "is_alliance_admin",
            "status",
            "created_at",
            "updated_at",
            "last_login_at",
        ],
    },
    TableSpec {
        name: "membership",
        columns: &["id", "user_id", "organisation_id", "role", "created_at"],
    },
    TableSpec {
        name: "hub_coordinator",
        columns: &["id", "user_id", "hub_id", "created_at"],
    },
    TableSpec {
        name: "role",
        columns: &[
            "id",
            "organisation_id",
            "hub_id",
            "title",
            "summary",
            "description",
            "ward_id",
            "postcode_district",
            "location_type",
            "min_age",
            "youth_friendly",
            "dbs_required",
            "places",
            "commitment",
            "hours_per_week",
            "access_provisions",
            "languages",
            "contact_name",
            "contact_email",
            "status",
            "closes_at",
            "published_at",
            "created_at",
            "updated_at",
        ],
    },
    TableSpec {
        name: "role_cause",
        columns: &["role_id", "cause_id"],
    },
    TableSpec {
        name: "role_skill",
        columns: &["role_id", "skill_id", "min_level"],
    },
    TableSpec {
        name: "role_session",
        columns: &[
            "id",
            "role_id",
            "starts_at",
            "ends_at",
            "places",
            "created_at",
        ],
    },
    TableSpec {
        name: "volunteer_profile",
        columns: &[
            "id",
            "user_id",
            "date_of_birth",
            "ward_id",
            "postcode_district",
            "travel_km",
            "remote_ok",
            "languages",
            "access_needs",
            "bio",
            "open_to_suggestions",
            "dbs_checked_on",
            "guardian_email",
            "guardian_consent_at",
            "created_at",
            "updated_at",
        ],
    },
    TableSpec {
        name: "volunteer_skill",
        columns: &[
            "volunteer_id",
            "skill_id",
            "level",
            "verified_by",
            "verified_at",
        ],
    },
    TableSpec {
        name: "volunteer_cause",
        columns: &["volunteer_id", "cause_id"],
    },
    TableSpec {
        name: "availability",
        columns: &["volunteer_id", "slot"],
    },
    TableSpec {
        name: "equality_monitoring",
        columns: &[
            "id",
            "user_id",
            "consented_at",
            "age_band_override",
            "sex",
            "ethnic_group",
            "ethnicity",
            "disability",
            "religion",
            "sexual_orientation",
            "updated_at",
        ],
    },
    TableSpec {
        name: "application",
        columns: &[
            "id",
            "role_id",
            "volunteer_id",
            "status",
            "message",
            "created_at",
            "updated_at",
            "decided_at",
        ],
    },
    TableSpec {
        name: "application_session",
        columns: &["application_id", "session_id"],
    },
    TableSpec {
        name: "application_event",
        columns: &[
            "id",
            "application_id",
            "from_status",
            "to_status",
            "actor_user_id",
            "note",
            "created_at",
        ],
    },
    TableSpec {
        name: "hours_log",
        columns: &[
            "id",
            "volunteer_id",
            "role_id",
            "session_id",
            "worked_on",
            "minutes",
            "status",
            "note",
            "reviewed_by",
            "reviewed_at",
            "created_at",
        ],
    },
];

/// Tables whose ids the generator assigns; PostgreSQL's sequences are moved past them afterwards.
const TABLES_WITH_IDS: &[&str] = &[
    "hub",
    "organisation",
    "users",
    "membership",
    "hub_coordinator",
    "role",
    "role_session",
    "volunteer_profile",
    "equality_monitoring",
    "application",
    "application_event",
    "hours_log",
];

/// Fills the database with a realistic, deterministic demo data set. Refuses
/// (`AlreadySeeded`) if any organisation exists. Reference data is ensured first.
pub async fn seed_demo(
    db: &DatabaseConnection,
    opts: &DemoOptions,
) -> Result<DemoReport, SeedError> {
    let started = Instant::now();
    let backend = db.get_database_backend();
    let existing = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT 1 FROM organisation LIMIT 1",
        ))
        .await?;
    if existing.is_some() {
        return Err(SeedError::AlreadySeeded);
    }
    ensure_reference_data(db).await?;
    let refs = Refs::load(db).await?;
    let ids = NextIds::load(db).await?;

    let pragmas = LoadPragmas::apply(db).await?;
    let written = generate_and_write(db, backend, refs, ids, opts.clone()).await;
    pragmas.restore(db).await?;
    let rows = written?;
    set_demo_passwords(db).await?;

    if backend == DbBackend::Postgres {
        for table in TABLES_WITH_IDS {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
            );
            db.query_one_raw(Statement::from_string(backend, sql))
                .await?;
        }
    }
    // The front desk's rows go in through the ORM, once the sequences are past the bulk load.
    let hash = tokio::task::spawn_blocking(|| crate::auth::password::hash(DEMO_PASSWORD))
        .await
        .map_err(|e| SeedError::Generator(e.to_string()))?
        .map_err(|e| SeedError::Generator(e.to_string()))?;
    let mut rows = rows;
    for (table, n) in front_desk::seed(db, hash).await? {
        *rows.entry(table).or_insert(0) += n;
    }
    // Skills pathways (issue 10): four pathways, tagged roles, the young volunteer's start.
    let mut rows = rows;
    let clock = OffsetDateTime::new_utc(
        opts.today,
        Time::from_hms(12, 0, 0).unwrap_or(Time::MIDNIGHT),
    );
    for (table, n) in pathways::seed(db, clock).await? {
        *rows.entry(table).or_insert(0) += n;
    }
    Ok(DemoReport {
        rows,
        elapsed: started.elapsed(),
    })
}

/// Every named demo account can sign in with [`DEMO_PASSWORD`] (one hash for all:
/// this is demo data, and hashing once keeps seeding fast).
async fn set_demo_passwords(db: &DatabaseConnection) -> Result<(), SeedError> {
    let hash = tokio::task::spawn_blocking(|| crate::auth::password::hash(DEMO_PASSWORD))
        .await
        .map_err(|e| SeedError::Generator(e.to_string()))?
        .map_err(|e| SeedError::Generator(e.to_string()))?;
    let mut emails = vec![
        ALLIANCE_ADMIN_EMAIL,
        DEMO_VOLUNTEER_EMAIL,
        YOUNG_VOLUNTEER_EMAIL,
    ];
    emails.extend(DEMO_HUBS.iter().map(|h| h.coordinator_email));
    emails.extend(DEMO_ORG_ACCOUNTS.iter().flat_map(|(a, s)| [*a, *s]));
    crate::entities::user::Entity::update_many()
        .col_expr(
            crate::entities::user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .filter(crate::entities::user::Column::Email.is_in(emails))
        .exec(db)
        .await?;
    Ok(())
}

async fn generate_and_write(
    db: &DatabaseConnection,
    backend: DbBackend,
    refs: Refs,
    ids: NextIds,
    opts: DemoOptions,
) -> Result<BTreeMap<&'static str, u64>, SeedError> {
    let (tx, rx) = batch::channel();
    let progress = opts.progress;
    let generator = tokio::task::spawn_blocking(move || {
        let sink = Sink::new(tx, backend, TABLES);
        Gen::new(sink, refs, ids, &opts).generate()
    });
    let written = batch::run_writer(db, rx, progress).await;
    let generated = generator.await;
    match (written, generated) {
        (Ok(rows), Ok(Ok(()))) => Ok(rows),
        (Err(WriterError::GeneratorStopped), Err(join)) => {
            Err(SeedError::Generator(join.to_string()))
        }
        (Err(e), _) => Err(e.into()),
        (Ok(_), Ok(Err(WriterGone))) => Err(SeedError::Generator("writer stopped early".into())),
        (Ok(_), Err(join)) => Err(SeedError::Generator(join.to_string())),
    }
}

/// On SQLite: no fsync and a bigger page cache while loading; put back afterwards.
struct LoadPragmas {
    saved: Vec<(&'static str, i64)>,
}

impl LoadPragmas {
    async fn apply(db: &DatabaseConnection) -> Result<Self, SeedError> {
        let mut saved = Vec::new();
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(LoadPragmas { saved });
        }
        for (pragma, load_value) in [("synchronous", "OFF"), ("cache_size", "-262144")] {
            let row = db
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    format!("PRAGMA {pragma}"),
                ))
                .await?;
            if let Some(row) = row {
                saved.push((pragma, row.try_get_by_index::<i64>(0)?));
            }
            db.execute_unprepared(&format!("PRAGMA {pragma} = {load_value}"))
                .await?;
        }
        Ok(LoadPragmas { saved })
    }

    async fn restore(self, db: &DatabaseConnection) -> Result<(), SeedError> {
        for (pragma, value) in self.saved {
            db.execute_unprepared(&format!("PRAGMA {pragma} = {value}"))
                .await?;
        }
        Ok(())
    }
}

/// Database ids of the reference rows, aligned with `southwark_wards()`, `SKILLS` and `CAUSES`.
pub(crate) struct Refs {
    ward_ids: Vec<i32>,
    skill_ids: Vec<i32>,
    cause_ids: Vec<i32>,
}

impl Refs {
    async fn load(db: &DatabaseConnection) -> Result<Self, SeedError> {
        let ward_ids =
            ids_by_key(db, "ward", "code", southwark_wards().iter().map(|w| w.code)).await?;
        let skill_ids = ids_by_key(db, "skill", "slug", SKILLS.iter().map(|s| s.slug)).await?;
        let cause_ids = ids_by_key(db, "cause", "slug", CAUSES.iter().map(|c| c.slug)).await?;
        Ok(Refs {
            ward_ids,
            skill_ids,
            cause_ids,
        })
    }
}

async fn ids_by_key(
    db: &DatabaseConnection,
    table: &str,
    key: &str,
    wanted: impl Iterator<Item = &'static str>,
) -> Result<Vec<i32>, SeedError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT id, {key} FROM \"{table}\""),
        ))
        .await?;
    let mut found = BTreeMap::new();
    for row in rows {
        let id: i32 = row.try_get_by_index(0)?;
        let k: String = row.try_get_by_index(1)?;
        found.insert(k, id);
    }
    wanted
        .map(|k| {
            found
                .get(k)
                .copied()
                .ok_or_else(|| SeedError::Data(format!("{table} {k} is missing")))
        })
        .collect()
}

/// The next free id of every table the generator writes ids for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextIds {
    hub: i32,
    organisation: i32,
    user: i32,
    membership: i32,
    hub_coordinator: i32,
    role: i32,
    session: i32,
    volunteer: i32,
    equality: i32,
    application: i32,
    event: i32,
    hours: i32,
}

impl NextIds {
    async fn load(db: &DatabaseConnection) -> Result<Self, SeedError> {
        let backend = db.get_database_backend();
        let mut next = Vec::with_capacity(TABLES_WITH_IDS.len());
        for table in TABLES_WITH_IDS {
            let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM \"{table}\"");
            let row = db
                .query_one_raw(Statement::from_string(backend, sql))
                .await?;
            let max = match row {
                Some(r) => r.try_get_by_index::<i64>(0)?,
                None => 0,
            };
            next.push(
                i32::try_from(max + 1)
                    .map_err(|_| SeedError::Data(format!("{table} ids exhausted")))?,
            );
        }
        Ok(NextIds {
            hub: next[0],
            organisation: next[1],
            user: next[2],
            membership: next[3],
            hub_coordinator: next[4],
            role: next[5],
            session: next[6],
            volunteer: next[7],
            equality: next[8],
            application: next[9],
            event: next[10],
            hours: next[11],
        })
    }
}

/// Takes the next id of a counter.
pub(crate) fn take(counter: &mut i32) -> i32 {
    let id = *counter;
    *counter += 1;
    id
}

/// The generator: one random stream, everything it has made so far that later rows refer to,
/// and the sink rows go to.
pub(crate) struct Gen {
    rng: DemoRng,
    sink: Sink,
    refs: Refs,
    ids: NextIds,
    opts: DemoOptions,
    today: Date,
    now: OffsetDateTime,
    /// Straight-line km between ward centroids, `ward_km[a * n + b]`.
    ward_km: Vec<f64>,
    hubs: Vec<orgs::HubInfo>,
    orgs: Vec<orgs::OrgInfo>,
    roles: Vec<roles::RoleInfo>,
    /// Open or closed roles (the ones people have applied to) per cause index.
    roles_by_cause: Vec<Vec<u32>>,
    appliable_roles: Vec<u32>,
    /// Organisations weighted by how many roles they post (built when roles start).
    org_pick: Option<pick::Cumulative>,
    census: equality::Census,
    /// Wards weighted by population, for where volunteers live.
    ward_pick: pick::Cumulative,
    /// Skills that roles for each cause ask for: volunteers interested in a cause lean toward them.
    skills_by_cause: Vec<Vec<usize>>,
}

/// Volunteers generated and written together (the generator runs at most a chunk ahead).
const VOLUNTEER_CHUNK: usize = 5_000;
/// Roles generated and written together.
const ROLE_CHUNK: usize = 5_000;

impl Gen {
    fn new(sink: Sink, refs: Refs, ids: NextIds, opts: &DemoOptions) -> Self {
        let wards = southwark_wards();
        let n = wards.len();
        let mut ward_km = vec![0.0; n * n];
        for (a, wa) in wards.iter().enumerate() {
            for (b, wb) in wards.iter().enumerate() {
                ward_km[a * n + b] = km_between(
                    wa.centroid_lat,
                    wa.centroid_lon,
                    wb.centroid_lat,
                    wb.centroid_lon,
                );
            }
        }
        let today = opts.today;
        Gen {
            rng: DemoRng::seed_from_u64(opts.seed),
            sink,
            refs,
            ids,
            opts: opts.clone(),
            today,
            now: OffsetDateTime::new_utc(today, Time::from_hms(12, 0, 0).unwrap_or(Time::MIDNIGHT)),
            ward_km,
            hubs: Vec::new(),
            orgs: Vec::new(),
            roles: Vec::new(),
            roles_by_cause: vec![Vec::new(); CAUSES.len()],
            appliable_roles: Vec::new(),
            org_pick: None,
            census: equality::Census::new(),
            ward_pick: pick::Cumulative::new(wards.iter().map(|w| w.population_approx as f64)),
            skills_by_cause: volunteers::skills_by_cause(),
        }
    }

    fn generate(mut self) -> Result<(), WriterGone> {
        let n_orgs = self.opts.organisations() as usize;
        self.sink.phase("organisations", n_orgs as u64)?;
        self.hubs()?;
        self.organisations(n_orgs)?;
        self.staff_accounts()?;
        self.sink.flush_all()?;

        let n_roles = self.opts.roles() as usize;
        self.sink.phase("roles", n_roles as u64)?;
        let mut done = 0;
        while done < n_roles {
            let chunk = ROLE_CHUNK.min(n_roles - done);
            for _ in 0..chunk {
                self.role();
            }
            self.sink.flush_all()?;
            self.sink.progress(chunk as u64)?;
            done += chunk;
        }

        let n_volunteers = self.opts.volunteers as usize;
        self.sink.phase("volunteers", n_volunteers as u64)?;
        let mut done = 0;
        while done < n_volunteers {
            let chunk = VOLUNTEER_CHUNK.min(n_volunteers - done);
            for i in done..done + chunk {
                let person = self.volunteer(i);
                if chance(&mut self.rng, 0.7) {
                    self.equality_answers(&person);
                }
                self.applications(&person);
            }
            self.sink.flush_all()?;
            self.sink.progress(chunk as u64)?;
            done += chunk;
        }
        self.sink.done()
    }

    fn ward_id(&self, ward: usize) -> i32 {
        self.refs.ward_ids[ward]
    }

    fn km(&self, a: usize, b: usize) -> f64 {
        self.ward_km[a * southwark_wards().len() + b]
    }

    /// A moment between `days_back` days ago and now, in waking hours.
    fn moment_within_days(&mut self, days_back: i64) -> OffsetDateTime {
        let d = between(&mut self.rng, 0, days_back.max(0));
        let date = self.days_before_today(d);
        let (h, m) = (
            between(&mut self.rng, 8, 21) as u8,
            between(&mut self.rng, 0, 59) as u8,
        );
        let t = date_at(date, h, m);
        t.min(self.now)
    }

    /// A moment on `day` in waking hours, never after now.
    fn moment_on(&mut self, day: Date) -> OffsetDateTime {
        let (h, m) = (
            between(&mut self.rng, 8, 21) as u8,
            between(&mut self.rng, 0, 59) as u8,
        );
        date_at(day, h, m).min(self.now)
    }

    fn days_before_today(&self, days: i64) -> Date {
        self.today - time::Duration::days(days)
    }
}

use pick::{between, chance};

/// A time on `date` (UTC) at `hour:minute`.
pub(crate) fn date_at(date: Date, hour: u8, minute: u8) -> OffsetDateTime {
    OffsetDateTime::new_utc(
        date,
        Time::from_hms(hour.min(23), minute.min(59), 0).unwrap_or(Time::MIDNIGHT),
    )
}

/// Haversine distance in km.
fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

/// Lower-case kebab slug of a name ("St George's Café" -> "st-georges-cafe").
pub(crate) fn slugify(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '&' || c == '/' || c == '–')
        .map(super::names::email_part)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

// Typed values: NULLs carry their column type so PostgreSQL accepts them.
pub(crate) fn text(s: impl Into<String>) -> Value {
    Value::String(Some(s.into()))
}
pub(crate) fn opt_text(s: Option<String>) -> Value {
    Value::String(s)
}
pub(crate) fn int(n: i32) -> Value {
    Value::Int(Some(n))
}
pub(crate) fn opt_int(n: Option<i32>) -> Value {
    Value::Int(n)
}
pub(crate) fn flag(b: bool) -> Value {
    Value::Bool(Some(b))
}
pub(crate) fn ts(t: OffsetDateTime) -> Value {
    Value::TimeDateTimeWithTimeZone(Some(t))
}
pub(crate) fn opt_ts(t: Option<OffsetDateTime>) -> Value {
    Value::TimeDateTimeWithTimeZone(t)
}
pub(crate) fn date(d: Date) -> Value {
    Value::TimeDate(Some(d))
}
pub(crate) fn opt_date(d: Option<Date>) -> Value {
    Value::TimeDate(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_kebab() {
        assert_eq!(
            slugify("St George's Church Community Project"),
            "st-georges-church-community-project"
        );
        assert_eq!(
            slugify("Elephant & Castle Food Hub"),
            "elephant-castle-food-hub"
        );
        assert_eq!(
            slugify("Baptist Church Community Café"),
            "baptist-church-community-cafe"
        );
    }

    #[test]
    fn every_template_an_organisation_posts_exists() {
        for kind in content::ORG_KINDS {
            for (key, _) in kind.roles {
                assert!(
                    content::ROLE_TEMPLATES.iter().any(|t| t.key == *key),
                    "{} posts {key}",
                    kind.key
                );
            }
        }
        for t in content::ROLE_TEMPLATES {
            for c in t.causes {
                assert!(
                    crate::seed::vocab::cause_by_slug(c).is_some(),
                    "{}: cause {c}",
                    t.key
                );
            }
            for (s, level) in t.skills {
                let skill = crate::seed::vocab::skill_by_slug(s);
                assert!(skill.is_some(), "{}: skill {s}", t.key);
                assert!((0..=15).contains(level));
            }
            assert!(t.places.0 >= 1 && t.places.0 <= t.places.1);
            assert!(
                !t.variants.is_empty()
                    && !t.min_age.is_empty()
                    && !t.days.is_empty()
                    && !t.times.is_empty()
            );
        }
    }

    #[test]
    fn places_estates_and_parks_are_in_known_wards() {
        let known = |code: &str| southwark_wards().iter().any(|w| w.code == code);
        for (name, code) in content::PLACES
            .iter()
            .chain(content::ESTATES)
            .chain(content::PARKS)
        {
            assert!(known(code), "{name}: {code}");
        }
        for hub in DEMO_HUBS {
            assert!(known(hub.ward_code), "{}", hub.name);
        }
    }

    #[test]
    fn scale_gives_the_documented_organisation_and_role_counts() {
        let mut o = DemoOptions::new(time::macros::date!(2026 - 01 - 15));
        assert_eq!((o.organisations(), o.roles()), (40, 300));
        o.volunteers = 500_000;
        assert_eq!((o.organisations(), o.roles()), (2000, 50_000));
    }
}
