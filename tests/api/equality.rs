//! The equality-monitoring form: answering, editing, withdrawing, validation, and that
//! nobody but the person ever sees their answers.
use hubmatch::entities::equality_monitoring;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{self, Browser, location};

on_both_databases!(
    a_volunteer_answers_edits_and_withdraws_their_equality_answers,
    an_unknown_category_is_a_400_naming_the_field_and_nothing_is_written,
    answers_are_kept_only_with_consent,
    anonymous_visitors_are_asked_to_sign_in,
);

async fn rows_of(app: &TestApp, user_id: i32) -> u64 {
    equality_monitoring::Entity::find()
        .filter(equality_monitoring::Column::UserId.eq(user_id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn a_volunteer_answers_edits_and_withdraws_their_equality_answers(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    assert!(
        browser
            .get_text("/account", 200)
            .await
            .contains("href=\"/account/equality\"")
    );
    let form = browser.get_text("/account/equality", 200).await;
    for needle in [
        "Who sees your answers",
        "Organisations never see them",
        "value=\"black_caribbean\"",
        "value=\"white_roma\"",
        "value=\"prefer_not_to_say\"",
        "govuk-radios__conditional",
        "name=\"consent\"",
    ] {
        assert!(form.contains(needle), "{needle} missing");
    }
    assert!(
        !form.contains("Withdraw my answers"),
        "nothing to withdraw yet"
    );

    let res = browser
        .post(
            "/account/equality",
            &[
                ("sex", "female"),
                ("ethnicity", "black_caribbean"),
                ("disability", "prefer_not_to_say"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/equality?notice=saved");
    let row = equality_monitoring::Entity::find()
        .filter(equality_monitoring::Column::UserId.eq(ada.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("answers saved");
    assert_eq!(row.sex.as_deref(), Some("female"));
    assert_eq!(
        row.ethnic_group.as_deref(),
        Some("black"),
        "group from background"
    );
    assert_eq!(row.ethnicity.as_deref(), Some("black_caribbean"));
    assert_eq!(row.disability.as_deref(), Some("prefer_not_to_say"));
    assert_eq!(row.religion, None, "left blank");
    let first_consent = row.consented_at;

    // The saved answers are shown checked, and can be changed.
    let page = browser
        .get_text("/account/equality?notice=saved", 200)
        .await;
    assert!(page.contains("value=\"black_caribbean\" checked"), "{page}");
    assert!(page.contains("Withdraw my answers"));
    let res = browser
        .post(
            "/account/equality",
            &[
                ("sex", "prefer_not_to_say"),
                ("religion", "christian"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let row = equality_monitoring::Entity::find()
        .filter(equality_monitoring::Column::UserId.eq(ada.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.sex.as_deref(), Some("prefer_not_to_say"));
    assert_eq!(row.ethnicity, None, "an edit replaces every answer");
    assert_eq!(row.religion.as_deref(), Some("christian"));
    assert_eq!(row.consented_at, first_consent);

    let res = browser.post("/account/equality/withdraw", &[]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/account/equality?notice=withdrawn");
    assert_eq!(
        rows_of(&app, ada.id).await,
        0,
        "withdrawing deletes the row"
    );
}

async fn an_unknown_category_is_a_400_naming_the_field_and_nothing_is_written(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let res = browser
        .post(
            "/account/equality",
            &[("sex", "female"), ("religion", "jedi"), ("consent", "yes")],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("href=\"#religion\""), "{page}");
    assert!(
        page.contains("&#39;jedi&#39; is not one of the choices")
            || page.contains("'jedi' is not one of the choices"),
        "{page}"
    );
    assert!(
        page.contains("value=\"female\" checked"),
        "other answers kept"
    );
    assert_eq!(rows_of(&app, ada.id).await, 0);

    let res = browser
        .post(
            "/account/equality",
            &[
                ("ethnic_group", "asian"),
                ("ethnicity", "white_irish"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#ethnicity\""));
    assert_eq!(rows_of(&app, ada.id).await, 0);
}

async fn answers_are_kept_only_with_consent(app: TestApp) {
    let ada = people::volunteer(&app, "ada@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;
    let res = browser.post("/account/equality", &[("sex", "male")]).await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("href=\"#consent\""));
    assert_eq!(rows_of(&app, ada.id).await, 0);
}

async fn anonymous_visitors_are_asked_to_sign_in(app: TestApp) {
    let res = app.get("/account/equality").await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in?next=%2Faccount%2Fequality"));
}
