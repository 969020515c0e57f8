export { ApplyImport } from './ApplyImport.jsx'
