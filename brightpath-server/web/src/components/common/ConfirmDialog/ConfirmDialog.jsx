import PropTypes from 'prop-types'
import * as AD from '@radix-ui/react-alert-dialog'
import { Button } from '../Button/index.js'
import styles from './ConfirmDialog.module.css'

/**
 * Asks before something that cannot be taken back (Radix AlertDialog: focus
 * starts on Cancel, Escape cancels, a click outside does nothing).
 * Controlled (`open`/`onOpenChange`) or with a `trigger`.
 */
export function ConfirmDialog({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  onConfirm,
  confirmLabel = 'Confirm',
  cancelLabel = 'Cancel',
  tone = 'primary',
  children,
}) {
  return (
    <AD.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <AD.Trigger asChild>{trigger}</AD.Trigger>}
      <AD.Portal>
        <AD.Overlay className={styles.overlay} />
        <AD.Content className={styles.content}>
          <AD.Title className={styles.title}>{title}</AD.Title>
          <AD.Description className={styles.description}>{description}</AD.Description>
          {children}
          <div className={styles.actions}>
            <AD.Cancel asChild>
              <Button tone="secondary">{cancelLabel}</Button>
            </AD.Cancel>
            <AD.Action asChild>
              <Button tone={tone} onClick={onConfirm}>
                {confirmLabel}
              </Button>
            </AD.Action>
          </div>
        </AD.Content>
      </AD.Portal>
    </AD.Root>
  )
}

ConfirmDialog.propTypes = {
  title: PropTypes.string.isRequired,
  description: PropTypes.node.isRequired,
  trigger: PropTypes.element,
  open: PropTypes.bool,
  onOpenChange: PropTypes.func,
  onConfirm: PropTypes.func.isRequired,
  confirmLabel: PropTypes.string,
  cancelLabel: PropTypes.string,
  tone: PropTypes.oneOf(['primary', 'danger']),
  children: PropTypes.node,
}
