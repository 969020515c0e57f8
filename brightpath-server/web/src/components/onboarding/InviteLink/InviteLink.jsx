import { useState } from 'react'
import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { Field } from '../../common/Field/index.js'
import { useInvite } from '../../../api/family.js'
import { describe, fieldError } from '../../../lib/errors.js'

/** Make a one-time link that lets a second guardian join the family. */
export function InviteLink({ familyId }) {
  const invite = useInvite(familyId)
  const [email, setEmail] = useState('')
  return (
    <form
      className="stack"
      aria-labelledby="invite-title"
      onSubmit={(e) => {
        e.preventDefault()
        invite.mutate(email.trim() ? { email: email.trim() } : {})
      }}
    >
      <h3 id="invite-title">Invite a second guardian</h3>
      <Field
        label="Their e-mail (optional)"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldError(invite.error, 'email')}
      />
      <div>
        <Button type="submit" tone="secondary" busy={invite.isPending}>
          Make an invitation link
        </Button>
      </div>
      {invite.isError && !fieldError(invite.error, 'email') && (
        <p role="alert">{describe(invite.error)}</p>
      )}
      {invite.data && (
        <p role="status">
          Send this link (valid until {invite.data.expires_at ?? 'it is used'}):{' '}
          <code>{invite.data.url}</code>
        </p>
      )}
    </form>
  )
}

InviteLink.propTypes = { familyId: PropTypes.string.isRequired }
