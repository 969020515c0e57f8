// Query keys, one place, so invalidation matches what the hooks read.
export const keys = {
  me: ['me'],
  signInOptions: ['sign-in-options'],
  families: ['families'],
  family: (fid) => ['family', fid],
  week: (fid, date) => ['week', fid, date ?? 'current'],
  weeks: (fid) => ['week', fid],
  why: (fid, sid) => ['why', fid, sid],
  progress: (fid) => ['progress', fid],
  insights: (fid) => ['insights', fid],
  list: (fid, resource) => ['list', fid, resource],
  report: (fid, kind) => ['report', fid, kind],
  tokens: ['tokens'],
  coops: ['coops'],
  imports: (cid) => ['imports', cid],
  /** Everything read from a co-op's imported roster (invalidated after an apply). */
  coopRoster: (cid) => ['coop-roster', cid],
  rosterFamilies: (cid) => ['coop-roster', cid, 'families'],
  coopClasses: (cid) => ['coop-roster', cid, 'classes'],
  job: (jid) => ['job', jid],
}
