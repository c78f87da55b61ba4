//! Small, hand-made boroughs whose right answers are known, for filter tests.
use hubmatch::entities::{
    cause, hub, hub_membership, organisation, role, role_cause, role_session, ward,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::{Duration, OffsetDateTime};

pub const PECKHAM: &str = "E05011110";
pub const RYE_LANE: &str = "E05011113";

pub struct Borough {
    pub peckham_hub: hub::Model,
    pub walworth_hub: hub::Model,
    pub food_hub: organisation::Model,
    pub befrienders: organisation::Model,
    pub pending_org: organisation::Model,
    /// Open, food poverty, Peckham, posted at the Peckham hub, one session.
    pub food_packing: role::Model,
    /// Open, food poverty + older people, Rye Lane, remote-capable, youth-friendly.
    pub meal_delivery: role::Model,
    /// Open, older people, Peckham, no hub named (belongs to Walworth via its organisation).
    pub befriending: role::Model,
    /// Draft: never public.
    pub draft: role::Model,
    /// Closed by status.
    pub closed: role::Model,
    /// Open by status but its closing date has passed.
    pub expired: role::Model,
}

pub async fn ward_id(db: &DatabaseConnection, code: &str) -> i32 {
    ward::Entity::find()
        .filter(ward::Column::Code.eq(code))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("reference ward {code}"))
        .id
}

pub async fn cause_id(db: &DatabaseConnection, slug: &str) -> i32 {
    cause::Entity::find()
        .filter(cause::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("reference cause {slug}"))
        .id
}

async fn add_hub(db: &DatabaseConnection, slug: &str, name: &str, ward: i32) -> hub::Model {
    hub::ActiveModel {
        slug: Set(slug.into()),
        name: Set(name.into()),
        description: Set(format!("{name} is a community hub.")),
        ward_id: Set(Some(ward)),
        address: Set(Some("1 High Street, London".into())),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

async fn add_org(
    db: &DatabaseConnection,
    slug: &str,
    name: &str,
    status: &str,
    hubs: &[i32],
) -> organisation::Model {
    let now = OffsetDateTime::now_utc();
    let org = organisation::ActiveModel {
        slug: Set(slug.into()),
        name: Set(name.into()),
        description: Set(format!("{name} helps people in Southwark.")),
        status: Set(status.into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for &hub_id in hubs {
        hub_membership::ActiveModel {
            hub_id: Set(hub_id),
            organisation_id: Set(org.id),
            created_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
    }
    org
}

pub struct RoleSpec<'a> {
    pub title: &'a str,
    pub organisation: i32,
    pub hub: Option<i32>,
    pub ward: Option<i32>,
    pub causes: Vec<i32>,
    pub status: &'a str,
    pub location_type: &'a str,
    pub youth_friendly: bool,
    pub closes_in_days: Option<i64>,
}

pub async fn add_role(db: &DatabaseConnection, spec: RoleSpec<'_>) -> role::Model {
    let now = OffsetDateTime::now_utc();
    let r = role::ActiveModel {
        organisation_id: Set(spec.organisation),
        hub_id: Set(spec.hub),
        title: Set(spec.title.into()),
        summary: Set(format!("Help with {}", spec.title.to_lowercase())),
        description: Set(format!(
            "## What you'll do\n\n{} with a friendly team.",
            spec.title
        )),
        ward_id: Set(spec.ward),
        postcode_district: Set(Some("SE15".into())),
        location_type: Set(spec.location_type.into()),
        min_age: Set(if spec.youth_friendly { 14 } else { 18 }),
        youth_friendly: Set(spec.youth_friendly),
        dbs_required: Set(false),
        places: Set(4),
        commitment: Set("regular".into()),
        hours_per_week: Set(Some(3)),
        access_provisions: Set("step_free".into()),
        languages: Set("en".into()),
        contact_name: Set(Some("Ama Mensah".into())),
        contact_email: Set(Some("volunteering@example.org".into())),
        status: Set(spec.status.into()),
        closes_at: Set(spec.closes_in_days.map(|d| now + Duration::days(d))),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for &c in &spec.causes {
        role_cause::ActiveModel {
            role_id: Set(r.id),
            cause_id: Set(c),
        }
        .insert(db)
        .await
        .unwrap();
    }
    r
}

pub async fn borough(db: &DatabaseConnection) -> Borough {
    let (peckham, rye_lane) = (ward_id(db, PECKHAM).await, ward_id(db, RYE_LANE).await);
    let food = cause_id(db, "food-poverty").await;
    let older = cause_id(db, "older-people").await;
    let peckham_hub = add_hub(db, "peckham-hub", "Peckham Community Hub", peckham).await;
    let walworth_hub = add_hub(
        db,
        "walworth-hub",
        "Walworth Hub",
        ward_id(db, "E05011107").await,
    )
    .await;
    let food_hub = add_org(
        db,
        "peckham-food-hub",
        "Peckham Food Hub",
        "approved",
        &[peckham_hub.id],
    )
    .await;
    let befrienders = add_org(
        db,
        "walworth-befrienders",
        "Walworth Befrienders",
        "approved",
        &[walworth_hub.id],
    )
    .await;
    let pending_org = add_org(
        db,
        "not-yet-approved",
        "Not Yet Approved Group",
        "pending",
        &[peckham_hub.id],
    )
    .await;

    let spec = |title, organisation, hub, ward, causes: Vec<i32>, status| RoleSpec {
        title,
        organisation,
        hub,
        ward,
        causes,
        status,
        location_type: "in_person",
        youth_friendly: false,
        closes_in_days: Some(30),
    };
    let food_packing = add_role(
        db,
        spec(
            "Food parcel packer",
            food_hub.id,
            Some(peckham_hub.id),
            Some(peckham),
            vec![food],
            "open",
        ),
    )
    .await;
    role_session::ActiveModel {
        role_id: Set(food_packing.id),
        starts_at: Set(OffsetDateTime::now_utc() + Duration::days(3)),
        ends_at: Set(OffsetDateTime::now_utc() + Duration::days(3) + Duration::hours(3)),
        places: Set(Some(2)),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let meal_delivery = add_role(
        db,
        RoleSpec {
            location_type: "hybrid",
            youth_friendly: true,
            closes_in_days: Some(10),
            ..spec(
                "Meal delivery driver",
                food_hub.id,
                Some(peckham_hub.id),
                Some(rye_lane),
                vec![food, older],
                "open",
            )
        },
    )
    .await;
    let befriending = add_role(
        db,
        RoleSpec {
            closes_in_days: None,
            ..spec(
                "Telephone befriender",
                befrienders.id,
                None,
                Some(peckham),
                vec![older],
                "open",
            )
        },
    )
    .await;
    let draft = add_role(
        db,
        spec(
            "Draft role",
            food_hub.id,
            Some(peckham_hub.id),
            Some(peckham),
            vec![food],
            "draft",
        ),
    )
    .await;
    let closed = add_role(
        db,
        spec(
            "Closed role",
            food_hub.id,
            Some(peckham_hub.id),
            Some(peckham),
            vec![food],
            "closed",
        ),
    )
    .await;
    let expired = add_role(
        db,
        RoleSpec {
            closes_in_days: Some(-1),
            ..spec(
                "Expired role",
                food_hub.id,
                Some(peckham_hub.id),
                Some(peckham),
                vec![food],
                "open",
            )
        },
    )
    .await;
    Borough {
        peckham_hub,
        walworth_hub,
        food_hub,
        befrienders,
        pending_org,
        food_packing,
        meal_delivery,
        befriending,
        draft,
        closed,
        expired,
    }
}
