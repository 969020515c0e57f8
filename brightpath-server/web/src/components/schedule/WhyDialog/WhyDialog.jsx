import PropTypes from 'prop-types'
import { Dialog } from '../../common/Dialog/index.js'
import { useWhy } from '../../../api/week.js'
import { describe } from '../../../lib/errors.js'

/** "Why is this here?": the rules and preferences that placed a lesson. */
export function WhyDialog({ familyId, session, onClose }) {
  const why = useWhy(familyId, session?.id)
  return (
    <Dialog
      title={session ? `Why is ${session.course} here?` : 'Why is this here?'}
      open={Boolean(session)}
      onOpenChange={(o) => !o && onClose()}
    >
      {why.isPending && <p>Loading…</p>}
      {why.isError && <p role="alert">{describe(why.error)}</p>}
      {why.data && (
        <ul>
          {why.data.lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
    </Dialog>
  )
}

WhyDialog.propTypes = {
  familyId: PropTypes.string.isRequired,
  session: PropTypes.shape({ id: PropTypes.string.isRequired, course: PropTypes.string }),
  onClose: PropTypes.func.isRequired,
}
