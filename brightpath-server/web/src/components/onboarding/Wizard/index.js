export { Wizard } from './Wizard.jsx'
