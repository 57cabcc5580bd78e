//! Opening a [`Store`]: URL parsing, SQLite pragmas, pool sizes, and the embedded migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{Pool, Store, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

const SQLITE_MAX_CONNECTIONS: u32 = 8;
const POSTGRES_MAX_CONNECTIONS: u32 = 10;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

impl Store {
    /// Opens `sqlite://PATH` (created if missing, with its parent directory) or
    /// `postgres://...` / `postgresql://...`, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::InvalidUrl {
                    reason: "sqlite URLs need a file path, e.g. sqlite://data/toolwire.db",
                });
            }
            Self::sqlite(path).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::postgres(url).await
        } else {
            Err(StoreError::InvalidUrl {
                reason: "expected sqlite://PATH or postgres://USER@HOST/DB",
            })
        }
    }

    /// Opens (creating if missing) the SQLite database file at `path` with WAL,
    /// `synchronous=FULL`, foreign keys and a busy timeout, and runs the migrations. The file
    /// and its `-wal` / `-shm` companions are readable by their owner only (0600), whatever
    /// the umask.
    pub async fn sqlite(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Connect(e.into()))?;
        }
        make_private(path).map_err(|e| StoreError::Connect(e.into()))?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Overwrite deleted rows (e.g. a deleted account's ciphertext) instead of leaving them
            // in free pages.
            .pragma("secure_delete", "ON");
        Self::sqlite_with_options(options).await
    }

    /// Opens SQLite with caller-chosen options (the caller is responsible for the pragmas).
    pub async fn sqlite_with_options(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(SQLITE_MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(StoreError::Connect)?;
        let store = Self {
            pool: Pool::Sqlite(pool),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Connects to PostgreSQL and runs the migrations. The URL is never echoed in errors.
    pub async fn postgres(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl {
            reason: "not a valid PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DB)",
        })?;
        Self::postgres_with_options(options).await
    }

    /// Connects to PostgreSQL with explicit options (e.g. a `search_path`) and migrates.
    pub async fn postgres_with_options(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(StoreError::Connect)?;
        let store = Self {
            pool: Pool::Postgres(pool),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies any pending embedded migrations (idempotent; run by every constructor).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }
}

/// Creates the database file with mode 0600 before SQLite does (SQLite would make it 0644) and
/// tightens an existing one and its companions. SQLite gives the `-wal`, `-shm` and `-journal`
/// files it creates the database file's mode, so they follow.
fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(path)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            match std::fs::metadata(&name) {
                Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&name, std::fs::Permissions::from_mode(0o600))?;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
