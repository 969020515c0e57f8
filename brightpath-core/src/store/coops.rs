//! Co-ops: groups of families with their own admins (the tenant of co-op-wide
//! records such as shared classes and bulk imports).

use sqlx::any::AnyRow;

use super::rows::*;
use super::{Tx, pick};
use crate::calendar::WeeklyAvailability;
use crate::error::{Error, Result};
use crate::model::{Coop, Guardian, Role};

fn coop(row: &AnyRow) -> Result<Coop> {
    Ok(Coop {
        id: text(row, "id")?,
        name: text(row, "name")?,
        time_zone: text(row, "time_zone")?,
    })
}

impl Tx {
    pub async fn insert_coop(&mut self, c: &Coop) -> Result<()> {
        sqlx::query("INSERT INTO coops (id, name, time_zone, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&c.id)
            .bind(&c.name)
            .bind(&c.time_zone)
            .bind(now())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn coops(&mut self) -> Result<Vec<Coop>> {
        sqlx::query("SELECT * FROM coops ORDER BY name")
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(coop)
            .collect()
    }

    /// The co-ops where `email` is an admin's.
    pub async fn coops_of_admin(&mut self, email: &str) -> Result<Vec<Coop>> {
        sqlx::query(
            "SELECT DISTINCT c.* FROM coops c JOIN people p ON p.coop_id = c.id
             WHERE p.role = $1 AND lower(p.email) = lower($2) ORDER BY c.name",
        )
        .bind(Role::CoopAdmin.as_str())
        .bind(email.trim())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(coop)
        .collect()
    }

    pub async fn find_coop(&mut self, key: &str) -> Result<Coop> {
        let all = self.coops().await?;
        pick(&all, key, "co-op", |c| &c.id, |c| &c.name).cloned()
    }

    /// Puts a family in a co-op (or takes it out with `None`).
    pub async fn set_family_coop(&mut self, family: &str, coop: Option<&str>) -> Result<()> {
        let n =
            sqlx::query("UPDATE families SET coop_id = $1, version = version + 1 WHERE id = $2")
                .bind(coop.map(str::to_string))
                .bind(family)
                .execute(self.conn())
                .await?
                .rows_affected();
        if n == 0 {
            return Err(Error::not_found("family", family));
        }
        Ok(())
    }

    /// A co-op admin is a person of the co-op (not of a family).
    pub async fn insert_coop_admin(&mut self, coop: &str, g: &Guardian) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (id, coop_id, name, email, role, availability, version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
        )
        .bind(&g.id)
        .bind(coop)
        .bind(&g.name)
        .bind(g.email.clone())
        .bind(Role::CoopAdmin.as_str())
        .bind(g.availability.to_json())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn coop_admins(&mut self, coop: &str) -> Result<Vec<Guardian>> {
        let rows =
            sqlx::query("SELECT * FROM people WHERE coop_id = $1 AND role = $2 ORDER BY name")
                .bind(coop)
                .bind(Role::CoopAdmin.as_str())
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Guardian {
                    id: text(r, "id")?,
                    family_id: String::new(),
                    name: text(r, "name")?,
                    email: opt_text(r, "email")?,
                    availability: WeeklyAvailability::from_json(&text(r, "availability")?)?,
                    version: int(r, "version")?,
                })
            })
            .collect()
    }

    /// The families of a co-op.
    pub async fn coop_families(&mut self, coop: &str) -> Result<Vec<crate::model::Family>> {
        Ok(self
            .all_families()
            .await?
            .into_iter()
            .filter(|f| f.coop_id.as_deref() == Some(coop))
            .collect())
    }
}
