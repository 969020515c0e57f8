export { Dropdown } from './Dropdown.jsx'
