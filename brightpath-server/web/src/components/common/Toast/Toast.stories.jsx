import PropTypes from 'prop-types'
import { ToastProvider, useToast } from './Toast.jsx'
import { Button } from '../Button/index.js'

function Demo({ tone }) {
  const show = useToast()
  return (
    <Button
      onClick={() =>
        show({
          title: 'Moved Math 1 to Tuesday 09:00',
          tone,
          action: { label: 'Undo', onClick: () => {} },
        })
      }
    >
      Show toast
    </Button>
  )
}
Demo.propTypes = { tone: PropTypes.string }

export default {
  title: 'Common/Toast',
  component: Demo,
  decorators: [(Story) => <ToastProvider>{Story()}</ToastProvider>],
}

export const WithUndo = { args: { tone: 'success' } }
export const Refusal = { args: { tone: 'error' } }
