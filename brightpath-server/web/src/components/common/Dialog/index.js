export { Dialog, DialogClose } from './Dialog.jsx'
