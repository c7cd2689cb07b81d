//! The revision of what decides a request's authentication and reach: the one row of
//! `auth_revisions`, moved in the transaction of every application or token revocation, change
//! of a property's status or time zone, change of its rate provider, and re-hashed client
//! secret. Nodes keep those answers in memory and poll this revision to know when to drop
//! them (see the API's `auth::cache`).
//!
//! A node also counts the changes it made itself ([`Store::auth_changes_here`], shared by every
//! clone of the store), so it drops its own memory as soon as its write commits, without waiting
//! for its next poll.

use std::sync::atomic::Ordering;

use crate::{Store, StoreError, on_pool};

/// Moves the revision; run inside the transaction of the change.
pub(crate) const BUMP: &str = "INSERT INTO auth_revisions (id, revision) VALUES (1, 1)
     ON CONFLICT (id) DO UPDATE SET revision = auth_revisions.revision + 1";

impl Store {
    /// The revision as committed now (0 before the first change).
    pub async fn auth_revision(&self) -> Result<i64, StoreError> {
        let (revision,): (i64,) = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT COALESCE(MAX(revision), 0) FROM auth_revisions")
            .fetch_one(p).await)?;
        Ok(revision)
    }

    /// How many such changes this process has committed through this store (any clone).
    pub fn auth_changes_here(&self) -> u64 {
        self.auth_changes.load(Ordering::Acquire)
    }

    /// Called after a change that moved the revision has committed.
    pub(crate) fn auth_changed_here(&self) {
        self.auth_changes.fetch_add(1, Ordering::AcqRel);
    }
}
