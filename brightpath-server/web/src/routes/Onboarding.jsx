import { useNavigate } from 'react-router'
import { useQueryClient } from '@tanstack/react-query'
import { Wizard } from '../components/onboarding/Wizard/index.js'
import { useCurrentFamily } from '../lib/family.jsx'

/** Set up a family, step by step, ending with its first plan. */
export default function Onboarding() {
  const family = useCurrentFamily()
  const navigate = useNavigate()
  const qc = useQueryClient()
  return (
    <>
      <h1>Set up your family</h1>
      <Wizard
        familyId={family?.id}
        onFinished={(_fid, outcome) => {
          qc.invalidateQueries()
          navigate(`/week?date=${outcome.week_start}`)
        }}
      />
    </>
  )
}
