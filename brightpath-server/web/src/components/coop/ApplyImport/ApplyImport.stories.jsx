import { ApplyImport } from './ApplyImport.jsx'
import { ImportReportSchema } from '../../../api/schemas.js'
import { importReport } from '../../../test/fixtures.js'

export default { title: 'Coop/ApplyImport', component: ApplyImport }

export const Default = {
  args: {
    report: ImportReportSchema.parse(importReport()),
    fileName: 'roster-december.zip',
    coopName: 'Big Co-op',
    onApply: () => {},
  },
}
