//! Stage certificates, their signed verification links, and revoking them.
use super::*;

/// Bytes of the MAC kept in a verification token (as unsubscribe links: 128 bits).
pub(super) const MAC_BYTES: usize = 16;

pub(super) fn certificate_mac(serial: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(crate::email::unsubscribe::secret())
        .expect("HMAC takes a key of any length");
    mac.update(format!("certificate:{serial}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&bytes[..MAC_BYTES])
}

/// `{serial}.{mac}`: anyone holding it can check the certificate; changing any
/// character makes it useless.
pub fn verification_token(serial: &str) -> String {
    format!("{serial}.{}", certificate_mac(serial))
}

/// The serial a token names, if it is one we signed.
pub fn verify_token(token: &str) -> Option<String> {
    let (serial, given) = token.rsplit_once('.')?;
    crate::auth::tokens::same_secret(given, &certificate_mac(serial)).then(|| serial.to_owned())
}

/// A certificate as its page, the verification page and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub serial: String,
    pub volunteer_profile_id: i32,
    pub volunteer_name: String,
    pub pathway: String,
    pub pathway_slug: String,
    pub stage: String,
    pub stage_position: i32,
    pub completed_on: String,
    /// Confirmed volunteering in roles counting toward this pathway's stages.
    pub confirmed_minutes: i64,
    pub hours_words: String,
    pub skills: Vec<SignOffLine>,
    /// Training done, in words, with the organisation that recorded it.
    pub training: Vec<String>,
    /// Organisations that signed off skills or recorded training.
    pub organisations: Vec<String>,
    pub revoked: bool,
    pub revoked_on: Option<String>,
    /// Where anyone can check it.
    pub verification_url: String,
}

pub async fn certificate<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    serial: &str,
) -> Result<Certificate, AppError> {
    let c = stage_completion::Entity::find()
        .filter(stage_completion::Column::CertificateSerial.eq(serial))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let stage = pathway_stage::Entity::find_by_id(c.stage_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let p = pathway::Entity::find_by_id(stage.pathway_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    let name = volunteer_profile::Entity::find_by_id(c.volunteer_profile_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(_, u)| u)
        .map(|u| u.display_name)
        .unwrap_or_default();
    // Hours: confirmed, on roles tagged with this pathway's stages up to this one.
    let stage_ids: Vec<i32> = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.eq(p.id))
        .filter(pathway_stage::Column::Position.lte(stage.position))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let roles: HashSet<i32> = role_pathway_stage::Entity::find()
        .filter(role_pathway_stage::Column::StageId.is_in(stage_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.role_id)
        .collect();
    let minutes: i64 = hours_log::Entity::find()
        .filter(hours_log::Column::VolunteerId.eq(c.volunteer_profile_id))
        .filter(hours_log::Column::Status.eq(hours::CONFIRMED))
        .filter(hours_log::Column::RoleId.is_in(roles))
        .filter(hours_log::Column::WorkedOn.lte(c.completed_at.date()))
        .all(db)
        .await?
        .iter()
        .map(|h| i64::from(h.minutes))
        .sum();
    // The latest sign-off per skill, also after the completion: a certificate keeps up
    // as the young person grows (its hours stay those of the stage).
    let mut latest: BTreeMap<i32, skill_sign_off::Model> = BTreeMap::new();
    for s in skill_sign_off::Entity::find()
        .filter(skill_sign_off::Column::VolunteerProfileId.eq(c.volunteer_profile_id))
        .order_by_asc(skill_sign_off::Column::CreatedAt)
        .order_by_asc(skill_sign_off::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(s.skill_id, s);
    }
    let skills = sign_off_lines(db, latest.into_values().collect()).await?;
    let trained = training_record::Entity::find()
        .filter(training_record::Column::VolunteerProfileId.eq(c.volunteer_profile_id))
        .order_by_asc(training_record::Column::CompletedOn)
        .all(db)
        .await?;
    let org_names: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(trained.iter().map(|t| t.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let training: Vec<String> = trained
        .iter()
        .map(|t| {
            format!(
                "{}, recorded by {} on {}",
                rules::training_name(&t.item).unwrap_or(&t.item),
                org_names
                    .get(&t.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                london_time::long_date(t.completed_on)
            )
        })
        .collect();
    let mut organisations: Vec<String> = skills
        .iter()
        .map(|s| s.organisation.clone())
        .chain(org_names.into_values())
        .collect();
    organisations.sort();
    organisations.dedup();
    Ok(Certificate {
        verification_url: format!(
            "{base_url}/verify/{}",
            verification_token(&c.certificate_serial)
        ),
        serial: c.certificate_serial,
        volunteer_profile_id: c.volunteer_profile_id,
        volunteer_name: name,
        pathway: p.name,
        pathway_slug: p.slug,
        stage: stage.name,
        stage_position: stage.position,
        completed_on: london_time::date(c.completed_at),
        confirmed_minutes: minutes,
        hours_words: crate::domain::applications::duration_words(minutes),
        skills,
        training,
        organisations,
        revoked: c.revoked_at.is_some(),
        revoked_on: c.revoked_at.map(london_time::date),
    })
}

/// What a verification link shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// `valid`, `revoked` or `not_valid`.
    pub status: String,
    pub certificate: Option<Certificate>,
}

/// Checks a verification token: `not_valid` for anything we did not sign (or whose
/// certificate is gone), `revoked` for a withdrawn certificate.
pub async fn verify<C: ConnectionTrait>(
    db: &C,
    base_url: &str,
    token: &str,
) -> Result<Verification, AppError> {
    let not_valid = Verification {
        status: "not_valid".into(),
        certificate: None,
    };
    let Some(serial) = verify_token(token) else {
        return Ok(not_valid);
    };
    match certificate(db, base_url, &serial).await {
        Ok(c) => Ok(Verification {
            status: if c.revoked { "revoked" } else { "valid" }.into(),
            certificate: Some(c),
        }),
        Err(AppError::NotFound(_)) => Ok(not_valid),
        Err(e) => Err(e),
    }
}

/// Withdraws a certificate (an alliance admin, e.g. after evidence proved false).
pub async fn revoke(
    db: &DatabaseConnection,
    by: i32,
    serial: &str,
    reason: &str,
) -> Result<(), AppError> {
    if reason.trim().is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            "Say why the certificate is withdrawn (up to 1000 characters)",
        ));
    }
    let txn = crate::db::begin(db).await?;
    let c = stage_completion::Entity::find()
        .filter(stage_completion::Column::CertificateSerial.eq(serial))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("certificate"))?;
    if c.revoked_at.is_some() {
        return Err(AppError::Conflict(
            "This certificate is already withdrawn".into(),
        ));
    }
    let id = c.id;
    let mut am: stage_completion::ActiveModel = c.into();
    am.revoked_at = Set(Some(crate::db::now()));
    am.revoked_by = Set(Some(by));
    am.revoked_reason = Set(reason.trim().to_owned());
    am.update(&txn).await?;
    audit_write(
        &txn,
        by,
        "pathway.certificate.revoke",
        "stage_completion",
        id,
        serde_json::json!({ "serial": serial }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A certificate as the alliance admin's list of a pathway's certificates shows it.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    pub serial: String,
    pub volunteer_name: String,
    pub stage: String,
    pub completed_on: String,
    pub revoked: bool,
}

/// Every certificate issued for `pathway_id`'s stages, newest first.
pub async fn issued_for_pathway<C: ConnectionTrait>(
    db: &C,
    pathway_id: i32,
) -> Result<Vec<IssuedCertificate>, DbErr> {
    let stages: HashMap<i32, String> = pathway_stage::Entity::find()
        .filter(pathway_stage::Column::PathwayId.eq(pathway_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let completions = stage_completion::Entity::find()
        .filter(stage_completion::Column::StageId.is_in(stages.keys().copied()))
        .order_by_desc(stage_completion::Column::CompletedAt)
        .order_by_desc(stage_completion::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, String> = volunteer_profile::Entity::find()
        .filter(
            volunteer_profile::Column::Id.is_in(completions.iter().map(|c| c.volunteer_profile_id)),
        )
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, u.display_name)))
        .collect();
    Ok(completions
        .into_iter()
        .map(|c| IssuedCertificate {
            volunteer_name: people
                .get(&c.volunteer_profile_id)
                .cloned()
                .unwrap_or_default(),
            stage: stages.get(&c.stage_id).cloned().unwrap_or_default(),
            completed_on: london_time::date(c.completed_at),
            revoked: c.revoked_at.is_some(),
            serial: c.certificate_serial,
        })
        .collect())
}
