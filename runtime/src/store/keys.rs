//! Persistence of the vault keyring: the master key's check value and the wrapped data keys.
//! The store never sees an unwrapped key.

use super::rows::KeyRow;
use super::ts::{Ts, now};
use super::{Store, StoreError, StoredKeyring, VaultKeyRecord, conflict_or_db};

impl Store {
    /// The check value (if initialized) and every wrapped data key, ordered by key id.
    #[doc(hidden)]
    pub async fn load_keyring(&self) -> Result<StoredKeyring, StoreError> {
        let (check_value, rows): (Option<Vec<u8>>, Vec<KeyRow>) = on_pool!(self, |pool| {
            let check = sqlx::query_scalar("SELECT check_value FROM vault_meta WHERE id = 1")
                .fetch_optional(pool)
                .await?;
            let rows = sqlx::query_as(
                "SELECT key_id, wrapped_key, created_at, is_primary FROM vault_keys \
                 ORDER BY key_id",
            )
            .fetch_all(pool)
            .await?;
            (check, rows)
        });
        Ok(StoredKeyring {
            check_value,
            keys: rows
                .into_iter()
                .map(VaultKeyRecord::try_from)
                .collect::<Result<_, _>>()?,
        })
    }

    /// First start: stores the check value and the first (primary) data key atomically.
    /// Returns `false`, changing nothing, if another process initialized the keyring first.
    pub(crate) async fn init_keyring(
        &self,
        check_value: &[u8],
        first_key: &VaultKeyRecord,
    ) -> Result<bool, StoreError> {
        let at = Ts::new(now());
        let initialized = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO vault_meta (id, check_value, created_at) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(check_value)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                sqlx::query(
                    "INSERT INTO vault_keys (key_id, wrapped_key, created_at, is_primary) \
                     VALUES ($1, $2, $3, TRUE)",
                )
                .bind(i64::from(first_key.key_id.0))
                .bind(first_key.wrapped_key.as_slice())
                .bind(Ts::new(first_key.created_at))
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict_or_db(e, "vault_keys"))?;
                tx.commit().await?;
            }
            inserted
        });
        Ok(initialized)
    }

    /// Adds a data key and makes it the primary, atomically. Fails with `Conflict` if the key
    /// id is taken (a concurrent rotation): reload the keyring and retry.
    pub(crate) async fn add_primary_key(&self, key: &VaultKeyRecord) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE vault_keys SET is_primary = FALSE WHERE is_primary")
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO vault_keys (key_id, wrapped_key, created_at, is_primary) \
                 VALUES ($1, $2, $3, TRUE)",
            )
            .bind(i64::from(key.key_id.0))
            .bind(key.wrapped_key.as_slice())
            .bind(Ts::new(key.created_at))
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict_or_db(e, "vault_keys"))?;
            tx.commit().await?;
        });
        Ok(())
    }
}
