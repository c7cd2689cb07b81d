//! The move from SQLite to PostgreSQL: every table of an SQLite store copied into a new
//! PostgreSQL store, in one PostgreSQL transaction.
//!
//! Nothing here names a table. The tables, their columns with their PostgreSQL types, and the
//! foreign keys that order them are read from the target's schema after it is migrated (so a
//! table a new migration adds is copied without a change here); each value is read from SQLite
//! as the PostgreSQL column's type says (a UUID from its 16 bytes, a timestamp from its text,
//! a decimal from its text, a boolean from 0/1, …) and sent with `COPY … FROM STDIN`. Rows keep
//! their ids, versions and timestamps, so signing keys (and the tokens they signed), ETags and
//! idempotency records carry over unchanged.
//!
//! The target must be empty (only migrated): a copy never merges. The source must be at this
//! build's migration level and unused (the copy holds its lock: see [`crate::backup`]) and is
//! read in one read transaction. If anything fails, the PostgreSQL transaction is rolled back
//! and the target is as empty as before: fix the cause and run the copy again.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Row, SqliteConnection, TypeInfo, ValueRef};
use uuid::Uuid;

use crate::backup::{InUse, migration_level, sqlite_file};
use crate::pool::{POSTGRES_MIGRATOR, SQLITE_MIGRATOR};
use crate::{Amount, StoreError};

/// sqlx's migration history: each store has its own, written by migrating the target.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Bytes of COPY data sent to PostgreSQL at a time.
const CHUNK: usize = 1 << 20;

/// One copied table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub rows: u64,
}

#[derive(Debug, Clone)]
pub struct CopyReport {
    /// In the order they were copied (parents before the tables that refer to them).
    pub tables: Vec<TableCount>,
    pub elapsed: Duration,
}

/// A column of the target and the PostgreSQL type (`pg_type.typname`) it is read as.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    pg_type: String,
}

/// Copies the SQLite store at `from` into the PostgreSQL database at `to` (migrated first, and
/// refused unless empty). `progress` hears of each table once it is copied.
pub async fn sqlite_to_postgres(
    from: &str,
    to: &str,
    mut progress: impl FnMut(&TableCount),
) -> Result<CopyReport, StoreError> {
    let started = Instant::now();
    let file = sqlite_file(from).ok_or_else(|| {
        StoreError::Config(format!("--from must be an sqlite:// file, not {from:?}"))
    })?;
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        return Err(StoreError::Config(
            "--to must be a postgres:// database".into(),
        ));
    }
    if !file.is_file() {
        return Err(StoreError::Config(format!(
            "there is no database at {}",
            file.display()
        )));
    }
    // Writes after the copy's snapshot would be lost: no server may use the source meanwhile.
    let _sole = InUse::exclusive(&file)?;
    let mut source = SqliteConnectOptions::new()
        .filename(&file)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await?;
    check_source_level(&mut source).await?;

    let mut target = PgConnectOptions::from_str(to)?.connect().await?;
    POSTGRES_MIGRATOR.run(&mut target).await?;

    let mut tx = target.begin().await?;
    let columns = target_columns(&mut tx).await?;
    let order = dependency_order(&columns, &foreign_keys(&mut tx).await?)?;
    let mut filled = Vec::new();
    for table in &order {
        let any: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {})", q(table)))
            .fetch_one(&mut *tx)
            .await?;
        if any {
            filled.push(table.as_str());
        }
    }
    if !filled.is_empty() {
        return Err(StoreError::Conflict(format!(
            "the target is not empty (rows in {}): copy only into a new database",
            filled.join(", ")
        )));
    }
    for table in &order {
        check_source_columns(&mut source, table, &columns[table]).await?;
    }

    // One read transaction: every table as of one instant.
    sqlx::query("BEGIN").execute(&mut source).await?;
    let mut tables = Vec::with_capacity(order.len());
    for table in &order {
        let rows = copy_table(&mut source, &mut tx, table, &columns[table]).await?;
        let count = TableCount {
            table: table.clone(),
            rows,
        };
        progress(&count);
        tables.push(count);
    }
    sqlx::query("COMMIT").execute(&mut source).await?;

    reset_sequences(&mut tx).await?;
    for t in &tables {
        let copied: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {}", q(&t.table)))
            .fetch_one(&mut *tx)
            .await?;
        if copied as u64 != t.rows {
            return Err(StoreError::Internal(format!(
                "{}: {} rows read, {copied} in the target",
                t.table, t.rows
            )));
        }
    }
    tx.commit().await?;
    let _ = source.close().await;
    let _ = target.close().await;
    Ok(CopyReport {
        tables,
        elapsed: started.elapsed(),
    })
}

/// The source must be at exactly this build's migration level: its tables then have the
/// columns the target's migrations create.
async fn check_source_level(source: &mut SqliteConnection) -> Result<(), StoreError> {
    let applied = sqlx::query("SELECT version, checksum, success FROM _sqlx_migrations")
        .fetch_all(&mut *source)
        .await
        .map_err(|_| StoreError::Config("the source has no wink-supplier migrations".into()))?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<Vec<(i64, Vec<u8>, bool)>, sqlx::Error>>()?;
    let level = migration_level(&SQLITE_MIGRATOR, &applied)
        .map_err(|why| StoreError::Config(format!("the source: {why}")))?;
    let latest = SQLITE_MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    if level != latest {
        return Err(StoreError::Config(format!(
            "the source is at migration {level}, this build at {latest}: run \
             `wink-supplier migrate --database-url SOURCE` first"
        )));
    }
    Ok(())
}

/// Every table of the target's schema (but the migration history) with its columns, in order.
async fn target_columns(
    tx: &mut PgConnection,
) -> Result<BTreeMap<String, Vec<Column>>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.relname::text, a.attname::text, t.typname::text, a.attgenerated::text
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         JOIN pg_type t ON t.oid = a.atttypid
         WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname <> $1
         ORDER BY c.relname, a.attnum",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *tx)
    .await?;
    let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for r in rows {
        let (table, name, pg_type, generated): (String, String, String, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        let columns = tables.entry(table).or_default();
        // A generated column is computed by PostgreSQL from the others.
        if generated.is_empty() {
            columns.push(Column { name, pg_type });
        }
    }
    Ok(tables)
}

/// (table, table it refers to) for every foreign key of the target's schema.
async fn foreign_keys(tx: &mut PgConnection) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT child.relname::text, parent.relname::text
         FROM pg_constraint k
         JOIN pg_class child ON child.oid = k.conrelid
         JOIN pg_class parent ON parent.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = k.connamespace
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}

/// The tables ordered so that each comes after every table it refers to (by name among those
/// that are free, so the order is stable). A table referring to itself is fine: PostgreSQL
/// checks a (non-deferred) foreign key at the end of the `COPY`, when all its rows are in. A
/// cycle between tables is refused: no order could load it.
fn dependency_order(
    columns: &BTreeMap<String, Vec<Column>>,
    keys: &[(String, String)],
) -> Result<Vec<String>, StoreError> {
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = columns
        .keys()
        .map(|t| (t.as_str(), BTreeSet::new()))
        .collect();
    for (child, parent) in keys {
        if child != parent
            && columns.contains_key(parent)
            && let Some(p) = parents.get_mut(child.as_str())
        {
            p.insert(parent.as_str());
        }
    }
    let mut order: Vec<String> = Vec::with_capacity(parents.len());
    while !parents.is_empty() {
        let free: Vec<&str> = parents
            .iter()
            .filter(|(_, p)| p.is_empty())
            .map(|(t, _)| *t)
            .collect();
        if free.is_empty() {
            let rest: Vec<&str> = parents.keys().copied().collect();
            return Err(StoreError::Internal(format!(
                "the foreign keys of {} form a cycle: no order can load them",
                rest.join(", ")
            )));
        }
        for table in free {
            parents.remove(table);
            for p in parents.values_mut() {
                p.remove(table);
            }
            order.push(table.to_string());
        }
    }
    Ok(order)
}

/// The source table must have exactly the target's columns: a column on one side only would
/// be lost or left unset.
async fn check_source_columns(
    source: &mut SqliteConnection,
    table: &str,
    columns: &[Column],
) -> Result<(), StoreError> {
    let names: BTreeSet<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(&mut *source)
        .await?
        .into_iter()
        .collect();
    if names.is_empty() {
        return Err(StoreError::Internal(format!(
            "the source has no table {table}"
        )));
    }
    let wanted: BTreeSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    if names != wanted {
        let only_source: Vec<_> = names.difference(&wanted).cloned().collect();
        let only_target: Vec<_> = wanted.difference(&names).cloned().collect();
        return Err(StoreError::Internal(format!(
            "{table}: the engines' schemas differ (only in SQLite: {only_source:?}; only in \
             PostgreSQL: {only_target:?})"
        )));
    }
    Ok(())
}

async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &str,
    columns: &[Column],
) -> Result<u64, StoreError> {
    let list = columns
        .iter()
        .map(|c| q(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut copy = target
        .copy_in_raw(&format!("COPY {} ({list}) FROM STDIN", q(table)))
        .await?;
    let select = format!("SELECT {list} FROM {}", q(table));
    let mut rows = sqlx::query(&select).fetch(&mut *source);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut read = 0u64;
    let written = async {
        while let Some(row) = rows.try_next().await? {
            for (i, column) in columns.iter().enumerate() {
                if i > 0 {
                    buf.push(b'\t');
                }
                encode(&row, i, column, &mut buf).map_err(|why| {
                    StoreError::Internal(format!("{table}.{}: {why}", column.name))
                })?;
            }
            buf.push(b'\n');
            read += 1;
            if buf.len() >= CHUNK {
                copy.send(std::mem::take(&mut buf)).await?;
                buf.reserve(CHUNK + 4096);
            }
        }
        if !buf.is_empty() {
            copy.send(buf).await?;
        }
        Ok::<(), StoreError>(())
    }
    .await;
    drop(rows);
    match written {
        Ok(()) => {
            copy.finish().await?;
            Ok(read)
        }
        Err(e) => {
            let _ = copy.abort(e.to_string()).await;
            Err(e)
        }
    }
}

/// Column `i` of `row`, read as its PostgreSQL type says, in COPY's text format.
fn encode(row: &SqliteRow, i: usize, column: &Column, out: &mut Vec<u8>) -> Result<(), String> {
    let raw = row.try_get_raw(i).map_err(|e| e.to_string())?;
    if raw.is_null() {
        out.extend_from_slice(b"\\N");
        return Ok(());
    }
    let stored = raw.type_info().name().to_string();
    let e = |err: sqlx::Error| format!("{err} (stored as {stored})");
    let text = match column.pg_type.as_str() {
        "uuid" => {
            let id = if stored == "BLOB" {
                Uuid::from_slice(&row.try_get::<Vec<u8>, _>(i).map_err(e)?)
                    .map_err(|err| err.to_string())?
            } else {
                Uuid::parse_str(&row.try_get::<String, _>(i).map_err(e)?)
                    .map_err(|err| err.to_string())?
            };
            id.hyphenated().to_string()
        }
        "timestamptz" | "timestamp" => row
            .try_get::<DateTime<Utc>, _>(i)
            .map_err(e)?
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        "date" => row.try_get::<NaiveDate, _>(i).map_err(e)?.to_string(),
        "time" => row.try_get::<NaiveTime, _>(i).map_err(e)?.to_string(),
        "numeric" => row.try_get::<Amount, _>(i).map_err(e)?.0.to_string(),
        "bool" => if row.try_get::<bool, _>(i).map_err(e)? {
            "t"
        } else {
            "f"
        }
        .to_string(),
        "int2" | "int4" | "int8" => row.try_get::<i64, _>(i).map_err(e)?.to_string(),
        "float4" | "float8" => row.try_get::<f64, _>(i).map_err(e)?.to_string(),
        "text" | "varchar" | "bpchar" | "json" | "jsonb" => {
            row.try_get::<String, _>(i).map_err(e)?
        }
        "bytea" => {
            let bytes = row.try_get::<Vec<u8>, _>(i).map_err(e)?;
            let mut hex = String::with_capacity(2 + bytes.len() * 2);
            hex.push_str("\\x");
            for b in bytes {
                hex.push_str(&format!("{b:02x}"));
            }
            hex
        }
        other => {
            return Err(format!(
                "PostgreSQL type {other} is not one the copy knows how to read from SQLite"
            ));
        }
    };
    escape_into(&text, out);
    Ok(())
}

/// COPY's text format: backslash, tab, newline and carriage return escaped.
fn escape_into(text: &str, out: &mut Vec<u8>) {
    for b in text.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Sequences (serial and identity columns) continue after the highest copied value.
async fn reset_sequences(tx: &mut PgConnection) -> Result<(), StoreError> {
    let owned = sqlx::query(
        "SELECT c.relname::text, a.attname::text,
                pg_get_serial_sequence(quote_ident(c.relname), a.attname)
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
           AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    for r in owned {
        let (table, column, sequence): (String, String, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        sqlx::query(&format!(
            "SELECT setval($1, COALESCE((SELECT max({}) FROM {}), 0) + 1, false)",
            q(&column),
            q(&table)
        ))
        .bind(sequence)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// A quoted identifier.
fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(names: &[&str]) -> BTreeMap<String, Vec<Column>> {
        names.iter().map(|n| (n.to_string(), Vec::new())).collect()
    }

    fn key(child: &str, parent: &str) -> (String, String) {
        (child.into(), parent.into())
    }

    #[test]
    fn parents_come_first_and_self_references_do_not_block() {
        let t = tables(&["accounts", "bookings", "nights", "properties"]);
        let keys = [
            key("nights", "bookings"),
            key("bookings", "properties"),
            key("properties", "accounts"),
            key("bookings", "bookings"),
        ];
        assert_eq!(
            dependency_order(&t, &keys).unwrap(),
            ["accounts", "properties", "bookings", "nights"]
        );
    }

    #[test]
    fn a_cycle_is_refused() {
        let t = tables(&["a", "b", "c"]);
        let keys = [key("a", "b"), key("b", "a")];
        let err = dependency_order(&t, &keys).unwrap_err().to_string();
        assert!(err.contains("a, b"), "{err}");
    }

    #[test]
    fn copy_text_is_escaped() {
        let mut out = Vec::new();
        escape_into("a\tb\nc\\d\re", &mut out);
        assert_eq!(out, b"a\\tb\\nc\\\\d\\re");
    }
}
