//! A role is never over-filled: 100 accepts at once on a role with 5 places give exactly
//! 5 acceptances and 95 clear refusals (no server errors), through the model and
//! through the pages, on SQLite and PostgreSQL.
use std::sync::Arc;

use hubmatch::domain::applications::Move;
use hubmatch::entities::{application, user, volunteer_profile};
use hubmatch::models::applications::{self, Error, RefusalKind};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::applications::{signed_in, world};
use crate::helpers::TestApp;
use crate::on_both_databases;

const PLACES: i32 = 5;
const APPLICANTS: usize = 100;

/// A role with 5 places and 100 applications waiting, written straight to the database
/// (volunteers without passwords: hashing 100 would only slow the test).
async fn crowded_role(app: &TestApp) -> (i32, Vec<i32>, crate::applications::World) {
    let w = world(app).await;
    let role = &w.borough.befriending;
    crate::applications::set_places(&app.db, role, PLACES).await;
    let now = hubmatch::db::now();
    let mut ids = Vec::with_capacity(APPLICANTS);
    for n in 0..APPLICANTS {
        let person = user::ActiveModel {
            email: Set(format!("crowd{n}@example.org")),
            display_name: Set(format!("Crowd Volunteer {n}")),
            verified_at: Set(Some(now)),
            is_alliance_admin: Set(false),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let profile = volunteer_profile::ActiveModel {
            user_id: Set(person.id),
            date_of_birth: Set(crate::people::adult_birthday()),
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
        .insert(&app.db)
        .await
        .unwrap();
        let a = application::ActiveModel {
            role_id: Set(role.id),
            volunteer_id: Set(profile.id),
            status: Set("applied".into()),
            message: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        ids.push(a.id);
    }
    (role.id, ids, w)
}

async fn accepted_on(app: &TestApp, role_id: i32) -> u64 {
    application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::Status.eq("accepted"))
        .count(&app.db)
        .await
        .unwrap()
}

async fn a_hundred_concurrent_accepts_through_the_model_fill_exactly_the_places(app: TestApp) {
    let (role_id, ids, w) = crowded_role(&app).await;
    let staff_id = w.other_staff.id;
    let base: Arc<str> = app.base.clone().into();
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let db = app.db.clone();
            let base = base.clone();
            tokio::spawn(async move {
                applications::decide(&db, &base, id, Move::Accept, staff_id, "", None).await
            })
        })
        .collect();
    let (mut accepted, mut full, mut other) = (0, 0, Vec::new());
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(Error::Refused(r)) if r.kind == RefusalKind::Full => full += 1,
            Err(e) => other.push(e.to_string()),
        }
    }
    assert!(other.is_empty(), "on {}: {other:?}", app.backend);
    assert_eq!(
        (accepted, full),
        (PLACES as usize, APPLICANTS - PLACES as usize)
    );
    assert_eq!(
        accepted_on(&app, role_id).await,
        PLACES as u64,
        "on {}",
        app.backend
    );
}

async fn a_hundred_concurrent_accept_posts_fill_exactly_the_places(app: TestApp) {
    let (role_id, ids, _w) = crowded_role(&app).await;
    let olu = Arc::new(signed_in(&app, "olu@befrienders.example.org").await);
    olu.csrf().await;
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let olu = olu.clone();
            tokio::spawn(async move {
                let res = olu.post(&format!("/applications/{id}/accept"), &[]).await;
                res.status().as_u16()
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for t in tasks {
        *statuses.entry(t.await.unwrap()).or_default() += 1;
    }
    assert_eq!(
        statuses,
        [(303, PLACES as usize), (409, APPLICANTS - PLACES as usize)].into(),
        "on {}",
        app.backend
    );
    assert_eq!(
        accepted_on(&app, role_id).await,
        PLACES as u64,
        "on {}",
        app.backend
    );
}

on_both_databases!(
    a_hundred_concurrent_accepts_through_the_model_fill_exactly_the_places,
    a_hundred_concurrent_accept_posts_fill_exactly_the_places,
);
