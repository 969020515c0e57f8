import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { Wizard } from './Wizard.jsx'

export default {
  title: 'Onboarding/Wizard',
  component: Wizard,
  decorators: [
    (Story) => <QueryClientProvider client={new QueryClient()}>{Story()}</QueryClientProvider>,
  ],
}

export const NewFamily = { args: { onFinished: () => {} } }
