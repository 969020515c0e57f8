import { Dialog } from './Dialog.jsx'
import { Button } from '../Button/index.js'

export default { title: 'Common/Dialog', component: Dialog }

export const WithTrigger = {
  args: {
    title: 'Why is this here?',
    description: 'The rules and preferences that placed this lesson.',
    trigger: <Button>Open</Button>,
    children: <p>Fits Ada&apos;s hours on Monday.</p>,
  },
}
