//! Invitations: single-use, expiring links. A guardian invites another
//! guardian into the family; a co-op admin invites a family into the
//! co-op. The person accepting signs in with their provider first, so the
//! family learns their verified e-mail, not one typed by the inviter.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::access::{Membership, looks_like_email};
use super::{Scope, WebSession, issue, take};
use crate::calendar::WeeklyAvailability;
use crate::error::{Error, Result};
use crate::model::Family;
use crate::services::school::{self, GuardianInput};
use crate::services::{coop, lists};
use crate::store::Store;

const INVITATION: &str = "invitation";
/// How long an invitation link works.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 7);

/// What accepting an invitation does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum InvitationKind {
    /// Become a guardian of the family.
    Guardian { family_id: String },
    /// Bring one's family into the co-op.
    Coop { coop_id: String },
}

/// An invitation just made: its secret is in `token` (the link carries it).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Invitation {
    pub token: String,
    pub expires_at: String,
    /// Who it is meant for, when the inviter said (only that e-mail may accept).
    pub email: Option<String>,
    #[serde(flatten)]
    pub kind: InvitationKind,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    #[serde(flatten)]
    kind: InvitationKind,
    email: Option<String>,
    by: String,
}

async fn make(
    store: &Store,
    session: &WebSession,
    kind: InvitationKind,
    email: Option<&str>,
    now: Timestamp,
) -> Result<Invitation> {
    session.require(Scope::Admin)?;
    let email = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if let Some(e) = &email
        && !looks_like_email(e)
    {
        return Err(Error::invalid(
            "email",
            format!("{e:?} is not an e-mail address"),
        ));
    }
    let payload = serde_json::to_string(&Payload {
        kind: kind.clone(),
        email: email.clone(),
        by: session.actor.clone(),
    })
    .map_err(|e| Error::Internal(e.to_string()))?;
    let token = issue(store, INVITATION, &payload, now, INVITATION_LIFETIME).await?;
    let expires = now
        .checked_add(INVITATION_LIFETIME)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Invitation {
        token,
        expires_at: super::stamp(expires),
        email,
        kind,
    })
}

/// An invitation to become a guardian of the caller's family.
pub async fn invite_guardian(
    store: &Store,
    session: &WebSession,
    family: &Membership,
    email: Option<&str>,
    now: Timestamp,
) -> Result<Invitation> {
    let f = family.school()?;
    let kind = InvitationKind::Guardian {
        family_id: f.id.clone(),
    };
    make(store, session, kind, email, now).await
}

/// An invitation into a co-op the caller administers.
pub async fn invite_to_coop(
    store: &Store,
    session: &WebSession,
    coop_id: &str,
    email: Option<&str>,
    now: Timestamp,
) -> Result<Invitation> {
    let c = super::admin_coop(store, session, coop_id, Scope::Admin).await?;
    let kind = InvitationKind::Coop { coop_id: c.id };
    make(store, session, kind, email, now).await
}

/// Accepts an invitation (once). A guardian's invitation adds the caller,
/// by their verified e-mail, to the family (`name`: how the family calls
/// them); a co-op's brings the caller's family `family` into the co-op.
pub async fn accept_invitation(
    store: &Store,
    session: &WebSession,
    token: &str,
    name: Option<&str>,
    family: Option<&str>,
    now: Timestamp,
) -> Result<Family> {
    session.require(Scope::Write)?;
    if !session.walled {
        return Err(Error::invalid(
            "invitation",
            "an invitation is accepted by a person signed in with their own account",
        )
        .with_hint("sign in with Google (not the one-time link) and open the invitation again"));
    }
    // Peek before taking: a refusal below must leave the link usable.
    let digest = super::digest(token);
    let peek = store.read().await?.web_token(&digest).await?;
    let Some(stored) = peek.filter(|t| t.kind == INVITATION && t.expires_at >= super::stamp(now))
    else {
        return Err(
            Error::invalid("invitation", "this invitation is unknown, used or expired")
                .with_hint("ask for a new one"),
        );
    };
    let p: Payload =
        serde_json::from_str(&stored.actor).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(e) = &p.email
        && !e.eq_ignore_ascii_case(&session.actor)
    {
        return Err(Error::forbidden(format!(
            "this invitation is for another e-mail address than {}",
            session.actor
        ))
        .with_hint("sign in with the account the invitation was sent to"));
    }
    match &p.kind {
        InvitationKind::Guardian { family_id } => {
            let f = lists::family_by_id(store, family_id).await?;
            let already = lists::guardians(store, &f.id).await?.into_iter().any(|g| {
                g.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(&session.actor))
            });
            if already {
                return Err(Error::conflict(format!(
                    "{} is already a guardian of {}",
                    session.actor, f.name
                )));
            }
            take(store, token, INVITATION, now)
                .await?
                .ok_or_else(|| Error::conflict("this invitation was just used"))?;
            let name = name
                .map(str::to_string)
                .unwrap_or_else(|| super::access::name_from_email(&session.actor));
            school::add_guardian(
                &store.acting_as(&session.actor),
                &f.id,
                GuardianInput {
                    name,
                    email: Some(session.actor.clone()),
                    availability: WeeklyAvailability::default(),
                },
            )
            .await?;
            Ok(f)
        }
        InvitationKind::Coop { coop_id } => {
            let Some(fid) = family else {
                return Err(Error::invalid("family", "is missing")
                    .with_hint("say which of your families joins the co-op"));
            };
            let m = super::family_for(store, session, fid).await?;
            let f = m.school()?.clone();
            take(store, token, INVITATION, now)
                .await?
                .ok_or_else(|| Error::conflict("this invitation was just used"))?;
            coop::join(store, &f, coop_id).await?;
            lists::family_by_id(store, &f.id).await
        }
    }
}
