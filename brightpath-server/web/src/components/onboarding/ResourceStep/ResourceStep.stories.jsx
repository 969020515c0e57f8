import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { ResourceStep } from './ResourceStep.jsx'

const client = new QueryClient()
client.setQueryData(['list', 'fam1', 'students'], [{ id: 'a', name: 'Ada' }])

export default {
  title: 'Onboarding/ResourceStep',
  component: ResourceStep,
  decorators: [(Story) => <QueryClientProvider client={client}>{Story()}</QueryClientProvider>],
}

export const Children = {
  args: {
    familyId: 'fam1',
    resource: 'students',
    title: 'Children',
    fields: [
      { name: 'name', label: 'Name', required: true },
      { name: 'birth_date', label: 'Birth date', type: 'date' },
    ],
    toBody: (v) => v,
    summary: (s) => s.name,
  },
}
