import { useState } from 'react'
import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { useList } from '../../../api/family.js'
import { InviteLink } from '../InviteLink/index.js'
import { FamilyStep } from '../FamilyStep/index.js'
import { ResourceStep } from '../ResourceStep/index.js'
import { CurriculumStep } from '../CurriculumStep/index.js'
import { ReviewStep } from '../ReviewStep/index.js'
import * as S from './steps.js'
import styles from './Wizard.module.css'

const STEPS = [
  'Family',
  'Guardians',
  'Children',
  'School year',
  'Courses',
  'Curriculum',
  'Events',
  'Review',
]

const opts = (list) => (list.data ?? []).map((r) => ({ value: r.id, label: r.name ?? r.id }))

/**
 * The onboarding wizard: family and time zone, people, the school year,
 * courses and their curricula, fixed events, review and the first plan.
 */
export function Wizard({ familyId: initialFamily, onFinished }) {
  const [familyId, setFamilyId] = useState(initialFamily ?? '')
  const [step, setStep] = useState(initialFamily ? 1 : 0)
  const kids = useList(familyId, 'students')
  const adults = useList(familyId, 'guardians')
  const fid = familyId
  const body = [
    () => (
      <FamilyStep
        onCreated={(f) => {
          setFamilyId(f.id)
          setStep(1)
        }}
      />
    ),
    () => (
      <ResourceStep familyId={fid} {...S.guardians}>
        <InviteLink familyId={fid} />
      </ResourceStep>
    ),
    () => <ResourceStep familyId={fid} {...S.students} />,
    () => (
      <>
        <ResourceStep familyId={fid} {...S.years} />
        <ResourceStep familyId={fid} {...S.breaks} />
      </>
    ),
    () => <ResourceStep familyId={fid} {...S.courses(opts(kids), opts(adults))} />,
    () => <CurriculumStep familyId={fid} />,
    () => <ResourceStep familyId={fid} {...S.events(opts(kids), opts(adults))} />,
    () => <ReviewStep familyId={fid} onPlanned={(outcome) => onFinished(fid, outcome)} />,
  ][step]
  return (
    <div className={styles.wizard}>
      <nav aria-label="Onboarding steps">
        <ol className={styles.steps}>
          {STEPS.map((s, i) => (
            <li key={s}>
              <button
                type="button"
                className={styles.step}
                aria-current={i === step ? 'step' : undefined}
                disabled={!familyId && i > 0}
                onClick={() => setStep(i)}
              >
                {i + 1}. {s}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div className="stack">
        {body()}
        {step > 0 && (
          <div className="row">
            <Button tone="secondary" onClick={() => setStep(step - 1)}>
              Back
            </Button>
            {step < STEPS.length - 1 && (
              <Button onClick={() => setStep(step + 1)}>Next: {STEPS[step + 1]}</Button>
            )}
          </div>
        )}
      </div>
    </div>
  )
}

Wizard.propTypes = {
  familyId: PropTypes.string,
  onFinished: PropTypes.func.isRequired,
}
