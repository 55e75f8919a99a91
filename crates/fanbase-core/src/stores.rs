//! Stores: the creator's shops whose fans live in this database. A store's `id` is the
//! platform storeId (or a local id); `pk` is the compact local key that customers reference.

use serde::Serialize;

use crate::{Db, Error, Result};

/// A store and the exact number of its fans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Store {
    pub id: String,
    pub name: String,
    pub contacts: i64,
}

/// Every store, by name, with its fan count.
pub async fn list(db: &Db) -> Result<Vec<Store>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.name, (SELECT COUNT(*) FROM customers c WHERE c.store_pk = s.pk)
         FROM stores s ORDER BY s.name COLLATE NOCASE, s.id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id, name, contacts)| Store { id, name, contacts }).collect())
}

/// Adds a store. Refuses an empty id or name and an id that is taken.
pub async fn add(db: &Db, id: &str, name: &str, now: i64) -> Result<Store> {
    let (id, name) = (id.trim(), name.trim());
    if id.is_empty() || name.is_empty() {
        return Err(Error::InvalidArgument("a store needs a non-empty id and name".into()));
    }
    let inserted =
        sqlx::query("INSERT INTO stores (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
            .bind(id)
            .bind(name)
            .bind(now)
            .execute(db.pool())
            .await?;
    if inserted.rows_affected() == 0 {
        return Err(Error::StoreExists(id.to_string()));
    }
    Ok(Store { id: id.to_string(), name: name.to_string(), contacts: 0 })
}

/// The local key of a store, or `StoreNotFound`.
pub async fn pk(db: &Db, id: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT pk FROM stores WHERE id = ?")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::StoreNotFound(id.to_string()))
}

/// The local key of a store, creating it with `name` if it does not exist yet.
pub async fn ensure(db: &Db, id: &str, name: &str, now: i64) -> Result<i64> {
    match add(db, id, name, now).await {
        Ok(_) | Err(Error::StoreExists(_)) => pk(db, id).await,
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn add_then_list_and_refuse_duplicates() {
        let db = Db::open_in_memory().await.unwrap();
        add(&db, "s2", "Beat Lab", 1).await.unwrap();
        add(&db, "s1", "Academy", 1).await.unwrap();
        let names: Vec<_> = list(&db).await.unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["Academy", "Beat Lab"], "stores are listed by name");
        assert!(matches!(add(&db, "s1", "Again", 2).await, Err(Error::StoreExists(_))));
        assert!(matches!(pk(&db, "nope").await, Err(Error::StoreNotFound(_))));
        assert_eq!(ensure(&db, "s1", "ignored", 3).await.unwrap(), pk(&db, "s1").await.unwrap());
    }
}
