//! What every authenticated request asks before its own query, answered from memory: whether its
//! token is still usable (application not revoked, token not revoked), the property in its path
//! (owner, status, time zone), that property's rate provider, and, at the token endpoint, the
//! application a client authenticates as.
//!
//! **Staleness bound: [`STALENESS_BOUND`] (1 s), on every node, on either engine.** Every change
//! that could alter one of these answers moves the database's auth revision in its own
//! transaction ([`wink_store::auth_revision`]). Each node polls the revision every
//! [`POLL_EVERY`] (250 ms) and drops everything it holds when it moved. An answer is served from
//! memory only while the last successful poll *started* less than [`STALENESS_BOUND`] ago: that
//! poll saw every change committed before it started, so nothing older than the bound is ever
//! served; when polls fail or fall behind (database unreachable, node overloaded), every lookup
//! goes to the database until one succeeds again. A change made through this node is seen at
//! once (the store counts them, [`Store::auth_changes_here`]), as before the cache.
//!
//! An answer read from the database is kept only if neither the revision nor this node's count
//! moved while it was being read, so a read that raced a revocation cannot outlive it. Only
//! positive facts that a change must revoke are kept: a property or an application that does not
//! exist is asked again each time (one created on another node is usable at once), and each
//! table holds at most [`MAX_ENTRIES`] (then it starts over), so memory stays bounded whatever
//! callers send.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use uuid::Uuid;
use wink_store::accounts::Application;
use wink_store::properties::PropertyRef;
use wink_store::{Store, StoreError};

/// How often each node reads the revision.
pub const POLL_EVERY: Duration = Duration::from_millis(250);

/// The oldest an answer served from memory may be.
pub const STALENESS_BOUND: Duration = Duration::from_secs(1);

/// Entries each table keeps at most.
pub const MAX_ENTRIES: usize = 100_000;

/// This node's answers, and what they are valid for.
#[derive(Default)]
struct Held {
    /// The revision and this node's change count the entries were read at.
    revision: i64,
    local: u64,
    /// When the last successful poll started (none yet: nothing is served from memory).
    checked: Option<Instant>,
    /// (application, token id) → usable.
    tokens: HashMap<(Uuid, Uuid), bool>,
    applications: HashMap<Uuid, Application>,
    properties: HashMap<Uuid, PropertyRef>,
    /// Property → its rate provider's account (`None`: it has none).
    providers: HashMap<Uuid, Option<Uuid>>,
}

impl Held {
    fn clear(&mut self) {
        self.tokens.clear();
        self.applications.clear();
        self.properties.clear();
        self.providers.clear();
    }
}

/// When an entry was read: kept only if still current once the read is done.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Tag {
    revision: i64,
    local: u64,
}

/// The per-node cache of authentication and ownership answers (in `AppState`).
pub struct AuthCache {
    store: Store,
    held: RwLock<Held>,
}

impl AuthCache {
    /// A cache over `store`, polled every [`POLL_EVERY`] for as long as it is in use.
    pub async fn start(store: &Store) -> Arc<AuthCache> {
        let cache = Arc::new(AuthCache {
            store: store.clone(),
            held: RwLock::new(Held::default()),
        });
        if let Err(e) = cache.poll().await {
            tracing::warn!(error = %e, "reading the auth revision failed; answering from the database until it works");
        }
        let weak = Arc::downgrade(&cache);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            let mut failing = false;
            loop {
                tick.tick().await;
                let Some(cache) = weak.upgrade() else {
                    return;
                };
                match cache.poll().await {
                    Ok(()) => failing = false,
                    Err(e) if !failing => {
                        failing = true;
                        tracing::warn!(error = %e, "reading the auth revision failed; answering from the database until it works");
                    }
                    Err(_) => {}
                }
            }
        });
        cache
    }

    /// Reads the revision, dropping everything held when it (or this node's count) moved.
    pub async fn poll(&self) -> Result<(), StoreError> {
        // The count before the revision: a change of this node committed in between is then
        // seen as moved at the next lookup, never missed.
        let local = self.store.auth_changes_here();
        let started = Instant::now();
        let revision = self.store.auth_revision().await?;
        let mut held = self.write();
        if held.revision != revision || held.local != local {
            held.clear();
            held.revision = revision;
            held.local = local;
        }
        if held.checked.is_none_or(|checked| checked < started) {
            held.checked = Some(started);
        }
        Ok(())
    }

    /// Whether a token of `application` with id `jti` may still be used.
    pub async fn token_usable(&self, application: Uuid, jti: Uuid) -> Result<bool, StoreError> {
        self.through(
            |h| &h.tokens,
            |h| &mut h.tokens,
            (application, jti),
            async { self.store.token_usable(application, jti).await.map(Some) },
        )
        .await
        .map(|usable| usable.unwrap_or(false))
    }

    /// The application (OAuth client) `id`, revoked or not; `None` when there is none.
    pub async fn application(&self, id: Uuid) -> Result<Option<Application>, StoreError> {
        self.through(|h| &h.applications, |h| &mut h.applications, id, async {
            optional(self.store.application(id).await)
        })
        .await
    }

    /// The property `id`; `None` when there is none.
    pub async fn property_ref(&self, id: Uuid) -> Result<Option<PropertyRef>, StoreError> {
        self.through(|h| &h.properties, |h| &mut h.properties, id, async {
            optional(self.store.property_ref(id).await)
        })
        .await
    }

    /// The account of `property`'s rate provider, if it has one.
    pub async fn rate_provider(&self, property: Uuid) -> Result<Option<Uuid>, StoreError> {
        self.through(|h| &h.providers, |h| &mut h.providers, property, async {
            let provider = self.store.rate_provider(property).await?;
            Ok(Some(provider.map(|p| p.account_id)))
        })
        .await
        .map(Option::flatten)
    }

    /// The held answer for `key`, else `load`'s (kept when it is `Some` and still current).
    async fn through<K: Eq + Hash, V: Clone>(
        &self,
        table: fn(&Held) -> &HashMap<K, V>,
        table_mut: fn(&mut Held) -> &mut HashMap<K, V>,
        key: K,
        load: impl Future<Output = Result<Option<V>, StoreError>>,
    ) -> Result<Option<V>, StoreError> {
        let tag = {
            let held = self.read();
            let tag = self.current(&held);
            if tag.is_some()
                && let Some(value) = table(&held).get(&key)
            {
                return Ok(Some(value.clone()));
            }
            tag
        };
        let tag = match tag {
            Some(tag) => Some(tag),
            None => self.catch_up_local(),
        };
        let value = load.await?;
        if let (Some(tag), Some(value)) = (tag, &value) {
            let mut held = self.write();
            if self.current(&held) == Some(tag) {
                let entries = table_mut(&mut held);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
                entries.insert(key, value.clone());
            }
        }
        Ok(value)
    }

    /// The tag of what is held, if it may be served: the last poll recent enough and no change
    /// made here since.
    fn current(&self, held: &Held) -> Option<Tag> {
        let recent = held
            .checked
            .is_some_and(|checked| checked.elapsed() < STALENESS_BOUND);
        (recent && held.local == self.store.auth_changes_here()).then_some(Tag {
            revision: held.revision,
            local: held.local,
        })
    }

    /// After a change made through this node: drops what is held and adopts the new count (the
    /// revision is read at the next poll; entries read from now on are read after the change).
    /// `None` when nothing may be held (no recent poll).
    fn catch_up_local(&self) -> Option<Tag> {
        let local = self.store.auth_changes_here();
        let mut held = self.write();
        if held.local != local {
            held.clear();
            held.local = local;
        }
        self.current(&held)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Held> {
        self.held.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Held> {
        self.held.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn optional<T>(result: Result<T, StoreError>) -> Result<Option<T>, StoreError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}
