//! Writing an import's changes, all in one transaction, and then planning
//! again the weeks of families whose co-op classes changed.

use std::collections::BTreeSet;

use super::Progress;
use super::plan::Changes;
use super::report::Replanned;
use crate::calendar::{family_today, monday_of};
use crate::error::{Error, Result, is_unique_violation};
use crate::model::Coop;
use crate::services::history::{self, Undo};
use crate::services::planning::{PlanOptions, plan_week};
use crate::store::{Store, Tx};

/// Writes the people and the held kinds' records of `ch` in `tx` (the
/// streamed kinds follow in the same transaction: `stream`).
pub async fn write(tx: &mut Tx, coop: &Coop, ch: &Changes, progress: &Progress) -> Result<()> {
    let total = (ch.insert.len() + ch.update.len() + ch.delete.len()) as u64;
    progress("writing", 0, total);
    let t0 = std::time::Instant::now();
    let lap = |stage: &str| {
        tracing::debug!(
            stage,
            secs = t0.elapsed().as_secs_f64(),
            rss_mib = super::resident_mib(),
            "roster write"
        )
    };
    tx.insert_families(&ch.families).await?;
    for (fam, id) in &ch.remove_students {
        tx.delete_student(fam, id).await?;
    }
    for (fam, id) in &ch.remove_guardians {
        tx.delete_guardian(fam, id).await?;
    }
    for (id, name, email) in &ch.guardian_edits {
        tx.set_guardian_contact(id, name, email.as_deref()).await?;
    }
    for (id, name, grade) in &ch.student_edits {
        tx.set_student_name(id, name, grade.as_deref()).await?;
    }
    for (id, zone) in &ch.time_zones {
        tx.set_family_time_zone(id, zone).await?;
    }
    tx.insert_guardians(&ch.guardians)
        .await
        .map_err(named("guardian"))?;
    tx.insert_students(&ch.students)
        .await
        .map_err(named("child"))?;
    lap("people");
    tx.write_roster(&coop.id, &ch.insert, &ch.update, &ch.delete)
        .await?;
    progress("writing", total, total);
    lap("records");
    Ok(())
}

/// A name a family already uses (a family's own event named like a co-op
/// class, say) is the co-op admin's to sort out, not a database error.
pub(super) fn named(what: &'static str) -> impl Fn(Error) -> Error {
    move |e| match &e {
        Error::Database(db) if is_unique_violation(db) => Error::conflict(format!(
            "a family already has a {what} with the name this import gives one of its {what}s"
        ))
        .with_hint("rename the family's own one, or the class or person in the roster"),
        _ => e,
    }
}

/// One history entry for each family that was there before and changed
/// (`events`: the families whose co-op events changed).
pub async fn note_families(tx: &mut Tx, ch: &Changes, events: &BTreeSet<String>) -> Result<()> {
    let new: BTreeSet<&str> = ch.families.iter().map(|f| f.id.as_str()).collect();
    let mut touched: BTreeSet<&str> = events.iter().map(String::as_str).collect();
    touched.extend(
        ch.remove_students
            .iter()
            .chain(&ch.remove_guardians)
            .map(|(f, _)| f.as_str()),
    );
    touched.extend(ch.guardians.iter().map(|g| g.family_id.as_str()));
    touched.extend(ch.students.iter().map(|s| s.family_id.as_str()));
    touched.extend(ch.time_zones.iter().map(|(f, _)| f.as_str()));
    for fam in touched.into_iter().filter(|f| !new.contains(f)) {
        history::note(
            tx,
            fam,
            "roster_import",
            "the co-op's roster import changed people or co-op classes",
            &Undo::irreversible(),
        )
        .await?;
    }
    Ok(())
}

/// Plans again, from this week on, the weeks already planned for families
/// whose co-op classes changed; a failure is reported, not fatal (the import
/// is committed).
pub async fn replan(
    store: &Store,
    ch: &Changes,
    replan: &BTreeSet<String>,
    today: Option<jiff::civil::Date>,
    progress: &Progress,
) -> Result<Vec<Replanned>> {
    let mut out = Vec::new();
    // A family this import made has no plans yet: nothing to plan again.
    let new: BTreeSet<&str> = ch.families.iter().map(|f| f.id.as_str()).collect();
    let families: Vec<&String> = replan
        .iter()
        .filter(|f| !new.contains(f.as_str()))
        .collect();
    let total = families.len() as u64;
    for (i, fam) in families.into_iter().enumerate() {
        progress("re-planning", i as u64, total);
        let (family, weeks) = {
            let mut tx = store.read().await?;
            let Ok(family) = tx.family(fam).await else {
                continue;
            };
            let day = family_today(&family.time_zone, today);
            let weeks = tx
                .planned_weeks_from(fam, &monday_of(day).to_string())
                .await?;
            (family, (weeks, day))
        };
        let (weeks, day) = weeks;
        for w in weeks {
            let Ok(week) = w.parse() else { continue };
            let opts = PlanOptions {
                actor: store.actor().to_string(),
                today: Some(day),
                ..Default::default()
            };
            let error = plan_week(store, &family, week, &opts)
                .await
                .err()
                .map(|e| e.to_string());
            out.push(Replanned {
                family: family.name.clone(),
                week: w,
                error,
            });
        }
    }
    progress("re-planning", total, total);
    Ok(out)
}
