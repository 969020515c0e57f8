export { CoopPage } from './CoopPage.jsx'
