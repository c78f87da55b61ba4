//! People for account and permission tests, written straight to the database, and a
//! `Browser` that signs in through the real forms and sends their security token.
use std::sync::Arc;

use hubmatch::auth::{password, totp};
use hubmatch::entities::{hub_coordinator, membership, session, user, volunteer_profile};
use reqwest::cookie::{CookieStore, Jar};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use time::{Date, Month};

use crate::helpers::TestApp;

/// The password every test person has.
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Clone, Debug, Default)]
pub struct PersonSpec<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub alliance_admin: bool,
    /// `(organisation id, "admin" | "staff")`.
    pub organisation: Option<(i32, &'a str)>,
    pub coordinates_hub: Option<i32>,
    /// A volunteer profile with this date of birth.
    pub born: Option<Date>,
    /// Two-factor set up (admins and coordinators need it to get anywhere).
    pub two_factor: bool,
}

pub fn adult_birthday() -> Date {
    Date::from_calendar_date(1990, Month::May, 17).unwrap()
}

/// An active, verified account with [`PASSWORD`], and what the spec asks for.
pub async fn add_person(db: &DatabaseConnection, spec: PersonSpec<'_>) -> user::Model {
    let now = hubmatch::db::now();
    let hash = tokio::task::spawn_blocking(|| password::hash(PASSWORD).unwrap())
        .await
        .unwrap();
    let person = user::ActiveModel {
        email: Set(spec.email.to_lowercase()),
        password_hash: Set(Some(hash)),
        display_name: Set(if spec.name.is_empty() {
            spec.email.split('@').next().unwrap().to_owned()
        } else {
            spec.name.to_owned()
        }),
        verified_at: Set(Some(now)),
        is_alliance_admin: Set(spec.alliance_admin),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        terms_accepted_at: Set(Some(now)),
        totp_secret: Set(spec.two_factor.then(totp::generate_secret)),
        totp_enabled_at: Set(spec.two_factor.then_some(now)),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert user");
    if let Some((org, role)) = spec.organisation {
        membership::ActiveModel {
            user_id: Set(person.id),
            organisation_id: Set(org),
            role: Set(role.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert membership");
    }
    if let Some(hub) = spec.coordinates_hub {
        hub_coordinator::ActiveModel {
            user_id: Set(person.id),
            hub_id: Set(hub),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert coordinator");
    }
    if let Some(born) = spec.born {
        volunteer_profile::ActiveModel {
            user_id: Set(person.id),
            date_of_birth: Set(born),
            travel_km: Set(5),
            remote_ok: Set(false),
            languages: Set("en".into()),
            access_needs: Set(String::new()),
            bio: Set(String::new()),
            open_to_suggestions: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert profile");
    }
    person
}

/// An adult volunteer called Ada, with a profile.
pub async fn volunteer(app: &TestApp, email: &'static str) -> user::Model {
    add_person(
        &app.db,
        PersonSpec {
            email,
            name: "Ada Volunteer",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await
}

/// How many live sessions a person has.
pub async fn sessions_of(app: &TestApp, user_id: i32) -> u64 {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .count(&app.db)
        .await
        .unwrap()
}

/// A browser: keeps cookies, does not follow redirects, puts the form token in posts.
pub struct Browser {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .expect("client");
        Self {
            client,
            jar,
            base: app.base.clone(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .unwrap()
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// The form token, fetching a page first if this browser has none yet.
    pub async fn csrf(&self) -> String {
        if self.cookie("hm_csrf").is_none() {
            self.get("/sign-in").await;
        }
        self.cookie("hm_csrf").expect("the site sets hm_csrf")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET, expecting `status`, returning the body.
    pub async fn get_text(&self, path: &str, status: u16) -> String {
        let res = self.get(path).await;
        let got = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_eq!(got, status, "GET {path}: {body}");
        body
    }

    /// POSTs a form as a browser on this site would: same-origin, with the token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// Signs in through the form (and the second step, using the stored secret, when
    /// the account has two-factor sign-in). Panics unless it ends signed in.
    pub async fn sign_in(&self, db: &DatabaseConnection, email: &str) {
        let res = self
            .post("/sign-in", &[("email", email), ("password", PASSWORD)])
            .await;
        let status = res.status().as_u16();
        let location = location(&res);
        assert_eq!(
            status,
            303,
            "sign in as {email}: {}",
            res.text().await.unwrap()
        );
        if location.starts_with("/sign-in/two-factor") {
            let person = hubmatch::models::accounts::find_by_email(db, email)
                .await
                .unwrap()
                .unwrap();
            let code = current_code(&person);
            let res = self.post("/sign-in/two-factor", &[("code", &code)]).await;
            assert_eq!(
                res.status().as_u16(),
                303,
                "second factor for {email}: {}",
                res.text().await.unwrap()
            );
        }
    }
}

/// The code an authenticator app would show now for this person.
pub fn current_code(person: &user::Model) -> String {
    let secret = person.totp_secret.as_deref().expect("two-factor secret");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    totp::code_at(secret, totp::step_at(now)).unwrap()
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub async fn reload(db: &DatabaseConnection, person: &user::Model) -> user::Model {
    user::Entity::find_by_id(person.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}
