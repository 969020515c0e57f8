import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { WhyDialog } from './WhyDialog.jsx'
import { session } from '../../../test/fixtures.js'

const client = new QueryClient()
client.setQueryData(['why', 'fam1', 's1'], {
  session: 's1',
  lines: ['Fits Ben’s hours on mon (08:30-14:30).', 'Inside the preferred time 09:00-11:00.'],
})

export default {
  title: 'Schedule/WhyDialog',
  component: WhyDialog,
  decorators: [(Story) => <QueryClientProvider client={client}>{Story()}</QueryClientProvider>],
}

export const Open = { args: { familyId: 'fam1', session: session(), onClose: () => {} } }
