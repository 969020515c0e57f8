import { useState } from 'react'
import PropTypes from 'prop-types'
import { useCurrentFamily } from '../lib/family.jsx'
import {
  useCreateToken,
  useList,
  useRevokeToken,
  useTokens,
  useUpdateFamily,
} from '../api/family.js'
import { useLogout } from '../api/me.js'
import { request } from '../api/client.js'
import { describe, fieldError } from '../lib/errors.js'
import { Button } from '../components/common/Button/index.js'
import { Field } from '../components/common/Field/index.js'
import { InviteLink } from '../components/onboarding/InviteLink/index.js'

function FamilyForm({ family }) {
  const update = useUpdateFamily(family.id)
  const [name, setName] = useState(family.name)
  const [tz, setTz] = useState(family.time_zone)
  return (
    <form
      className="stack"
      aria-labelledby="family-title"
      onSubmit={(e) => {
        e.preventDefault()
        update.mutate({ name, time_zone: tz, version: family.version })
      }}
    >
      <h2 id="family-title">Family</h2>
      <Field
        label="Family name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(update.error, 'name')}
      />
      <Field
        label="Time zone"
        value={tz}
        onChange={(e) => setTz(e.target.value)}
        error={fieldError(update.error, 'time_zone')}
      />
      {update.isError && !['name', 'time_zone'].some((f) => fieldError(update.error, f)) && (
        <p role="alert">{describe(update.error)}</p>
      )}
      {update.isSuccess && <p role="status">Saved.</p>}
      <div>
        <Button type="submit" busy={update.isPending}>
          Save
        </Button>
      </div>
    </form>
  )
}

FamilyForm.propTypes = {
  family: PropTypes.shape({
    id: PropTypes.string.isRequired,
    name: PropTypes.string.isRequired,
    time_zone: PropTypes.string.isRequired,
    version: PropTypes.number,
  }).isRequired,
}

function Members({ fid }) {
  const guardians = useList(fid, 'guardians')
  const students = useList(fid, 'students')
  return (
    <section className="stack" aria-labelledby="members">
      <h2 id="members">Members</h2>
      {[guardians, students].some((q) => q.isError) && (
        <p role="alert">{describe(guardians.error ?? students.error)}</p>
      )}
      <ul>
        {(guardians.data ?? []).map((g) => (
          <li key={g.id}>
            {g.name} — guardian{g.email ? ` (${g.email})` : ''}
          </li>
        ))}
        {(students.data ?? []).map((s) => (
          <li key={s.id}>{s.name} — child</li>
        ))}
      </ul>
    </section>
  )
}

Members.propTypes = { fid: PropTypes.string.isRequired }

function Tokens() {
  const tokens = useTokens()
  const create = useCreateToken()
  const revoke = useRevokeToken()
  const [name, setName] = useState('')
  const [scope, setScope] = useState('read')
  const [days, setDays] = useState('90')
  return (
    <section className="stack" aria-labelledby="tokens">
      <h2 id="tokens">API tokens</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate({ name: name.trim(), scope, expires_days: Number(days) })
        }}
      >
        <Field
          label="Token name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          error={fieldError(create.error, 'name')}
        />
        <Field
          label="Scope"
          as="select"
          value={scope}
          onChange={(e) => setScope(e.target.value)}
          options={['read', 'write', 'admin'].map((s) => ({ value: s, label: s }))}
        />
        <Field
          label="Expires in days"
          type="number"
          min="1"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={fieldError(create.error, 'expires_days')}
        />
        <Button type="submit" busy={create.isPending}>
          Create token
        </Button>
      </form>
      {create.isError && !['name', 'expires_days'].some((f) => fieldError(create.error, f)) && (
        <p role="alert">{describe(create.error)}</p>
      )}
      {create.data?.token && (
        <div role="status">
          Copy it now; it is shown only once: <code>{create.data.token}</code>
        </div>
      )}
      {tokens.isError && <p role="alert">{describe(tokens.error)}</p>}
      <ul>
        {(tokens.data ?? [])
          .filter((t) => !t.revoked_at)
          .map((t) => (
            <li key={t.id} className="row">
              {t.name} ({t.scope})
              <Button size="sm" tone="danger" onClick={() => revoke.mutate(t.id)}>
                Revoke
              </Button>
            </li>
          ))}
      </ul>
    </section>
  )
}

/** Family and members, invitations, API tokens, and signing out everywhere. */
export default function Settings() {
  const family = useCurrentFamily()
  const logout = useLogout()
  if (!family) return <p>No family yet.</p>
  return (
    <>
      <h1>Settings</h1>
      <div className="stack">
        <FamilyForm key={family.id} family={family} />
        <Members fid={family.id} />
        <InviteLink familyId={family.id} />
        <Tokens />
        <section className="stack" aria-labelledby="sessions">
          <h2 id="sessions">Sessions</h2>
          <div>
            <Button
              tone="danger"
              onClick={async () => {
                await request('/logout-everywhere', { method: 'POST' }).catch(() => {})
                logout.mutate()
              }}
            >
              Sign out everywhere
            </Button>
          </div>
        </section>
      </div>
    </>
  )
}
