export { Banner } from './Banner.jsx'
