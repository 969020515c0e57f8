import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { CurriculumStep } from './CurriculumStep.jsx'

const client = new QueryClient()
client.setQueryData(['list', 'fam1', 'courses'], [{ id: 'c1', name: 'Math 5' }])

export default {
  title: 'Onboarding/CurriculumStep',
  component: CurriculumStep,
  decorators: [(Story) => <QueryClientProvider client={client}>{Story()}</QueryClientProvider>],
}

export const Default = { args: { familyId: 'fam1' } }
