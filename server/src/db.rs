//! Database connection: SQLite (embedded default) or PostgreSQL, chosen by the URL.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
use secrecy::ExposeSecret;

use crate::settings::DatabaseSettings;

/// Connects and runs pending migrations.
///
/// SQLite runs in WAL mode with `synchronous=FULL`, so a write the API has acknowledged survives
/// a power cut, and with foreign keys enforced.
pub async fn connect(
    settings: &DatabaseSettings,
    data_dir: &Path,
) -> anyhow::Result<DatabaseConnection> {
    let url = match &settings.url {
        Some(url) => url.expose_secret().to_owned(),
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating {}", data_dir.display()))?;
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("kiemtra.db").display()
            )
        }
    };
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options)
        .await
        .context("connecting to the database")?;
    migrations::Migrator::up(&db, None)
        .await
        .context("running database migrations")?;
    Ok(db)
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails at once with
/// `SQLITE_BUSY` when another connection committed in between (its snapshot is stale, and the
/// busy timeout does not apply), whereas an immediate one waits its turn. Elsewhere it is a
/// plain `BEGIN`; nested, a savepoint.
pub async fn begin_write<C: sea_orm::TransactionTrait>(
    db: &C,
) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// One page of `query` and the total count; everything when `paging` is `None`.
pub async fn paged<E: sea_orm::EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    query: sea_orm::Select<E>,
    paging: Option<kiemtra_shared::paging::Paging>,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E::Model: Send + Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    match paging {
        None => {
            let rows = query.all(db).await?;
            let total = rows.len() as u64;
            Ok((rows, total))
        }
        Some(paging) => {
            let total = query.clone().count(db).await?;
            let rows = query
                .offset(paging.offset())
                .limit(paging.per_page)
                .all(db)
                .await?;
            Ok((rows, total))
        }
    }
}
