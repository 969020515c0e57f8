// zod schemas of every answer the app reads: one module, so a change of the
// server's shapes is mended in one place. Unknown keys are dropped.
import { z } from 'zod'

const id = z.string()
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const clock = z.string().regex(/^\d{2}:\d{2}/)
const maybe = (t) => t.nullable().optional()

export const ProblemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  kind: z.string().optional(),
  hint: maybe(z.string()),
  field: maybe(z.string()),
  errors: maybe(
    z.array(
      z.object({
        line: maybe(z.number()),
        column: maybe(z.number()),
        field: maybe(z.string()),
        message: z.string(),
      }),
    ),
  ),
})

/** How people may sign in here (`GET /sign-in-options`, no session needed). */
export const SignInOptionsSchema = z.object({ provider: z.boolean() })

export const MeSchema = z.object({
  actor: z.string(),
  session_expires_at: maybe(z.string()),
  signed_in_with: z.string(),
  families: maybe(z.array(z.object({ id, name: z.string(), role: z.string() }))),
  needs_onboarding: maybe(z.boolean()),
})

export const FamilySchema = z.object({
  id,
  name: z.string(),
  time_zone: z.string(),
  version: maybe(z.number()),
})

/** Lists answer {items, next_cursor}; older builds answered a bare array. */
export const listOf = (item) =>
  z
    .union([z.object({ items: z.array(item), next_cursor: maybe(z.string()) }), z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : v.items))

export const FamiliesSchema = listOf(FamilySchema)

export const SessionStatus = z.enum(['planned', 'done', 'partial', 'skipped', 'moved', 'cancelled'])

export const SessionSchema = z.object({
  id,
  date,
  start: clock,
  end: clock,
  course: z.string(),
  subject: z.string(),
  lesson: maybe(z.string()),
  lesson_seq: maybe(z.number()),
  students: z.array(z.string()),
  student_ids: z.array(id),
  teacher: maybe(z.string()),
  status: z.string(),
  pinned: z.boolean(),
  version: z.number(),
  minutes: z.number(),
  actual_minutes: maybe(z.number()),
  engagement: maybe(z.number()),
  difficulty: maybe(z.number()),
  grade: maybe(z.string()),
  note: maybe(z.string()),
})

export const PersonSchema = z.object({ id, name: z.string() })

export const UnscheduledSchema = z.object({
  course: z.string(),
  missing: z.number(),
  reason: z.string(),
  students: z.array(z.string()),
})

export const ScoreSchema = z.object({ total: z.number() }).catchall(z.number())

export const WeekSchema = z.object({
  family: z.string(),
  week_start: date,
  days: z.array(
    z.object({ date, weekday: z.string(), school_day: z.boolean(), off: maybe(z.string()) }),
  ),
  students: z.array(PersonSchema),
  guardians: z.array(PersonSchema),
  sessions: z.array(SessionSchema),
  events: z.array(
    z.object({
      date,
      start: clock,
      end: clock,
      name: z.string(),
      away: z.boolean(),
      students: z.array(z.string()),
      student_ids: z.array(id),
      guardians: z.array(z.string()),
      guardian_ids: z.array(id),
    }),
  ),
  planned: z.boolean(),
  score: maybe(ScoreSchema),
  unscheduled: z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(UnscheduledSchema)),
  plan_version: z.number(),
})

export const ChangeSchema = z.object({
  message: z.string(),
  sessions: z.array(id).optional(),
})

export const WhySchema = z.object({ session: id, lines: z.array(z.string()) })

export const PlanOutcomeSchema = z.object({
  week_start: date,
  score: maybe(ScoreSchema),
  planned: z.number().optional(),
  kept: z.number().optional(),
  replaced: z.number().optional(),
  unscheduled: z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(UnscheduledSchema)),
  dry_run: z.boolean().optional(),
  diff: z.array(z.unknown()).optional(),
})

/**
 * What a day off or catch-up did or would do: a summary and the re-plans
 * (day off: `outcomes`, catch-up: `outcome`), read as one list of diff lines.
 */
const OutcomeDiff = z.object({ diff: z.array(z.string()).optional() }).passthrough()
export const MovesSchema = z
  .object({
    summary: z.object({ message: z.string() }).passthrough().optional(),
    outcome: OutcomeDiff.optional(),
    outcomes: z.array(OutcomeDiff).optional(),
  })
  .passthrough()
  .transform((v) => ({
    ...v,
    message: v.summary?.message,
    diff: [v.outcome, ...(v.outcomes ?? [])].flatMap((o) => o?.diff ?? []),
  }))

export const PacingSchema = z.array(
  z.object({
    student: z.string(),
    course: z.string(),
    total: z.number(),
    done: z.number(),
    expected: z.number(),
    behind: z.number(),
    remaining: z.number(),
    projected_finish: maybe(date),
    year_end: maybe(date),
    on_track: z.boolean(),
    suggestion: maybe(z.string()),
  }),
)

export const GuardianSchema = z
  .object({ id, name: z.string(), email: maybe(z.string()) })
  .passthrough()
export const StudentSchema = z
  .object({ id, name: z.string(), birth_date: maybe(z.string()), grade: maybe(z.unknown()) })
  .passthrough()
export const CourseSchema = z
  .object({ id, name: z.string(), subject: maybe(z.string()) })
  .passthrough()
export const AnyRowSchema = z.object({ id }).passthrough()

export const CurriculumReportSchema = z
  .object({
    rows: maybe(z.number()),
    added: maybe(z.number()),
    errors: maybe(
      z.array(z.object({ line: maybe(z.number()), message: z.string() }).passthrough()),
    ),
  })
  .passthrough()

export const TokenSchema = z
  .object({ id, name: z.string(), scope: z.string(), token: maybe(z.string()) })
  .passthrough()
export const FeedSchema = z.object({ id, url: maybe(z.string()) }).passthrough()
export const InvitationSchema = z.object({ url: z.string(), expires_at: maybe(z.string()) })

/** A child's hours and attendance against the year's targets (reports/hours|attendance). */
export const RecordsSchema = z.array(
  z
    .object({
      student: z.string(),
      from: maybe(z.string()),
      to: maybe(z.string()),
      days_attended: z.number(),
      school_days: maybe(z.number()),
      total_minutes: z.number(),
      core_minutes: z.number(),
      elective_minutes: z.number(),
      home_minutes: z.number(),
      away_minutes: z.number(),
      minutes_by_subject: z.record(z.string(), z.number()),
      target_days: maybe(z.number()),
      target_hours: maybe(z.number()),
      target_core_hours: maybe(z.number()),
    })
    .passthrough(),
)

/** What the feedback taught (`GET …/insights`); only what the page shows is checked. */
export const InsightsSchema = z
  .object({
    lengths: z.object({ reason: z.string() }).passthrough(),
    suggestions: z.array(z.string()),
    course_lengths: z.array(
      z
        .object({
          child: z.string(),
          course: z.string(),
          n: z.number(),
          planned: z.number(),
          learned_minutes: z.number(),
        })
        .passthrough(),
    ),
  })
  .passthrough()

// ---- co-ops and their roster imports ----

/** A co-op the caller administers (`GET /coops` answers a bare array). */
export const CoopSchema = z.object({ id, name: z.string(), time_zone: maybe(z.string()) })
export const CoopsSchema = listOf(CoopSchema)

/** One page of a list: `{items, next_cursor}` (null on the last page). */
export const pageOf = (item) => z.object({ items: z.array(item), next_cursor: maybe(z.string()) })

/** A family of the co-op's roster (`GET /coops/{coop}/families`): names only, never plans. */
export const RosterFamilySchema = z.object({
  id,
  name: z.string(),
  guardians: z.array(z.string()).catch([]),
  students: z.array(z.string()).catch([]),
})

/** When a class meets: `day` is `mon`…`sun`, times `HH:MM` in the co-op's zone. */
export const ClassMeetingSchema = z.object({
  day: z.string(),
  start: z.string(),
  end: z.string(),
  place: maybe(z.string()),
})

/** A co-op class (`GET /coops/{coop}/classes`): its course, meetings, teachers and children. */
export const CoopClassSchema = z.object({
  sourced_id: id,
  title: z.string(),
  course: maybe(z.string()),
  meetings: z.array(ClassMeetingSchema).catch([]),
  teachers: z.array(z.string()).catch([]),
  students: z.array(z.object({ name: z.string(), family: maybe(z.string()) })).catch([]),
})

/** `202` of an upload (dry run) or an apply: the upload and the job that works on it. */
export const ImportStartedSchema = z.object({
  import: id,
  job: id,
  url: maybe(z.string()),
  dry_run: z.boolean(),
})

/** One uploaded roster file (`GET /coops/{coop}/imports`, newest first). */
export const ImportSchema = z.object({
  id,
  file_name: z.string(),
  bytes: z.number(),
  uploaded_at: z.string(),
  uploaded_by: maybe(z.string()),
  applied_at: maybe(z.string()),
})
export const ImportsSchema = listOf(ImportSchema)

/** A bad (problem) or doubtful (warning) row: where, what, and how to mend it. */
export const RowProblemSchema = z.object({
  file: z.string(),
  line: maybe(z.number()),
  column: maybe(z.string()),
  message: z.string(),
  fix: maybe(z.string()),
})

const ids = z.array(z.string()).catch([])

/** Created, updated, unchanged and removed for one kind, with at most 20 example ids each. */
export const KindDiffSchema = z.object({
  created: z.number().catch(0),
  updated: z.number().catch(0),
  unchanged: z.number().catch(0),
  removed: z.number().catch(0),
  examples: z
    .object({ created: ids, updated: ids, removed: ids })
    .partial()
    .nullable()
    .optional()
    .transform((e) => ({
      created: e?.created ?? [],
      updated: e?.updated ?? [],
      removed: e?.removed ?? [],
    })),
})

/** What a roster import did, or (dry run) would do. */
export const ImportReportSchema = z
  .object({
    coop: z.string(),
    dry_run: z.boolean(),
    version: maybe(z.string()),
    refused: z.boolean().optional(),
    changed: z.boolean().optional(),
    changes: z.record(z.string(), KindDiffSchema).catch({}),
    problems: z.array(RowProblemSchema).catch([]),
    problems_total: maybe(z.number()),
    warnings: z.array(RowProblemSchema).catch([]),
    warnings_total: maybe(z.number()),
    replanned: z
      .array(z.object({ family: z.string(), week: z.string(), error: maybe(z.string()) }))
      .catch([]),
  })
  .transform((r) => {
    const kinds = Object.values(r.changes)
    return {
      ...r,
      refused: r.refused ?? r.problems.length > 0,
      changed: r.changed ?? kinds.some((k) => k.created + k.updated + k.removed > 0),
      problems_total: r.problems_total ?? r.problems.length,
      warnings_total: r.warnings_total ?? r.warnings.length,
    }
  })

/** A background job (`GET /jobs/{id}`); a roster import's result is its report. */
export const JobSchema = z.object({
  id,
  kind: z.string(),
  /** `queued`, `running`, `succeeded`, `failed` or `dead`. */
  status: z.string(),
  attempts: z.number().optional(),
  created_at: maybe(z.string()),
  finished_at: maybe(z.string()),
  error: maybe(z.string()),
  result: z.unknown().optional(),
})
