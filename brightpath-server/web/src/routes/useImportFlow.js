// The roster import's steps on one page: choose a file, upload it as a dry
// run, follow its job, apply the same upload, follow that job. The upload
// and the jobs are kept in the address (?import=…&job=…&applied=…), so a
// reload or a link comes back to the same report.
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { FINISHED, useApplyImport, useDryRun, useImportJob } from '../api/coop.js'

/**
 * @typedef {'choose'|'uploading'|'checking'|'checked'|'applying'|'applied'} Phase
 */

/** What the live region says about a job, or '' when nothing is running. */
function jobWords(job, doing) {
  if (!job) return `${doing}…`
  if (job.status === 'queued') return `${doing}: waiting for its turn…`
  if (job.status === 'running') return `${doing}…`
  return ''
}

export function useImportFlow(cid) {
  const [file, setFile] = useState(/** @type {File|null} */ (null))
  const [progress, setProgress] = useState(/** @type {{sent: number, total: number}|null} */ (null))
  const [params, setParams] = useSearchParams()
  const [fileName, setFileName] = useState('')
  const checked =
    params.get('import') && params.get('job')
      ? { import: params.get('import'), job: params.get('job'), fileName }
      : null
  const applied = checked && params.get('applied') ? { job: params.get('applied') } : null
  const dryRun = useDryRun(cid)
  const apply = useApplyImport(cid)
  const checkJob = useImportJob(cid, checked?.job)
  const applyJob = useImportJob(cid, applied?.job)

  const over = (q) => FINISHED.includes(q.data?.status) || q.isError
  /** @type {Phase} */
  let phase = 'choose'
  if (dryRun.isPending) phase = 'uploading'
  else if (checked && !over(checkJob)) phase = 'checking'
  else if (checked && !applied && !apply.isPending) phase = 'checked'
  else if (apply.isPending || (applied && !over(applyJob))) phase = 'applying'
  else if (applied) phase = 'applied'

  const check = () => {
    if (!file) return
    const name = file.name
    setProgress({ sent: 0, total: file.size })
    dryRun.mutate(
      { file, onProgress: (sent, total) => setProgress({ sent, total }) },
      {
        onSuccess: (s) => {
          setFileName(name)
          setParams({ import: s.import, job: s.job }, { replace: true })
        },
        onSettled: () => setProgress(null),
      },
    )
  }

  const applyNow = () => {
    if (!checked) return
    apply.mutate(checked.import, {
      onSuccess: (s) =>
        setParams({ import: checked.import, job: checked.job, applied: s.job }, { replace: true }),
    })
  }

  const reset = () => {
    setFile(null)
    setFileName('')
    setParams({}, { replace: true })
    dryRun.reset()
    apply.reset()
  }

  const choose = (f) => {
    setFile(f)
    dryRun.reset()
  }

  const report = checkJob.data?.report ?? null
  const appliedReport = applyJob.data?.report ?? null
  let status = ''
  if (phase === 'uploading') status = `Uploading ${file?.name ?? 'the file'}…`
  else if (phase === 'checking') status = jobWords(checkJob.data, 'Checking the file')
  else if (phase === 'checked' && report)
    status = report.refused
      ? `Checked: refused, ${report.problems_total} ${report.problems_total === 1 ? 'problem' : 'problems'} to fix.`
      : report.changed
        ? 'Checked: ready to apply.'
        : 'Checked: nothing to change.'
  else if (phase === 'applying') status = jobWords(applyJob.data, 'Applying the changes')
  else if (phase === 'applied' && appliedReport) status = 'Applied.'

  return {
    phase,
    status,
    file,
    choose,
    check,
    progress,
    checked,
    checkJob,
    report,
    applyNow,
    applyJob,
    appliedReport,
    reset,
    error: dryRun.error ?? apply.error ?? null,
  }
}
