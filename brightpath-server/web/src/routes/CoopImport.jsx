import { useEffect, useRef } from 'react'
import PropTypes from 'prop-types'
import { Link } from 'react-router'
import { useImports } from '../api/coop.js'
import { describe } from '../lib/errors.js'
import { Banner } from '../components/common/Banner/index.js'
import { Button } from '../components/common/Button/index.js'
import { ZipPicker } from '../components/coop/ZipPicker/index.js'
import { ImportDiff } from '../components/coop/ImportDiff/index.js'
import { ApplyImport } from '../components/coop/ApplyImport/index.js'
import { ImportHistory } from '../components/coop/ImportHistory/index.js'
import { useImportFlow } from './useImportFlow.js'
import { CoopPage } from '../components/coop/CoopPage/index.js'
import styles from './CoopImport.module.css'

/** The upload's bar (bytes sent), then the job's (no end known). */
function Progress({ flow }) {
  if (flow.phase === 'uploading' && flow.progress) {
    const { sent, total } = flow.progress
    const pct = total ? Math.round((sent / total) * 100) : 0
    return (
      <div className={styles.progress}>
        <progress max={total || 1} value={sent} aria-label={`Uploading ${flow.file?.name}`} />
        <span aria-hidden="true">{pct} %</span>
      </div>
    )
  }
  if (flow.phase === 'checking' || flow.phase === 'applying') {
    const label = flow.phase === 'checking' ? 'Checking the file' : 'Applying the changes'
    return (
      <div className={styles.progress}>
        <progress aria-label={label} />
      </div>
    )
  }
  return null
}

Progress.propTypes = { flow: PropTypes.object.isRequired }

/** A job that ended without a report: why, from the job. */
function JobFailed({ job, what }) {
  if (!job.isError && !['failed', 'dead'].includes(job.data?.status)) return null
  return (
    <Banner tone="error" title={`${what} did not finish`}>
      {job.isError ? describe(job.error) : (job.data.error ?? 'The job failed.')}
    </Banner>
  )
}

JobFailed.propTypes = { job: PropTypes.object.isRequired, what: PropTypes.string.isRequired }

function ImportFlow({ coop }) {
  const flow = useImportFlow(coop.id)
  const imports = useImports(coop.id)
  const { phase, report, appliedReport } = flow
  // After a reload only the address knows the upload: its name is in the list.
  const fileName =
    flow.checked?.fileName ||
    imports.data?.find((i) => i.id === flow.checked?.import)?.file_name ||
    'the uploaded file'
  const busy = phase === 'uploading' || phase === 'checking' || phase === 'applying'
  // Focus follows the step: to a report when it arrives, back to the file
  // when starting again (the button that was pressed is gone by then).
  const heading = {
    choose: useRef(/** @type {HTMLHeadingElement|null} */ (null)),
    report: useRef(/** @type {HTMLHeadingElement|null} */ (null)),
    applied: useRef(/** @type {HTMLHeadingElement|null} */ (null)),
  }
  const shown = appliedReport ? 'applied' : report ? 'report' : 'choose'
  const before = useRef(shown)
  useEffect(() => {
    if (before.current !== shown) heading[shown].current?.focus()
    before.current = shown
  })
  const again = (
    <Button tone="secondary" onClick={flow.reset}>
      Choose another file
    </Button>
  )
  return (
    <>
      <section aria-labelledby="import-choose" className="stack">
        <h2 id="import-choose" ref={heading.choose} tabIndex={-1}>
          Check a roster file
        </h2>
        <p className={`muted ${styles.lead}`}>
          The file is checked first (a dry run): nothing changes until you apply it.
        </p>
        {(phase === 'choose' || phase === 'uploading') && (
          <>
            <ZipPicker file={flow.file} onChange={flow.choose} disabled={busy} />
            <div>
              <Button busy={phase === 'uploading'} disabled={!flow.file} onClick={flow.check}>
                Upload and check
              </Button>
            </div>
          </>
        )}
        <Progress flow={flow} />
        <p role="status" aria-live="polite" className={styles.status}>
          {flow.status}
        </p>
        {flow.error && (
          <Banner tone="error" title="The server refused">
            {describe(flow.error)}
          </Banner>
        )}
        <JobFailed job={flow.checkJob} what="The check" />
        <JobFailed job={flow.applyJob} what="The import" />
        {phase === 'checked' && !report && again}
      </section>
      {report && !appliedReport && (
        <section aria-labelledby="import-report" className="stack">
          <h2 id="import-report" ref={heading.report} tabIndex={-1}>
            Dry run: {fileName}
          </h2>
          <ImportDiff report={report} />
          <div className="row">
            {!report.refused && report.changed && (
              <ApplyImport
                report={report}
                fileName={fileName}
                coopName={coop.name}
                busy={phase === 'applying'}
                onApply={flow.applyNow}
              />
            )}
            {!report.refused && !report.changed && <strong>Nothing to change</strong>}
            {phase !== 'applying' && again}
          </div>
        </section>
      )}
      {appliedReport && (
        <section aria-labelledby="import-applied" className="stack">
          <h2 id="import-applied" ref={heading.applied} tabIndex={-1}>
            Applied: {fileName}
          </h2>
          <ImportDiff report={appliedReport} />
          <div className="row">
            <Button tone="secondary" onClick={flow.reset}>
              Import another file
            </Button>
            <Link to={`/coops/${coop.id}`}>See the roster and classes</Link>
          </div>
        </section>
      )}
      <section aria-labelledby="import-history" className="stack">
        <h2 id="import-history">Recent imports</h2>
        {imports.isPending && <p>Loading…</p>}
        {imports.isError && <p role="alert">{describe(imports.error)}</p>}
        {imports.data && (
          <ImportHistory
            imports={imports.data}
            timeZone={coop.time_zone ?? undefined}
            current={flow.checked?.import}
          />
        )}
      </section>
    </>
  )
}

ImportFlow.propTypes = {
  coop: PropTypes.shape({
    id: PropTypes.string.isRequired,
    name: PropTypes.string.isRequired,
    time_zone: PropTypes.string,
  }).isRequired,
}

/** A co-op admin's roster import: check a OneRoster zip, see the diff, apply it. */
export default function CoopImport() {
  return (
    <CoopPage
      title={(coop) => (coop ? `Roster import: ${coop.name}` : 'Roster import')}
      pathOf={(id) => `/coops/${id}/import`}
    >
      {(coop) => <ImportFlow key={coop.id} coop={coop} />}
    </CoopPage>
  )
}
