export { ToastProvider, useToast } from './Toast.jsx'
