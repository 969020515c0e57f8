export { ZipPicker } from './ZipPicker.jsx'
export { fileSize } from './size.js'
