//! Email delivery through the outbox: files, a real SMTP server on loopback,
//! the server being down, dead letters, and refusing a bad SMTP_URL at start.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use hubmatch::email::{self, OutboxEmail, Transport};
use hubmatch::entities::outbox;
use hubmatch::jobs::outbox::{Stats, Worker, WorkerOptions};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait,
};

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    a_queued_email_is_written_as_a_file_with_both_parts_and_its_outbox_message_id,
    an_email_queued_in_a_rolled_back_transaction_is_never_sent,
    a_queued_email_reaches_a_real_smtp_server,
    a_templated_email_reaches_smtp_with_both_parts_links_and_a_working_one_click_unsubscribe,
    an_email_waits_while_the_smtp_server_is_down_and_goes_once_it_is_back,
    an_email_that_keeps_failing_is_dead_after_the_last_attempt_and_left_alone,
    rows_claimed_by_a_worker_that_died_are_sent_when_the_lease_runs_out,
    two_workers_never_claim_the_same_row,
    the_running_worker_delivers_what_is_queued_and_stops_when_told,
    a_bad_smtp_url_or_a_silent_server_is_refused_at_start,
);

const FROM: &str = "hubmatch <no-reply@hubmatch.localhost>";

fn welcome(to: &str) -> OutboxEmail {
    OutboxEmail {
        to: to.into(),
        subject: "Your place at Peckham Food Hub".into(),
        text_body: "Thank you for volunteering. Plain part marker: PLAIN-42.".into(),
        html_body: "<p>Thank you for volunteering. <strong>HTML-42</strong></p>".into(),
        unsubscribe_url: None,
    }
}

fn worker(app: &TestApp, transport: Transport, options: WorkerOptions) -> Worker {
    Worker::new(
        app.db.clone(),
        transport,
        FROM.parse().expect("from"),
        options,
    )
}

async fn row(app: &TestApp, id: i32) -> outbox::Model {
    outbox::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read outbox")
        .expect("outbox row still there")
}

/// Makes a row due now, as if its retry time had come.
async fn make_due(app: &TestApp, id: i32) {
    let mut active = row(app, id).await.into_active_model();
    active.next_attempt_at = Set(hubmatch::db::now());
    active.update(&app.db).await.expect("move next_attempt_at");
}

/// Three emails to three volunteers, oldest first.
async fn queue_three(app: &TestApp) -> Vec<i32> {
    let mut ids = Vec::new();
    for n in 0..3 {
        let to = format!("volunteer{n}@example.org");
        let id = email::enqueue(&app.db, "email.placement", &welcome(&to)).await;
        ids.push(id.expect("enqueue").expect("queued"));
    }
    ids
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
        Err(_) => Vec::new(),
    }
}

async fn a_queued_email_is_written_as_a_file_with_both_parts_and_its_outbox_message_id(
    app: TestApp,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let emails = dir.path().join("outbox");
    let transport = Transport::files(&emails).expect("file transport creates its folder");
    let id = email::enqueue(
        &app.db,
        "email.placement",
        &welcome("Ada <ada@example.org>"),
    )
    .await
    .expect("enqueue")
    .expect("queued");
    let worker = worker(&app, transport, WorkerOptions::default());

    let stats = worker.run_once().await.expect("round");
    assert_eq!(
        stats,
        Stats {
            sent: 1,
            failed: 0,
            dead: 0
        },
        "{}",
        app.backend
    );

    let files = files_in(&emails);
    assert_eq!(files.len(), 1, "one .eml file: {files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let eml = std::fs::read_to_string(&files[0]).expect("read .eml");
    assert!(
        eml.contains("Subject: Your place at Peckham Food Hub"),
        "{eml}"
    );
    assert!(eml.contains("To: Ada <ada@example.org>"), "{eml}");
    assert!(
        eml.contains("From: hubmatch <no-reply@hubmatch.localhost>"),
        "{eml}"
    );
    assert!(
        eml.contains(&format!("Message-ID: <outbox-{id}@hubmatch.localhost>")),
        "{eml}"
    );
    assert!(eml.contains("multipart/alternative"), "{eml}");
    assert!(eml.contains("Content-Type: text/plain"), "{eml}");
    assert!(eml.contains("PLAIN-42"), "{eml}");
    assert!(eml.contains("Content-Type: text/html"), "{eml}");
    assert!(eml.contains("<strong>HTML-42</strong>"), "{eml}");

    let sent = row(&app, id).await;
    assert!(sent.done_at.is_some(), "marked done");
    assert_eq!(sent.attempts, 1);
    assert_eq!(
        worker.run_once().await.expect("round"),
        Stats::default(),
        "not sent twice"
    );
    assert_eq!(files_in(&emails).len(), 1);
}

async fn an_email_queued_in_a_rolled_back_transaction_is_never_sent(app: TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let txn = app.db.begin().await.expect("begin");
    email::enqueue(&txn, "email.placement", &welcome("ada@example.org"))
        .await
        .expect("enqueue")
        .expect("queued");
    txn.rollback().await.expect("rollback");
    let worker = worker(
        &app,
        Transport::files(dir.path()).expect("files"),
        WorkerOptions::default(),
    );
    assert_eq!(worker.run_once().await.expect("round"), Stats::default());
    assert!(files_in(dir.path()).is_empty());

    let bad = email::enqueue(&app.db, "email.placement", &welcome("not an address")).await;
    assert!(
        bad.is_err(),
        "a bad address is refused where the caller can still say so"
    );
    let bad = email::enqueue(&app.db, "search.role", &welcome("ada@example.org")).await;
    assert!(bad.is_err(), "only email kinds");
}

async fn a_queued_email_reaches_a_real_smtp_server(app: TestApp) {
    let sink = SmtpSink::start(free_port(), None);
    let transport = Transport::smtp(&sink.url()).await.expect("server answers");
    let id = email::enqueue(
        &app.db,
        "email.placement",
        &welcome("Ada <ada@example.org>"),
    )
    .await
    .expect("enqueue")
    .expect("queued");
    let worker = worker(&app, transport, WorkerOptions::default());

    assert_eq!(
        worker.run_once().await.expect("round").sent,
        1,
        "{}",
        app.backend
    );
    let received = sink.received();
    assert_eq!(received.len(), 1, "one message in the Maildir");
    let mail = &received[0];
    assert!(mail.contains("X-RcptTo: ada@example.org"), "{mail}");
    assert!(
        mail.contains("X-MailFrom: no-reply@hubmatch.localhost"),
        "{mail}"
    );
    assert!(
        mail.contains("Subject: Your place at Peckham Food Hub"),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("Message-ID: <outbox-{id}@hubmatch.localhost>")),
        "{mail}"
    );
    assert!(
        mail.contains("Content-Type: text/plain") && mail.contains("PLAIN-42"),
        "{mail}"
    );
    assert!(
        mail.contains("Content-Type: text/html") && mail.contains("HTML-42"),
        "{mail}"
    );
    assert!(row(&app, id).await.done_at.is_some());
}

async fn a_templated_email_reaches_smtp_with_both_parts_links_and_a_working_one_click_unsubscribe(
    app: TestApp,
) {
    let ada = crate::people::volunteer(&app, "ada@example.org").await;
    // The digest is opt-in: Ada asks for it.
    hubmatch::models::email_preferences::set(
        &app.db,
        ada.id,
        email::Preference::WeeklyDigest,
        true,
    )
    .await
    .expect("opt in");
    let sink = SmtpSink::start(free_port(), None);
    let transport = Transport::smtp(&sink.url()).await.expect("server answers");
    let id = email::send(
        &app.db,
        &app.base,
        "Ada Volunteer <ada@example.org>",
        &email::kinds::WeeklyDigest {
            first_name: "Ada".into(),
            roles: vec![email::kinds::RoleLine {
                title: "Food parcel packer".into(),
                organisation: "Peckham Food Hub".into(),
                url: format!("{}/roles/7", app.base),
            }],
            search_url: format!("{}/roles", app.base),
        },
    )
    .await
    .expect("send")
    .expect("queued");
    let worker = worker(&app, transport, WorkerOptions::default());
    assert_eq!(worker.run_once().await.expect("round").sent, 1);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert!(
        mail.contains(&format!("Message-ID: <outbox-{id}@hubmatch.localhost>")),
        "{mail}"
    );
    assert!(
        mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{mail}"
    );
    let header = mail
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .unwrap_or_else(|| panic!("no List-Unsubscribe header: {mail}"));
    let link = header
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>')
        .to_owned();
    assert!(
        link.starts_with(&format!(
            "{}/unsubscribe/{}.weekly_digest.",
            app.base, ada.id
        )),
        "{link}"
    );
    assert!(mail.contains("Content-Type: text/plain"), "{mail}");
    assert!(mail.contains("Content-Type: text/html"), "{mail}");
    // Both parts carry the role and the preferences link (quoted-printable may wrap
    // lines, so compare with soft line breaks removed).
    let unwrapped = mail.replace("=\r\n", "").replace("=\n", "");
    assert!(unwrapped.contains("Food parcel packer"), "{mail}");
    assert!(unwrapped.contains("/account/email-preferences"), "{mail}");
    assert!(unwrapped.contains("/roles/7"), "{mail}");

    // What a mail client does with the header: POST the one-click body, no cookie.
    let res = app
        .client
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("POST unsubscribe");
    assert_eq!(res.status().as_u16(), 200, "{}", app.backend);
    assert!(
        !hubmatch::models::email_preferences::enabled(
            &app.db,
            ada.id,
            email::Preference::WeeklyDigest
        )
        .await
        .expect("read preference")
    );
}

async fn an_email_waits_while_the_smtp_server_is_down_and_goes_once_it_is_back(app: TestApp) {
    let port = free_port();
    let sink = SmtpSink::start(port, None);
    let transport = Transport::smtp(&sink.url())
        .await
        .expect("server answers at start");
    let maildir = sink.stop();
    let worker = worker(&app, transport, WorkerOptions::default());
    let id = email::enqueue(&app.db, "email.placement", &welcome("ada@example.org"))
        .await
        .expect("enqueue")
        .expect("queued");

    let before = hubmatch::db::now();
    let stats = worker.run_once().await.expect("round");
    assert_eq!(
        stats,
        Stats {
            sent: 0,
            failed: 1,
            dead: 0
        },
        "{}",
        app.backend
    );
    let waiting = row(&app, id).await;
    assert_eq!(waiting.attempts, 1);
    assert!(
        waiting.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{waiting:?}"
    );
    assert!(
        waiting.next_attempt_at >= before + time::Duration::seconds(30),
        "{waiting:?}"
    );
    assert!(
        waiting.done_at.is_none() && waiting.dead_at.is_none(),
        "{waiting:?}"
    );

    let sink = SmtpSink::start(port, Some(maildir));
    assert_eq!(
        worker.run_once().await.expect("round"),
        Stats::default(),
        "not due yet"
    );
    assert!(sink.received().is_empty());

    make_due(&app, id).await;
    assert_eq!(worker.run_once().await.expect("round").sent, 1);
    assert_eq!(worker.run_once().await.expect("round"), Stats::default());
    let received = sink.received();
    assert_eq!(received.len(), 1, "delivered exactly once");
    assert!(received[0].contains(&format!("<outbox-{id}@hubmatch.localhost>")));
    let sent = row(&app, id).await;
    assert_eq!(sent.attempts, 2);
    assert!(sent.done_at.is_some());
}

async fn an_email_that_keeps_failing_is_dead_after_the_last_attempt_and_left_alone(app: TestApp) {
    let sink = SmtpSink::start(free_port(), None);
    let transport = Transport::smtp(&sink.url())
        .await
        .expect("server answers at start");
    drop(sink.stop());
    let options = WorkerOptions {
        max_attempts: 2,
        ..WorkerOptions::default()
    };
    let worker = worker(&app, transport, options);
    let id = email::enqueue(&app.db, "email.placement", &welcome("ada@example.org"))
        .await
        .expect("enqueue")
        .expect("queued");

    assert_eq!(worker.run_once().await.expect("round").failed, 1);
    make_due(&app, id).await;
    let stats = worker.run_once().await.expect("round");
    assert_eq!(
        stats,
        Stats {
            sent: 0,
            failed: 0,
            dead: 1
        },
        "{}",
        app.backend
    );
    let dead = row(&app, id).await;
    assert!(dead.dead_at.is_some(), "{dead:?}");
    assert!(dead.done_at.is_none());
    assert_eq!(dead.attempts, 2);
    assert!(
        dead.last_error.is_some(),
        "the reason is kept for the admin page"
    );

    make_due(&app, id).await;
    assert_eq!(
        worker.run_once().await.expect("round"),
        Stats::default(),
        "dead is never retried"
    );
    assert_eq!(row(&app, id).await.attempts, 2);
}

async fn rows_claimed_by_a_worker_that_died_are_sent_when_the_lease_runs_out(app: TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = queue_three(&app).await;
    let options = WorkerOptions::default();
    // A worker that claims the batch and is killed before sending anything.
    let dying = worker(
        &app,
        Transport::files(dir.path()).expect("files"),
        options.clone(),
    );
    assert_eq!(dying.claim().await.expect("claim").len(), 3);
    drop(dying);

    let survivor = worker(&app, Transport::files(dir.path()).expect("files"), options);
    assert_eq!(
        survivor.run_once().await.expect("round"),
        Stats::default(),
        "leased rows wait"
    );
    for id in &ids {
        let leased = row(&app, *id).await;
        assert!(leased.next_attempt_at > hubmatch::db::now(), "{leased:?}");
        make_due(&app, *id).await; // the lease runs out
    }
    assert_eq!(
        survivor.run_once().await.expect("round").sent,
        3,
        "{}",
        app.backend
    );
    assert_eq!(
        files_in(dir.path()).len(),
        3,
        "nothing lost, nothing doubled"
    );
}

async fn two_workers_never_claim_the_same_row(app: TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = queue_three(&app).await;
    let options = WorkerOptions {
        batch_size: 2,
        ..WorkerOptions::default()
    };
    let one = worker(
        &app,
        Transport::files(dir.path()).expect("files"),
        options.clone(),
    );
    let two = worker(&app, Transport::files(dir.path()).expect("files"), options);

    if app.backend == "postgres" {
        // Another worker is in the middle of claiming the first row: it is skipped, not waited for.
        let other = app.db.begin().await.expect("begin");
        other
            .execute_unprepared(&format!(
                "SELECT id FROM outbox WHERE id = {} FOR UPDATE",
                ids[0]
            ))
            .await
            .expect("lock the first row");
        let claimed = tokio::time::timeout(Duration::from_secs(5), one.claim())
            .await
            .expect("SKIP LOCKED: the claim does not wait for the lock")
            .expect("claim");
        let got: Vec<i32> = claimed.iter().map(|r| r.id).collect();
        assert_eq!(
            got,
            vec![ids[1], ids[2]],
            "the locked row is left to its holder"
        );
        other.rollback().await.expect("rollback");
        let rest: Vec<i32> = two
            .claim()
            .await
            .expect("claim")
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(rest, vec![ids[0]]);
    } else {
        let first: Vec<i32> = one
            .claim()
            .await
            .expect("claim")
            .iter()
            .map(|r| r.id)
            .collect();
        let second: Vec<i32> = two
            .claim()
            .await
            .expect("claim")
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(first, vec![ids[0], ids[1]]);
        assert_eq!(
            second,
            vec![ids[2]],
            "claimed rows are leased away from the next claim"
        );
    }
    assert!(
        two.claim().await.expect("claim").is_empty(),
        "everything is leased"
    );
}

async fn the_running_worker_delivers_what_is_queued_and_stops_when_told(app: TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = WorkerOptions {
        poll_interval: Duration::from_millis(50),
        ..WorkerOptions::default()
    };
    let worker = worker(&app, Transport::files(dir.path()).expect("files"), options);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(async move {
        worker
            .run(async {
                let _ = stopped.await;
            })
            .await
    });
    let id = email::enqueue(&app.db, "email.placement", &welcome("ada@example.org"))
        .await
        .expect("enqueue")
        .expect("queued");
    let mut waited = 0;
    while row(&app, id).await.done_at.is_none() {
        assert!(
            waited < 100,
            "the worker sent nothing within 5 s on {}",
            app.backend
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(files_in(dir.path()).len(), 1);
    stop.send(()).expect("worker still running");
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the worker stops promptly")
        .expect("the worker did not panic");
}

async fn a_bad_smtp_url_or_a_silent_server_is_refused_at_start(app: TestApp) {
    for url in ["smtp//missing-colon", "ftp://mail.example.org", "smtp://"] {
        let err = Transport::smtp(url)
            .await
            .err()
            .unwrap_or_else(|| panic!("{url} accepted"));
        assert!(err.to_string().contains("SMTP_URL"), "{url}: {err}");
    }
    let url = format!("smtp://nobody:hunter2@127.0.0.1:{}", free_port());
    let err = Transport::smtp(&url)
        .await
        .err()
        .expect("nothing listens there");
    let message = err.to_string();
    assert!(
        message.contains("SMTP_URL") && message.contains("cannot reach"),
        "{message}"
    );
    assert!(
        !message.contains("hunter2"),
        "no password in messages: {message}"
    );

    let settings = hubmatch::config::Settings {
        smtp_url: Some(url),
        ..hubmatch::config::Settings::default()
    };
    let refused = Worker::from_settings(app.db.clone(), &settings).await;
    assert!(
        refused.is_err(),
        "the worker does not start without its server"
    );
}

/// `hubmatch worker` itself stops with a message naming SMTP_URL, before doing anything.
#[test]
fn the_worker_command_refuses_a_malformed_smtp_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_hubmatch"))
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("worker")
        .env("SMTP_URL", "smtps//no-scheme-separator")
        .env_remove("DATABASE_URL")
        .env_remove("HUBMATCH_DATABASE_URL")
        .current_dir(dir.path())
        .output()
        .expect("run hubmatch worker");
    assert!(!out.status.success(), "refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SMTP_URL"), "{stderr}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Debian's aiosmtpd on loopback, keeping what it receives in a Maildir
/// (as scripts/smtp-sink.sh). Killed when dropped.
struct SmtpSink {
    port: u16,
    maildir: Option<tempfile::TempDir>,
    child: Child,
}

impl SmtpSink {
    fn start(port: u16, maildir: Option<tempfile::TempDir>) -> Self {
        let maildir = maildir.unwrap_or_else(|| tempfile::tempdir().expect("maildir"));
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.path().join(sub)).expect("maildir folders");
        }
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (apt-get install python3-aiosmtpd)");
        let sink = Self {
            port,
            maildir: Some(maildir),
            child,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not start listening on port {port}");
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages in `new/`, as text.
    fn received(&self) -> Vec<String> {
        let dir = self.maildir.as_ref().expect("maildir").path().join("new");
        files_in(&dir)
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read message"))
            .collect()
    }

    /// Kills the server and waits until the port is closed; the Maildir is kept.
    fn stop(mut self) -> tempfile::TempDir {
        self.kill();
        self.maildir.take().expect("maildir")
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.kill();
    }
}
