import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'
import { useCreateFamily } from '../../../api/family.js'
import { describe, fieldError } from '../../../lib/errors.js'

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return ['UTC']
  }
}

/** Step 1: the family's name and time zone; the caller becomes its first guardian. */
export function FamilyStep({ onCreated }) {
  const create = useCreateFamily()
  const [name, setName] = useState('')
  const [guardian, setGuardian] = useState('')
  const [tz, setTz] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')
  const e = create.error
  const named = ['name', 'time_zone', 'guardian_name'].some((f) => fieldError(e, f))
  const other = e && !named ? describe(e) : null
  return (
    <form
      className="stack"
      aria-labelledby="step-family"
      onSubmit={(ev) => {
        ev.preventDefault()
        create.mutate(
          { name: name.trim(), time_zone: tz, guardian_name: guardian.trim() || undefined },
          { onSuccess: onCreated },
        )
      }}
    >
      <h2 id="step-family">Your family</h2>
      <Field
        label="Family name"
        value={name}
        onChange={(ev) => setName(ev.target.value)}
        required
        error={fieldError(e, 'name')}
      />
      <Field
        label="Time zone"
        value={tz}
        onChange={(ev) => setTz(ev.target.value)}
        list="time-zones"
        error={fieldError(e, 'time_zone')}
        hint="Where lessons happen; days and times are in this zone"
      />
      <datalist id="time-zones">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field
        label="Your name"
        value={guardian}
        onChange={(ev) => setGuardian(ev.target.value)}
        error={fieldError(e, 'guardian_name')}
        hint="You become the family's first guardian"
      />
      {other && <p role="alert">{other}</p>}
      <div>
        <Button type="submit" busy={create.isPending}>
          Create family
        </Button>
      </div>
    </form>
  )
}

FamilyStep.propTypes = { onCreated: PropTypes.func.isRequired }
