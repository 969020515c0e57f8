import { useState } from 'react'
import PropTypes from 'prop-types'
import { useCurrentFamily } from '../lib/family.jsx'
import { useCreate, useList, useRemove, useReport } from '../api/family.js'
import { BASE } from '../api/client.js'
import { describe } from '../lib/errors.js'
import { Button } from '../components/common/Button/index.js'
import { Toggle } from '../components/common/Toggle/index.js'

const hours = (m) => (m / 60).toFixed(1)

/** "12.5 of 1000 h" or just "12.5 h" without a target. */
function against(value, target, unit) {
  return target ? `${value} of ${target} ${unit}` : `${value} ${unit}`
}

function ChildRecord({ r }) {
  return (
    <section className="stack" aria-labelledby={`rec-${r.student}`}>
      <h3 id={`rec-${r.student}`}>
        {r.student}{' '}
        <span className="muted">
          {r.from} – {r.to}
        </span>
      </h3>
      <table>
        <tbody>
          <tr>
            <th scope="row">Days attended</th>
            <td>{against(r.days_attended, r.target_days, 'days')}</td>
          </tr>
          <tr>
            <th scope="row">Hours</th>
            <td>{against(hours(r.total_minutes), r.target_hours, 'h')}</td>
          </tr>
          <tr>
            <th scope="row">Core hours</th>
            <td>{against(hours(r.core_minutes), r.target_core_hours, 'h')}</td>
          </tr>
          <tr>
            <th scope="row">Elective hours</th>
            <td>{hours(r.elective_minutes)} h</td>
          </tr>
          <tr>
            <th scope="row">At home / away</th>
            <td>
              {hours(r.home_minutes)} h / {hours(r.away_minutes)} h
            </td>
          </tr>
        </tbody>
      </table>
      <table aria-label={`${r.student}: hours by subject`}>
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Hours</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(r.minutes_by_subject).map(([subject, m]) => (
            <tr key={subject}>
              <td>{subject}</td>
              <td>{hours(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

ChildRecord.propTypes = {
  r: PropTypes.shape({
    student: PropTypes.string.isRequired,
    from: PropTypes.string,
    to: PropTypes.string,
    days_attended: PropTypes.number.isRequired,
    target_days: PropTypes.number,
    total_minutes: PropTypes.number.isRequired,
    target_hours: PropTypes.number,
    core_minutes: PropTypes.number.isRequired,
    target_core_hours: PropTypes.number,
    elective_minutes: PropTypes.number.isRequired,
    home_minutes: PropTypes.number.isRequired,
    away_minutes: PropTypes.number.isRequired,
    minutes_by_subject: PropTypes.objectOf(PropTypes.number).isRequired,
  }).isRequired,
}

function Report({ fid, kind }) {
  const report = useReport(fid, kind)
  if (report.isPending) return <p>Loading…</p>
  if (report.isError) return <p role="alert">{describe(report.error)}</p>
  if (report.data.length === 0) return <p>Nothing yet.</p>
  if (kind !== 'progress') return report.data.map((r) => <ChildRecord key={r.student} r={r} />)
  return (
    <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Progress table">
      <table>
        <thead>
          <tr>
            {['Child', 'Course', 'Done', 'Expected', 'Total', 'Projected finish', 'Year ends'].map(
              (h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {report.data.map((r) => (
            <tr key={`${r.student}-${r.course}`}>
              <td>{r.student}</td>
              <td>{r.course}</td>
              <td>{r.done}</td>
              <td>{r.expected}</td>
              <td>{r.total}</td>
              <td>{r.projected_finish ?? ''}</td>
              <td>{r.year_end ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

Report.propTypes = { fid: PropTypes.string.isRequired, kind: PropTypes.string.isRequired }

function Feeds({ fid }) {
  const feeds = useList(fid, 'feeds')
  const create = useCreate(fid, 'feeds')
  const revoke = useRemove(fid, 'feeds')
  const [copied, setCopied] = useState('')
  return (
    <section className="stack" aria-labelledby="feeds">
      <h2 id="feeds">Calendar feed</h2>
      <p className="muted">
        Subscribe in a calendar app. Anyone with the link sees the plan: revoke it when in doubt.
      </p>
      <div>
        <Button tone="secondary" busy={create.isPending} onClick={() => create.mutate({})}>
          Make a feed link
        </Button>
      </div>
      {create.isError && <p role="alert">{describe(create.error)}</p>}
      {create.data?.url && (
        <div className="row" role="status">
          <code>{create.data.url}</code>
          <Button
            size="sm"
            onClick={async () => {
              await navigator.clipboard?.writeText(create.data.url)
              setCopied(create.data.url)
            }}
          >
            {copied === create.data.url ? 'Copied' : 'Copy link'}
          </Button>
        </div>
      )}
      {feeds.data && feeds.data.length > 0 && (
        <ul>
          {feeds.data.map((f) => (
            <li key={f.id} className="row">
              Feed {f.id.slice(0, 8)}
              <Button size="sm" tone="danger" onClick={() => revoke.mutate(f)}>
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

Feeds.propTypes = { fid: PropTypes.string.isRequired }

/** Attendance, hours and progress against the year's targets; downloads; the feed. */
export default function Records() {
  const family = useCurrentFamily()
  const [kind, setKind] = useState('hours')
  if (!family) return <p>No family yet.</p>
  const base = `${BASE}/families/${family.id}/reports/${kind}`
  return (
    <>
      <h1>Records</h1>
      <div className="row" data-print="hide">
        <Toggle
          label="Report"
          value={kind}
          onChange={setKind}
          options={[
            { value: 'hours', label: 'Hours' },
            { value: 'attendance', label: 'Attendance' },
            { value: 'progress', label: 'Progress' },
          ]}
        />
        <a href={`${base}?format=csv`} download={`${kind}.csv`}>
          Download {kind} CSV
        </a>
        <a href={`${base}?format=html`} target="_blank" rel="noreferrer">
          Printable {kind} report
        </a>
      </div>
      <Report fid={family.id} kind={kind} />
      <Feeds fid={family.id} />
    </>
  )
}
