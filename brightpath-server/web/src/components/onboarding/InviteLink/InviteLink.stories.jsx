import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { InviteLink } from './InviteLink.jsx'

export default {
  title: 'Onboarding/InviteLink',
  component: InviteLink,
  decorators: [
    (Story) => <QueryClientProvider client={new QueryClient()}>{Story()}</QueryClientProvider>,
  ],
}

export const Default = { args: { familyId: 'fam1' } }
