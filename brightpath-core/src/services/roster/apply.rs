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
use crate::store::{Behind, BulkInsert, Fut, Store, Tx};

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
    // The rows are encoded here, not by the task that owns the transaction.
    let hours = super::plan::school_hours();
    let backend = db.backend();
    let people = People {
        families: BulkInsert::families(backend, &ch.families),
        remove_students: std::mem::take(&mut ch.remove_students),
        remove_guardians: std::mem::take(&mut ch.remove_guardians),
        guardian_edits: std::mem::take(&mut ch.guardian_edits),
        student_edits: std::mem::take(&mut ch.student_edits),
        time_zones: std::mem::take(&mut ch.time_zones),
        guardians: BulkInsert::guardians(backend, &ch.guardians, &hours),
        students: BulkInsert::students(backend, &ch.students, &hours),
    };
    super::free_aside((
        std::mem::take(&mut ch.families),
        std::mem::take(&mut ch.guardians),
        std::mem::take(&mut ch.students),
    ));
    let bytes = people.families.bytes() + people.guardians.bytes() + people.students.bytes();
    db.write_sized(bytes, move |tx: &mut Tx| -> Fut<'_, Result<()>> {
        Box::pin(people.write(tx))
    })
    .await?;
    Ok(written)
}

/// The writes of families and people, owned by the statement queue.
struct People {
    families: BulkInsert,
    remove_students: Vec<(String, String)>,
    remove_guardians: Vec<(String, String)>,
    guardian_edits: Vec<(String, String, Option<String>)>,
    student_edits: Vec<(String, String, Option<String>)>,
    time_zones: Vec<(String, String)>,
    guardians: BulkInsert,
    students: BulkInsert,
}

impl People {
    async fn write(self, tx: &mut Tx) -> Result<()> {
        let t0 = std::time::Instant::now();
        tx.insert_bulk(&self.families).await?;
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
        tx.insert_bulk(&self.guardians)
            .await
            .map_err(named("guardian"))?;
        tx.insert_bulk(&self.students)
            .await
            .map_err(named("child"))?;
        tracing::debug!(secs = t0.elapsed().as_secs_f64(), "people written");
        // Freeing 100,000 people's rows is not the database's time.
        super::free_aside(self);
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
