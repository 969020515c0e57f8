export { Field } from './Field.jsx'
