//! The one place that opens the database: pragmas (WAL, foreign keys, busy timeout), migrations,
//! and the indexes a cut-short bulk load set aside.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::{Error, Result};

/// The migrations embedded in the binary, applied in order on every open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on the fan database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Open { path: path.display().to_string(), source: sqlx::Error::Io(e) })?;
        }
        let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
        Self::connect(options, 4, &path.display().to_string()).await
    }

    /// An in-memory database for unit tests: one connection, so every query sees the same data.
    pub async fn open_in_memory() -> Result<Db> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        Self::connect(options, 1, ":memory:").await
    }

    async fn connect(options: SqliteConnectOptions, max: u32, label: &str) -> Result<Db> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536")
            // Reads of a large list go through the OS page cache instead of being copied into
            // SQLite's own cache page by page (searches and counts that touch many pages).
            .pragma("mmap_size", "1073741824");
        // One connection first puts a new file in WAL mode: two pool connections switching the
        // journal mode of a fresh file at once can fail with "database is locked".
        {
            use sqlx::{ConnectOptions, Connection};
            let conn = options.connect().await.map_err(|source| Error::Open { path: label.to_string(), source })?;
            conn.close().await.map_err(|source| Error::Open { path: label.to_string(), source })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|source| Error::Open { path: label.to_string(), source })?;
        MIGRATOR.run(&pool).await?;
        // A bulk load cut short (a crash, a kill) may have left indexes set aside.
        crate::indexes::restore(&mut *pool.acquire().await?).await?;
        Ok(Db { pool })
    }

    /// The connection pool, for domain modules of this crate.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Waits for every connection to close, so the WAL is checkpointed.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Where the database lives: `FANBASE_DB` if set, else `<OS data dir>/fanbase/fanbase.db`.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("FANBASE_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("fanbase").join("fanbase.db")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_database_gets_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("sub/fans.db")).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(db.pool()).await.unwrap();
        assert_eq!(mode, "wal", "the file database must run in WAL mode");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(db.pool()).await.unwrap();
        assert_eq!(fk, 1, "foreign keys must be enforced");
        // Opening again must not re-run or fail the migrations.
        db.close().await;
        Db::open(&dir.path().join("sub/fans.db")).await.unwrap();
    }
}
