//! Writing an import's changes, all in one transaction, and then planning
//! again the weeks of families whose co-op classes changed.

use std::collections::BTreeSet;

use super::Progress;
use super::plan::Changes;
use super::report::Replanned;
use crate::calendar::{family_today, monday_of};
use crate::error::{Error, Result, is_unique_violation};
use crate::services::history::{self, Undo};
use crate::services::planning::{PlanOptions, plan_week};
use crate::store::{Behind, BulkInsert, Fut, Store, Tx, bulk};

/// What the notes and the re-planning need of what was written.
#[derive(Debug, Default)]
pub struct Written {
    /// Families this import made.
    pub new_families: BTreeSet<String>,
    /// Families whose people changed.
    pub touched: BTreeSet<String>,
}

/// Queues the writes of the families and people of `ch` (moved out of it)
/// to `db`; the records follow in the same transaction (`stream`) while
/// these run.
pub async fn write(db: &Behind, ch: &mut Changes, progress: &Progress) -> Result<Written> {
    let mut written = Written {
        new_families: ch.families.iter().map(|f| f.id.clone()).collect(),
        touched: BTreeSet::new(),
    };
    written.touched.extend(
        ch.remove_students
            .iter()
            .chain(&ch.remove_guardians)
            .map(|(f, _)| f.clone()),
    );
    written
        .touched
        .extend(ch.guardians.iter().map(|g| g.family_id.clone()));
    written
        .touched
        .extend(ch.students.iter().map(|s| s.family_id.clone()));
    written
        .touched
        .extend(ch.time_zones.iter().map(|(f, _)| f.clone()));
    progress("writing", 0, 1);
    // Families first, then the changes to people there were, then the new
    // people. Each part of the inserts is encoded here as it is queued, not
    // by the task that owns the transaction (the database would wait for it).
    let backend = db.backend();
    for part in ch.families.chunks(bulk::ROWS) {
        queue(db, BulkInsert::families(backend, part), "family").await?;
    }
    let edits = Edits {
        remove_students: std::mem::take(&mut ch.remove_students),
        remove_guardians: std::mem::take(&mut ch.remove_guardians),
        guardian_edits: std::mem::take(&mut ch.guardian_edits),
        student_edits: std::mem::take(&mut ch.student_edits),
        time_zones: std::mem::take(&mut ch.time_zones),
    };
    db.write(move |tx: &mut Tx| -> Fut<'_, Result<()>> { Box::pin(edits.write(tx)) })
        .await?;
    let hours = super::plan::school_hours();
    for part in ch.guardians.chunks(bulk::ROWS) {
        let rows = BulkInsert::guardians(backend, part, &hours);
        queue(db, rows, "guardian").await?;
    }
    for part in ch.students.chunks(bulk::ROWS) {
        queue(db, BulkInsert::students(backend, part, &hours), "child").await?;
    }
    // Freeing 100,000 people's strings is not the import's time.
    super::free_aside((
        std::mem::take(&mut ch.families),
        std::mem::take(&mut ch.guardians),
        std::mem::take(&mut ch.students),
    ));
    Ok(written)
}

/// Queues a bulk insert of `what`s (a name one is given may be taken).
pub(super) async fn queue(db: &Behind, rows: BulkInsert, what: &'static str) -> Result<()> {
    db.write_sized(rows.bytes(), move |tx: &mut Tx| -> Fut<'_, Result<()>> {
        Box::pin(async move { tx.insert_bulk(&rows).await.map_err(named(what)) })
    })
    .await
}

/// The changes to people and families there were, owned by the statement queue.
struct Edits {
    remove_students: Vec<(String, String)>,
    remove_guardians: Vec<(String, String)>,
    guardian_edits: Vec<(String, String, Option<String>)>,
    student_edits: Vec<(String, String, Option<String>)>,
    time_zones: Vec<(String, String)>,
}

impl Edits {
    async fn write(self, tx: &mut Tx) -> Result<()> {
        for (fam, id) in &self.remove_students {
            tx.delete_student(fam, id).await?;
        }
        for (fam, id) in &self.remove_guardians {
            tx.delete_guardian(fam, id).await?;
        }
        for (id, name, email) in &self.guardian_edits {
            tx.set_guardian_contact(id, name, email.as_deref()).await?;
        }
        for (id, name, grade) in &self.student_edits {
            tx.set_student_name(id, name, grade.as_deref()).await?;
        }
        for (id, zone) in &self.time_zones {
            tx.set_family_time_zone(id, zone).await?;
        }
        Ok(())
    }
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
pub async fn note_families(
    tx: &mut Tx,
    written: &Written,
    events: &BTreeSet<String>,
) -> Result<()> {
    let new = &written.new_families;
    let touched: BTreeSet<&String> = events.iter().chain(&written.touched).collect();
    for fam in touched.into_iter().filter(|f| !new.contains(*f)) {
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
    written: &Written,
    replan: &BTreeSet<String>,
    today: Option<jiff::civil::Date>,
    progress: &Progress,
) -> Result<Vec<Replanned>> {
    let mut out = Vec::new();
    // A family this import made has no plans yet: nothing to plan again.
    let families: Vec<&String> = replan
        .iter()
        .filter(|f| !written.new_families.contains(*f))
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
