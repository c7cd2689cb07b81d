//! Accounts and their applications (OAuth2 clients).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Store, StoreError, auth_revision, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    /// The contract's managing-entity type (`HOTEL`, `TRAVEL_AGENT`, ...).
    pub entity_type: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Application {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    /// The client secret's keyed hash (`$hmac-sha256$…`), or the Argon2id PHC string an earlier
    /// version stored (replaced on its first use); the secret itself is never stored.
    pub secret_hash: String,
    /// Granted scopes, space-separated.
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Application {
    pub fn scope_list(&self) -> impl Iterator<Item = &str> {
        self.scopes.split_whitespace()
    }
}

impl Store {
    pub async fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO accounts (id, name, entity_type, email, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $5, 1)")
            .bind(account.id).bind(&account.name).bind(&account.entity_type).bind(&account.email).bind(account.created_at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn account(&self, id: Uuid) -> Result<Account, StoreError> {
        on_pool!(&self.read, p => sqlx::query_as::<_, Account>(
            "SELECT id, name, entity_type, email, created_at FROM accounts WHERE id = $1")
            .bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        Ok(on_pool!(&self.read, p => sqlx::query_as::<_, Account>(
            "SELECT id, name, entity_type, email, created_at FROM accounts ORDER BY created_at, id")
            .fetch_all(p).await)?)
    }

    pub async fn create_application(&self, app: &Application) -> Result<(), StoreError> {
        on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO applications (id, account_id, name, secret_hash, scopes, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)")
            .bind(app.id).bind(app.account_id).bind(&app.name).bind(&app.secret_hash).bind(&app.scopes).bind(app.created_at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn application(&self, id: Uuid) -> Result<Application, StoreError> {
        on_pool!(&self.read, p => sqlx::query_as::<_, Application>(
            "SELECT id, account_id, name, secret_hash, scopes, created_at, revoked_at FROM applications WHERE id = $1")
            .bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Applications, oldest first; of one account when `account` is given.
    pub async fn applications(
        &self,
        account: Option<Uuid>,
    ) -> Result<Vec<Application>, StoreError> {
        Ok(on_pool!(&self.read, p => sqlx::query_as::<_, Application>(
            "SELECT id, account_id, name, secret_hash, scopes, created_at, revoked_at FROM applications
             WHERE $1 IS NULL OR account_id = $1 ORDER BY created_at, id")
            .bind(account).fetch_all(p).await)?)
    }

    /// Revokes an application: its secret stops working and its tokens are refused, at once on
    /// this node and within the auth cache's bound on the others (the auth revision moves in the
    /// same transaction). Revoking twice is not an error.
    pub async fn revoke_application(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        let done = on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query("UPDATE applications SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1")
                .bind(id).bind(at).execute(&mut *tx).await?.rows_affected();
            if done > 0 {
                sqlx::query(auth_revision::BUMP).execute(&mut *tx).await?;
            }
            tx.commit().await.map(|_| done)
        })?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.auth_changed_here();
        Ok(())
    }

    /// Replaces the stored hash of an application's secret by `new` (the same secret, hashed
    /// anew), unless it is no longer `old` (another node did it first); answers whether it did.
    /// Moves the auth revision: nodes hold the application with its hash.
    pub async fn rehash_application_secret(
        &self,
        id: Uuid,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query("UPDATE applications SET secret_hash = $3 WHERE id = $1 AND secret_hash = $2")
                .bind(id).bind(old).bind(new).execute(&mut *tx).await?.rows_affected();
            if done > 0 {
                sqlx::query(auth_revision::BUMP).execute(&mut *tx).await?;
            }
            tx.commit().await.map(|_| done)
        })?;
        if done > 0 {
            self.auth_changed_here();
        }
        Ok(done > 0)
    }

    /// Whether an access token may still be used: its application exists and is not revoked, and
    /// the token itself was not revoked. One query, run on every authenticated request.
    pub async fn token_usable(&self, application: Uuid, jti: Uuid) -> Result<bool, StoreError> {
        let usable: (bool,) = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1 AND revoked_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2)")
            .bind(application).bind(jti).fetch_one(p).await)?;
        Ok(usable.0)
    }

    /// Records a revoked token until it would have expired; older entries are purged on the way.
    /// Moves the auth revision, as [`Store::revoke_application`] does.
    pub async fn revoke_token(
        &self,
        jti: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.write, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING")
                .bind(jti).bind(expires_at).execute(&mut *tx).await?;
            sqlx::query(auth_revision::BUMP).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        self.auth_changed_here();
        Ok(())
    }
}
