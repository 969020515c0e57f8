import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { FamilyStep } from './FamilyStep.jsx'

export default {
  title: 'Onboarding/FamilyStep',
  component: FamilyStep,
  decorators: [
    (Story) => <QueryClientProvider client={new QueryClient()}>{Story()}</QueryClientProvider>,
  ],
}

export const Empty = { args: { onCreated: () => {} } }
