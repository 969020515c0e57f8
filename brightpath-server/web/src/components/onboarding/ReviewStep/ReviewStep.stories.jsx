import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { ReviewStep } from './ReviewStep.jsx'

const client = new QueryClient()
client.setQueryData(
  ['list', 'fam1', 'students'],
  [
    { id: 'a', name: 'Ada' },
    { id: 'b', name: 'Ben' },
  ],
)
client.setQueryData(['list', 'fam1', 'guardians'], [{ id: 'm', name: 'Maria' }])

export default {
  title: 'Onboarding/ReviewStep',
  component: ReviewStep,
  decorators: [(Story) => <QueryClientProvider client={client}>{Story()}</QueryClientProvider>],
}

export const Default = { args: { familyId: 'fam1', onPlanned: () => {} } }
