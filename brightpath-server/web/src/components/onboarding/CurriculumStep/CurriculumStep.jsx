import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'
import { Banner } from '../../common/Banner/index.js'
import { useCurriculumUpload, useList } from '../../../api/family.js'
import { ApiError } from '../../../api/client.js'
import { describe } from '../../../lib/errors.js'

/**
 * Upload a course's lessons as CSV or TOML: "Check" shows the row-by-row
 * report without writing; "Import" writes all rows or none.
 */
export function CurriculumStep({ familyId }) {
  const courses = useList(familyId, 'courses')
  const upload = useCurriculumUpload(familyId)
  const [course, setCourse] = useState('')
  const [format, setFormat] = useState('csv')
  const [text, setText] = useState('')
  const [done, setDone] = useState(/** @type {null|{dryRun: boolean, report: object}} */ (null))
  const chosen = course || courses.data?.[0]?.id || ''
  const send = (dryRun) =>
    upload.mutate(
      { course: chosen, format, text, dryRun },
      { onSuccess: (report) => setDone({ dryRun, report }), onError: () => setDone(null) },
    )
  const rows = upload.error instanceof ApiError ? upload.error.errors : []
  return (
    <section className="stack" aria-labelledby="step-curriculum">
      <h2 id="step-curriculum">Curriculum</h2>
      <p className="muted">
        One lesson a row: CSV with a header (<code>title,minutes</code>) or TOML{' '}
        <code>[[lesson]]</code> tables. Check first: nothing is written until every row is right.
      </p>
      <div className="row">
        <Field
          label="Course"
          as="select"
          value={chosen}
          onChange={(e) => setCourse(e.target.value)}
          options={(courses.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Field
          label="Format"
          as="select"
          value={format}
          onChange={(e) => setFormat(e.target.value)}
          options={[
            { value: 'csv', label: 'CSV' },
            { value: 'toml', label: 'TOML' },
          ]}
        />
        <Field
          label="File"
          type="file"
          accept=".csv,.toml,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0]
            if (!f) return
            setText(await f.text())
            if (f.name.endsWith('.toml')) setFormat('toml')
          }}
        />
      </div>
      <Field label="Lessons" as="textarea" value={text} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <Button
          tone="secondary"
          busy={upload.isPending}
          disabled={!chosen || !text}
          onClick={() => send(true)}
        >
          Check
        </Button>
        <Button busy={upload.isPending} disabled={!chosen || !text} onClick={() => send(false)}>
          Import
        </Button>
      </div>
      {upload.isError && (
        <Banner tone="error" title="Nothing was imported">
          {rows.length === 0 && describe(upload.error)}
        </Banner>
      )}
      {rows.length > 0 && (
        <table aria-label="Rows with problems">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.line ?? ''}</td>
                <td>{r.field ?? r.column ?? ''}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {done && (
        <Banner tone="success" title={done.dryRun ? 'Every row is right' : 'Imported'}>
          {Object.entries(done.report)
            .filter(([, v]) => typeof v !== 'object')
            .map(([k, v]) => `${k}: ${v}`)
            .join(' · ')}
        </Banner>
      )}
    </section>
  )
}

CurriculumStep.propTypes = { familyId: PropTypes.string.isRequired }
