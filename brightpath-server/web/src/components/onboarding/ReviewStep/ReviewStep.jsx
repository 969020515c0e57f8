import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { useList } from '../../../api/family.js'
import { usePlan } from '../../../api/week.js'
import { describe } from '../../../lib/errors.js'

const PARTS = [
  ['guardians', 'Guardians'],
  ['students', 'Children'],
  ['years', 'School years'],
  ['breaks', 'Breaks'],
  ['courses', 'Courses'],
  ['events', 'Fixed events'],
]

function Count({ familyId, resource, label }) {
  const list = useList(familyId, resource)
  return (
    <li>
      {label}: {list.data ? list.data.length : '…'}
      {list.data && list.data.length > 0 && (
        <span className="muted"> ({list.data.map((r) => r.name ?? r.id).join(', ')})</span>
      )}
    </li>
  )
}

Count.propTypes = {
  familyId: PropTypes.string.isRequired,
  resource: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
}

/** The last step: what was entered, then the first plan. */
export function ReviewStep({ familyId, onPlanned }) {
  const plan = usePlan(familyId)
  return (
    <section className="stack" aria-labelledby="step-review">
      <h2 id="step-review">Review</h2>
      <ul>
        {PARTS.map(([r, label]) => (
          <Count key={r} familyId={familyId} resource={r} label={label} />
        ))}
      </ul>
      {plan.isError && <p role="alert">{describe(plan.error)}</p>}
      <div>
        <Button busy={plan.isPending} onClick={() => plan.mutate({}, { onSuccess: onPlanned })}>
          Make the first plan
        </Button>
      </div>
    </section>
  )
}

ReviewStep.propTypes = {
  familyId: PropTypes.string.isRequired,
  onPlanned: PropTypes.func.isRequired,
}
