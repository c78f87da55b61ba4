//! Volunteers joining and leaving pathways.
use super::*;

/// Joins a pathway (again, if they had left it). Pathways are for volunteers aged
/// 14 to 25 (the pathway's own ages).
pub async fn enrol(
    db: &DatabaseConnection,
    volunteer_profile_id: i32,
    slug: &str,
) -> Result<pathway_enrolment::Model, AppError> {
    let txn = crate::db::begin(db).await?;
    let p = find_by_slug(&txn, slug).await?;
    if !p.active {
        return Err(AppError::field(
            "pathway",
            "This pathway is not taking new volunteers",
        ));
    }
    let profile = volunteer_profile::Entity::find_by_id(volunteer_profile_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("volunteer"))?;
    let age = sign_up::age_on(profile.date_of_birth, today());
    if !(p.min_age..=p.max_age).contains(&age) {
        return Err(AppError::field(
            "pathway",
            format!(
                "{} is for volunteers aged {} to {}",
                p.name, p.min_age, p.max_age
            ),
        ));
    }
    let now = crate::db::now();
    let existing = pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
        .one(&txn)
        .await?;
    let row = match existing {
        Some(e) if e.left_at.is_none() => e,
        Some(e) => {
            let mut am: pathway_enrolment::ActiveModel = e.into();
            am.left_at = Set(None);
            am.joined_at = Set(now);
            am.update(&txn).await?
        }
        None => {
            pathway_enrolment::ActiveModel {
                volunteer_profile_id: Set(volunteer_profile_id),
                pathway_id: Set(p.id),
                joined_at: Set(now),
                left_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    Ok(row)
}

pub async fn leave(
    db: &DatabaseConnection,
    volunteer_profile_id: i32,
    slug: &str,
) -> Result<(), AppError> {
    let txn = crate::db::begin(db).await?;
    let p = find_by_slug(&txn, slug).await?;
    if let Some(e) = pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
        .filter(pathway_enrolment::Column::LeftAt.is_null())
        .one(&txn)
        .await?
    {
        let mut am: pathway_enrolment::ActiveModel = e.into();
        am.left_at = Set(Some(crate::db::now()));
        am.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Ids of the pathways a volunteer is on now.
pub async fn enrolled_pathways<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<Vec<i32>, DbErr> {
    Ok(pathway_enrolment::Entity::find()
        .filter(pathway_enrolment::Column::VolunteerProfileId.eq(volunteer_profile_id))
        .filter(pathway_enrolment::Column::LeftAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.pathway_id)
        .collect())
}
