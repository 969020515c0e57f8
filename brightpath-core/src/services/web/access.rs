//! Who may use which family, and how much of it. Every surface that serves
//! more than one person asks here; it never takes a family from a request
//! alone. A local session (one parent's own computer) may use every family
//! of its database. A provider's session or token is walled to the
//! families where its verified e-mail is a guardian's (everything) or a
//! student's login (that child's plan and marks); co-op admins see their
//! co-op's roster, not families' plans. Another tenant's family is "not
//! found", exactly like one that does not exist.

use super::{Scope, Via, WebSession};
use crate::error::{Error, Result};
use crate::model::{Coop, Family, Guardian};
use crate::services::lists;
use crate::services::school::{self, GuardianInput, NewFamily};
use crate::store::Store;

/// What a caller may do in one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// A local session: the parent's own database.
    Everything,
    /// A guardian of the family: the whole school.
    Guardian,
    /// A student's own login: their plan and their marks.
    Student { student_id: String },
}

/// A family the caller may use, and how.
#[derive(Debug, Clone)]
pub struct Membership {
    pub family: Family,
    pub access: Access,
}

/// A family in the caller's list, with their role in it.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FamilyRole {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    /// `local` (this computer's parent), `guardian` or `student`.
    pub role: String,
    /// For a student's login: which child they are.
    pub student_id: Option<String>,
}

impl Membership {
    /// The family, when the caller may change its school (guardians and
    /// the local parent); a student's login is refused.
    pub fn school(&self) -> Result<&Family> {
        match self.access {
            Access::Everything | Access::Guardian => Ok(&self.family),
            Access::Student { .. } => Err(Error::forbidden(
                "a student's login may read their own plan and mark their own lessons, nothing else",
            )
            .with_hint("ask a parent to make this change")),
        }
    }

    /// The child a student's login is, if it is one.
    pub fn student(&self) -> Option<&str> {
        match &self.access {
            Access::Student { student_id } => Some(student_id),
            _ => None,
        }
    }

    pub fn role(&self) -> FamilyRole {
        let (role, student_id) = match &self.access {
            Access::Everything => ("local", None),
            Access::Guardian => ("guardian", None),
            Access::Student { student_id } => ("student", Some(student_id.clone())),
        };
        FamilyRole {
            id: self.family.id.clone(),
            name: self.family.name.clone(),
            time_zone: self.family.time_zone.clone(),
            role: role.into(),
            student_id,
        }
    }
}

/// Every family the caller may use, by name.
pub async fn memberships(store: &Store, session: &WebSession) -> Result<Vec<Membership>> {
    if !session.walled {
        return Ok(lists::families(store)
            .await?
            .into_iter()
            .map(|family| Membership {
                family,
                access: Access::Everything,
            })
            .collect());
    }
    let mut out: Vec<Membership> = lists::families_of_email(store, &session.actor)
        .await?
        .into_iter()
        .map(|family| Membership {
            family,
            access: Access::Guardian,
        })
        .collect();
    let logins = store
        .read()
        .await?
        .student_logins_of(&session.actor)
        .await?;
    for (family_id, student_id) in logins {
        if out.iter().any(|m| m.family.id == family_id) {
            continue; // a guardian's access covers the child's
        }
        let family = lists::family_by_id(store, &family_id).await?;
        out.push(Membership {
            family,
            access: Access::Student { student_id },
        });
    }
    out.sort_by(|a, b| (&a.family.name, &a.family.id).cmp(&(&b.family.name, &b.family.id)));
    Ok(out)
}

/// The caller's families (the list `GET /families` shows).
pub async fn families_for(store: &Store, session: &WebSession) -> Result<Vec<Family>> {
    Ok(memberships(store, session)
        .await?
        .into_iter()
        .map(|m| m.family)
        .collect())
}

/// The family `id`, if the caller may use it.
pub async fn family_for(store: &Store, session: &WebSession, id: &str) -> Result<Membership> {
    if !session.walled {
        return Ok(Membership {
            family: lists::family_by_id(store, id).await?,
            access: Access::Everything,
        });
    }
    memberships(store, session)
        .await?
        .into_iter()
        .find(|m| m.family.id == id)
        .ok_or_else(|| Error::not_found("family", id))
}

/// The co-ops whose admin the caller is (a local session: every co-op).
pub async fn coops_for(store: &Store, session: &WebSession) -> Result<Vec<Coop>> {
    let mut tx = store.read().await?;
    if !session.walled {
        return tx.coops().await;
    }
    tx.coops_of_admin(&session.actor).await
}

/// The co-op `id` if the caller administers it (a local session: any) and
/// may do what needs `need`; a co-op they do not administer is "not
/// found", so its existence is not given away.
pub async fn admin_coop(
    store: &Store,
    session: &WebSession,
    id: &str,
    need: Scope,
) -> Result<Coop> {
    session.require(need)?;
    coops_for(store, session)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::not_found("co-op", id))
}

/// Onboarding: a new family whose first guardian is the caller (with
/// their verified e-mail, so their sessions find it). A local session
/// names the guardian; it has no e-mail.
pub async fn start_family(
    store: &Store,
    session: &WebSession,
    family: NewFamily,
    guardian_name: Option<&str>,
) -> Result<(Family, Guardian)> {
    session.require(Scope::Write)?;
    let (name, email) = match (session.via, guardian_name) {
        (Via::LocalLink, Some(n)) => (n.to_string(), None),
        (Via::LocalLink, None) => {
            return Err(Error::invalid("guardian_name", "is missing")
                .with_hint("name the family's first parent"));
        }
        (_, n) => (
            n.map(str::to_string)
                .unwrap_or_else(|| name_from_email(&session.actor)),
            Some(session.actor.clone()),
        ),
    };
    let f = school::create_tenant_family(store, family).await?;
    let g = school::add_guardian(
        store,
        &f.id,
        GuardianInput {
            name,
            email,
            availability: crate::calendar::WeeklyAvailability::default(),
        },
    )
    .await;
    match g {
        Ok(g) => Ok((f, g)),
        Err(e) => {
            // Nothing half-made: a family without its guardian is nobody's.
            let mut tx = store.tx().await?;
            tx.delete_family(&f.id).await?;
            tx.commit().await?;
            Err(e)
        }
    }
}

/// "ada.lovelace@example.org" → "Ada Lovelace".
pub(super) fn name_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let words: Vec<String> = local
        .split(['.', '_', '-', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "Parent".into()
    } else {
        words.join(" ")
    }
}

/// Gives a student their own login by e-mail (or removes it with `None`).
pub async fn set_student_login(
    store: &Store,
    family: &Family,
    student: &str,
    email: Option<&str>,
) -> Result<()> {
    let s = lists::find_student(store, &family.id, student).await?;
    if let Some(e) = email
        && !looks_like_email(e)
    {
        return Err(Error::invalid(
            "email",
            format!("{e:?} is not an e-mail address"),
        ));
    }
    let mut tx = store.write(&family.id).await?;
    tx.set_student_login(&family.id, &s.id, email).await?;
    tx.commit().await
}

/// A family's students' own logins: (student id, e-mail).
pub async fn student_logins(store: &Store, family: &str) -> Result<Vec<(String, String)>> {
    store.read().await?.student_logins(family).await
}

pub(super) fn looks_like_email(e: &str) -> bool {
    let e = e.trim();
    matches!(e.split_once('@'), Some((a, b)) if !a.is_empty() && b.contains('.') && !e.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_emails() {
        assert_eq!(name_from_email("ada.lovelace@example.org"), "Ada Lovelace");
        assert_eq!(name_from_email("@x"), "Parent");
        assert!(looks_like_email("a@b.org"));
        assert!(!looks_like_email("a b@c.org"));
        assert!(!looks_like_email("nope"));
    }
}
