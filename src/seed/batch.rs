//! The batched insert writer: a generator thread fills per-table buffers and ships
//! multi-row `INSERT`s over a bounded channel to one async writer, so generating and
//! writing overlap on two cores. The whole load is one transaction: a load that
//! fails or is interrupted leaves nothing behind, so it can simply be run again.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};
use tokio::sync::mpsc;

/// Bound values per statement: under SQLite's 32766 and PostgreSQL's 65535.
const PARAM_BUDGET: usize = 30_000;
/// Rows per full-size statement; bigger gains little once the statement is cached.
const MAX_ROWS: usize = 400;
/// Sizes a leftover is cut into, so every statement shape repeats and stays in
/// sqlx's per-connection prepared-statement cache (100 entries).
const TAIL_SIZES: [usize; 3] = [50, 8, 1];

/// `INSERT INTO "t" ("a","b") VALUES (?,?),(?,?)` (`$n` placeholders on PostgreSQL).
pub(crate) fn insert_sql(backend: DbBackend, table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = String::with_capacity(40 + columns.len() * (12 + 6 * rows));
    let _ = write!(sql, "INSERT INTO \"{table}\" (");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        let _ = write!(sql, "\"{c}\"");
    }
    sql.push_str(") VALUES ");
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${n}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

/// A table the loader writes: its name and the columns it binds, in order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

/// What the generator tells the writer.
pub(crate) enum Msg {
    /// A multi-row insert; rows for the report.
    Insert {
        table: &'static str,
        rows: u64,
        stmt: Statement,
    },
    /// A new phase starts (a new progress bar).
    Phase {
        name: &'static str,
        total: u64,
    },
    Progress(u64),
    /// The generator finished: commit. Without it everything is rolled back.
    Done,
}

/// The writer has gone (it failed); the generator stops.
#[derive(Debug)]
pub(crate) struct WriterGone;

struct Buffer {
    spec: TableSpec,
    values: Vec<Value>,
    rows: usize,
    full_rows: usize,
    sql: BTreeMap<usize, String>,
}

/// Generator side: per-table buffers, flushed in dependency order at the end of
/// each chunk so a row's parents are always written before it.
pub(crate) struct Sink {
    tx: mpsc::Sender<Msg>,
    backend: DbBackend,
    buffers: Vec<Buffer>,
}

impl Sink {
    /// `specs` must be in dependency order (parents first); rows are addressed by
    /// their index in it.
    pub(crate) fn new(tx: mpsc::Sender<Msg>, backend: DbBackend, specs: &[TableSpec]) -> Self {
        let buffers = specs
            .iter()
            .map(|&spec| Buffer {
                spec,
                values: Vec::new(),
                rows: 0,
                full_rows: (PARAM_BUDGET / spec.columns.len()).clamp(1, MAX_ROWS),
                sql: BTreeMap::new(),
            })
            .collect();
        Sink {
            tx,
            backend,
            buffers,
        }
    }

    /// Buffers one row of table `table` (index into the specs).
    pub(crate) fn row<const N: usize>(&mut self, table: usize, values: [Value; N]) {
        let b = &mut self.buffers[table];
        debug_assert_eq!(N, b.spec.columns.len(), "{}", b.spec.name);
        b.values.extend(values);
        b.rows += 1;
    }

    /// End of a chunk: sends everything buffered, parents first.
    pub(crate) fn flush_all(&mut self) -> Result<(), WriterGone> {
        for i in 0..self.buffers.len() {
            self.flush(i)?;
        }
        Ok(())
    }

    pub(crate) fn phase(&self, name: &'static str, total: u64) -> Result<(), WriterGone> {
        self.send(Msg::Phase { name, total })
    }

    pub(crate) fn progress(&self, n: u64) -> Result<(), WriterGone> {
        self.send(Msg::Progress(n))
    }

    pub(crate) fn done(mut self) -> Result<(), WriterGone> {
        self.flush_all()?;
        self.send(Msg::Done)
    }

    fn send(&self, msg: Msg) -> Result<(), WriterGone> {
        self.tx.blocking_send(msg).map_err(|_| WriterGone)
    }

    fn flush(&mut self, i: usize) -> Result<(), WriterGone> {
        let backend = self.backend;
        let b = &mut self.buffers[i];
        if b.rows == 0 {
            return Ok(());
        }
        let ncols = b.spec.columns.len();
        let mut values = std::mem::take(&mut b.values).into_iter();
        let mut left = b.rows;
        b.rows = 0;
        let mut stmts = Vec::new();
        while left > 0 {
            let size = if left >= b.full_rows {
                b.full_rows
            } else {
                TAIL_SIZES
                    .iter()
                    .copied()
                    .find(|&s| s <= left && s < b.full_rows)
                    .unwrap_or(1)
            };
            let sql = b
                .sql
                .entry(size)
                .or_insert_with(|| insert_sql(backend, b.spec.name, b.spec.columns, size))
                .clone();
            let chunk: Vec<Value> = values.by_ref().take(size * ncols).collect();
            stmts.push(Msg::Insert {
                table: b.spec.name,
                rows: size as u64,
                stmt: Statement::from_sql_and_values(backend, sql, chunk),
            });
            left -= size;
        }
        for m in stmts {
            self.send(m)?;
        }
        Ok(())
    }
}

/// Channel between generator and writer; bounded so generation never runs far ahead.
pub(crate) fn channel() -> (mpsc::Sender<Msg>, mpsc::Receiver<Msg>) {
    mpsc::channel(256)
}

/// Writer side: runs the statements in one transaction, counts rows per table,
/// drives the progress bars. Returns the row counts once committed.
pub(crate) async fn run_writer(
    db: &DatabaseConnection,
    mut rx: mpsc::Receiver<Msg>,
    show_progress: bool,
) -> Result<BTreeMap<&'static str, u64>, WriterError> {
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut txn: Option<DatabaseTransaction> = None;
    let mut bar: Option<ProgressBar> = None;
    let mut done = false;
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Insert { table, rows, stmt } => {
                let t = match txn.take() {
                    Some(t) => t,
                    None => db.begin().await?,
                };
                // On failure `t` is dropped here, which rolls the whole load back.
                t.execute_raw(stmt)
                    .await
                    .map_err(|e| WriterError::Insert(table, e))?;
                txn = Some(t);
                *counts.entry(table).or_default() += rows;
            }
            Msg::Phase { name, total } => {
                if let Some(b) = bar.take() {
                    b.finish();
                }
                bar = Some(new_bar(name, total, show_progress));
            }
            Msg::Progress(n) => {
                if let Some(b) = &bar {
                    b.inc(n);
                }
            }
            Msg::Done => {
                done = true;
                break;
            }
        }
    }
    if let Some(b) = bar.take() {
        b.finish();
    }
    if !done {
        // The generator stopped early (it panicked); leave nothing behind.
        if let Some(t) = txn.take() {
            t.rollback().await?;
        }
        return Err(WriterError::GeneratorStopped);
    }
    if let Some(t) = txn.take() {
        t.commit().await?;
    }
    Ok(counts)
}

fn new_bar(name: &'static str, total: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>14} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar.set_message(name);
    bar
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum WriterError {
    #[error("inserting into {0}: {1}")]
    Insert(&'static str, DbErr),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("the data generator stopped before finishing")]
    GeneratorStopped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_sql_numbers_postgres_placeholders_and_uses_question_marks_on_sqlite() {
        assert_eq!(
            insert_sql(DbBackend::Postgres, "users", &["id", "email"], 2),
            r#"INSERT INTO "users" ("id","email") VALUES ($1,$2),($3,$4)"#
        );
        assert_eq!(
            insert_sql(DbBackend::Sqlite, "cause", &["slug"], 3),
            r#"INSERT INTO "cause" ("slug") VALUES (?),(?),(?)"#
        );
    }

    #[test]
    fn a_flush_cuts_rows_into_cached_sizes_under_the_parameter_limit() {
        let (tx, mut rx) = channel();
        let spec = TableSpec {
            name: "t",
            columns: &["a", "b"],
        };
        let handle = std::thread::spawn(move || {
            let mut sink = Sink::new(tx, DbBackend::Sqlite, &[spec]);
            for i in 0..1000 {
                sink.row(0, [Value::from(i), Value::from(i)]);
            }
            sink.done().map_err(|_| ())
        });
        let mut sizes = Vec::new();
        while let Some(m) = rx.blocking_recv() {
            if let Msg::Insert { rows, stmt, .. } = m {
                assert_eq!(
                    stmt.values.map(|v| v.0.len()).unwrap_or(0),
                    rows as usize * 2
                );
                sizes.push(rows);
            }
        }
        handle.join().unwrap().unwrap();
        assert_eq!(sizes.iter().sum::<u64>(), 1000);
        assert_eq!(sizes, vec![400, 400, 50, 50, 50, 50]);
    }
}
