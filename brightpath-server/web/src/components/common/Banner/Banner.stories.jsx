import { Banner } from './Banner.jsx'
import { Button } from '../Button/index.js'

export default { title: 'Common/Banner', component: Banner }

export const ServerDown = {
  args: {
    tone: 'error',
    title: 'The server does not answer',
    children: 'Trying again every few seconds.',
    action: <Button size="sm">Retry now</Button>,
  },
}
export const Behind = { args: { tone: 'warning', title: 'Math 5 is 3 lessons behind' } }
