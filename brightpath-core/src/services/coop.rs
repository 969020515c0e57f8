//! Co-ops: create one, put families in it, name its admins.

use serde::Serialize;

use super::school::check_time_zone;
use crate::calendar::WeeklyAvailability;
use crate::error::{Error, Result, is_unique_violation};
use crate::model::{Coop, Family, Guardian, new_id};
use crate::store::Store;

pub async fn create(store: &Store, name: &str, time_zone: &str) -> Result<Coop> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("co-op name", "is empty"));
    }
    check_time_zone(time_zone)?;
    let c = Coop {
        id: new_id(),
        name: name.to_string(),
        time_zone: time_zone.to_string(),
    };
    let mut tx = store.tx().await?;
    tx.insert_coop(&c).await.map_err(|e| match &e {
        Error::Database(db) if is_unique_violation(db) => {
            Error::conflict(format!("a co-op named {name:?} already exists"))
        }
        _ => e,
    })?;
    tx.commit().await?;
    Ok(c)
}

/// Puts `family` in the co-op named by `coop` (name or id).
pub async fn join(store: &Store, family: &Family, coop: &str) -> Result<Coop> {
    let mut tx = store.tx().await?;
    let c = tx.find_coop(coop).await?;
    tx.set_family_coop(&family.id, Some(&c.id)).await?;
    tx.commit().await?;
    Ok(c)
}

/// A family on a co-op's roster: who they are, not their plans.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RosterFamily {
    pub id: String,
    pub name: String,
    pub guardians: Vec<String>,
    pub students: Vec<String>,
}

/// A co-op's roster (its families with their guardians' and children's
/// names), read in one transaction: names only, never plans or records.
pub async fn roster(store: &Store, coop: &str) -> Result<Vec<RosterFamily>> {
    let mut tx = store.read().await?;
    let mut out = Vec::new();
    for f in tx.coop_families(coop).await? {
        let guardians = tx.guardians(&f.id).await?;
        let students = tx.students(&f.id).await?;
        out.push(RosterFamily {
            guardians: guardians.into_iter().map(|g| g.name).collect(),
            students: students.into_iter().map(|s| s.name).collect(),
            id: f.id,
            name: f.name,
        });
    }
    Ok(out)
}

pub async fn leave(store: &Store, family: &Family) -> Result<()> {
    let mut tx = store.tx().await?;
    tx.set_family_coop(&family.id, None).await?;
    tx.commit().await
}

pub async fn add_admin(
    store: &Store,
    coop: &str,
    name: &str,
    email: Option<String>,
) -> Result<Guardian> {
    let mut tx = store.tx().await?;
    let c = tx.find_coop(coop).await?;
    if tx
        .coop_admins(&c.id)
        .await?
        .iter()
        .any(|a| a.name.eq_ignore_ascii_case(name))
    {
        return Err(Error::conflict(format!(
            "{name:?} is already an admin of {}",
            c.name
        )));
    }
    let g = Guardian {
        id: new_id(),
        family_id: String::new(),
        name: name.trim().to_string(),
        email,
        availability: WeeklyAvailability::default(),
        version: 1,
    };
    tx.insert_coop_admin(&c.id, &g).await?;
    tx.commit().await?;
    Ok(g)
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CoopView {
    pub coop: Coop,
    pub families: Vec<String>,
    pub admins: Vec<String>,
}

pub async fn list(store: &Store) -> Result<Vec<CoopView>> {
    let mut tx = store.read().await?;
    let mut out = Vec::new();
    for c in tx.coops().await? {
        let families = tx
            .coop_families(&c.id)
            .await?
            .into_iter()
            .map(|f| f.name)
            .collect();
        let admins = tx
            .coop_admins(&c.id)
            .await?
            .into_iter()
            .map(|a| a.name)
            .collect();
        out.push(CoopView {
            coop: c,
            families,
            admins,
        });
    }
    Ok(out)
}
