import { ImportDiff } from './ImportDiff.jsx'
import { ImportReportSchema } from '../../../api/schemas.js'
import { appliedReport, importReport, refusedReport } from '../../../test/fixtures.js'

export default { title: 'Coop/ImportDiff', component: ImportDiff }

const read = (r) => ImportReportSchema.parse(r)

export const DryRun = { args: { report: read(importReport()) } }
export const Refused = { args: { report: read(refusedReport()) } }
export const NothingToChange = {
  args: {
    report: read(
      importReport({
        changed: false,
        warnings: [],
        warnings_total: 0,
        changes: {
          users: { created: 0, updated: 0, unchanged: 4125, removed: 0, examples: {} },
          classes: { created: 0, updated: 0, unchanged: 34, removed: 0, examples: {} },
        },
      }),
    ),
  },
}
export const Applied = { args: { report: read(appliedReport()) } }
export const ManyProblems = {
  args: {
    report: read({
      ...refusedReport(),
      problems: Array.from({ length: 40 }, (_, i) => ({
        file: 'users.csv',
        line: i + 2,
        column: 'grades',
        message: `grade "K${i}" is not a grade`,
        fix: 'use KG, 01 … 12 (CEDS grade levels)',
      })),
      problems_total: 1840,
    }),
  },
}
