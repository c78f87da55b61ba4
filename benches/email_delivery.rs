//! Throughput of the outbox worker: 10,000 queued emails (our layout, both parts)
//! delivered over SMTP to Debian's aiosmtpd on loopback, from a temporary SQLite
//! database. Prints messages per second. `cargo bench --bench email_delivery`
//! (EMAILS=n to change the count).
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hubmatch::config::Settings;
use hubmatch::email::kinds::{RoleLine, WeeklyDigest};
use hubmatch::email::{self, Email};
use hubmatch::jobs::outbox::{Worker, WorkerOptions};

fn main() {
    let count: usize = std::env::var("EMAILS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    runtime.block_on(run(count));
}

async fn run(count: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        ..Settings::default()
    };
    let db = hubmatch::db::prepare(&settings).await.expect("database");

    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    // The Sink handler accepts and discards: we measure our side, not disk writes.
    let mut server = Command::new("/usr/bin/python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Sink"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd (apt-get install python3-aiosmtpd)");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    let digest = WeeklyDigest {
        first_name: "Ada".into(),
        roles: (1..=5)
            .map(|i| RoleLine {
                title: format!("Food parcel packer {i}"),
                organisation: "Peckham Food Hub".into(),
                url: format!("https://hubmatch.example.org/roles/{i}"),
            })
            .collect(),
        search_url: "https://hubmatch.example.org/roles".into(),
    };
    let queued_at = Instant::now();
    let txn = hubmatch::db::begin(&db).await.expect("begin");
    for i in 0..count {
        let rendered = email::render(
            digest.kind(),
            &format!("volunteer{i}@example.org"),
            &digest.content(),
            "https://hubmatch.example.org",
            Some(format!(
                "https://hubmatch.example.org/unsubscribe/{i}.weekly_digest.x"
            )),
        );
        email::enqueue(&txn, "email.weekly_digest", &rendered)
            .await
            .expect("enqueue");
    }
    txn.commit().await.expect("commit");
    let queue_time = queued_at.elapsed();

    let transport = email::Transport::smtp(&format!("smtp://127.0.0.1:{port}"))
        .await
        .expect("aiosmtpd answers");
    for batch_size in [20u64, 100] {
        if batch_size != 20 {
            // Queue the same again for the second configuration.
            sea_orm::ConnectionTrait::execute_unprepared(
                &db,
                "UPDATE outbox SET done_at = NULL, attempts = 0, next_attempt_at = created_at",
            )
            .await
            .expect("requeue");
        }
        let worker = Worker::new(
            db.clone(),
            transport.clone(),
            "hubmatch <no-reply@hubmatch.example.org>".parse().unwrap(),
            WorkerOptions {
                batch_size,
                ..WorkerOptions::default()
            },
        );
        let started = Instant::now();
        let mut sent = 0usize;
        loop {
            let stats = worker.run_once().await.expect("round");
            assert_eq!(stats.failed + stats.dead, 0, "nothing fails on loopback");
            if stats.sent == 0 {
                break;
            }
            sent += stats.sent as usize;
        }
        let took = started.elapsed();
        assert_eq!(sent, count);
        println!(
            "email_delivery: {sent} emails, batch {batch_size}: {:.1} s, {:.0} messages/second (queueing them took {:.1} s)",
            took.as_secs_f64(),
            sent as f64 / took.as_secs_f64(),
            queue_time.as_secs_f64()
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
