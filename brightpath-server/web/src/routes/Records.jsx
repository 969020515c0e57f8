import { useState } from 'react'
import PropTypes from 'prop-types'
import { useCurrentFamily } from '../lib/family.jsx'
import { useCreate, useList, useRemove, useReport } from '../api/family.js'
import { BASE } from '../api/client.js'
import { describe } from '../lib/errors.js'
import { Button } from '../components/common/Button/index.js'
import { Toggle } from '../components/common/Toggle/index.js'

/** Rows of a report, whatever its JSON shape: an array, or an object holding arrays. */
function tables(data) {
  if (Array.isArray(data)) return [['', data]]
  if (data && typeof data === 'object') {
    const arrays = Object.entries(data).filter(([, v]) => Array.isArray(v))
    const scalars = Object.entries(data).filter(([, v]) => v === null || typeof v !== 'object')
    return [...(scalars.length ? [['Totals', [Object.fromEntries(scalars)]]] : []), ...arrays]
  }
  return []
}

function cell(v) {
  if (v === null || v === undefined) return ''
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

function Report({ fid, kind }) {
  const report = useReport(fid, kind)
  if (report.isPending) return <p>Loading…</p>
  if (report.isError) return <p role="alert">{describe(report.error)}</p>
  return tables(report.data).map(([name, rows]) => (
    <div key={name || 'rows'} className="stack">
      {name && <h3>{name.replaceAll('_', ' ')}</h3>}
      {rows.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <div
          style={{ overflowX: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label={`${name || kind} table`}
        >
          <table>
            <thead>
              <tr>
                {Object.keys(rows[0]).map((k) => (
                  <th key={k} scope="col">
                    {k.replaceAll('_', ' ')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {Object.keys(rows[0]).map((k) => (
                    <td key={k}>{cell(r[k])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  ))
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
              <Button size="sm" tone="danger" onClick={() => revoke.mutate(f.id)}>
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
