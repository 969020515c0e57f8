import PropTypes from 'prop-types'
import * as RD from '@radix-ui/react-dialog'
import styles from './Dialog.module.css'

/**
 * A modal dialog: title, optional description, content and a close button.
 * Controlled (`open`/`onOpenChange`) or with a `trigger`.
 */
export function Dialog({ title, description, trigger, open, onOpenChange, children }) {
  return (
    <RD.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <RD.Trigger asChild>{trigger}</RD.Trigger>}
      <RD.Portal>
        <RD.Overlay className={styles.overlay} />
        <RD.Content className={styles.content}>
          <RD.Title className={styles.title}>{title}</RD.Title>
          {description ? (
            <RD.Description className={styles.description}>{description}</RD.Description>
          ) : (
            <RD.Description className="visually-hidden">{title}</RD.Description>
          )}
          {children}
          <RD.Close className={styles.close} aria-label="Close">
            ×
          </RD.Close>
        </RD.Content>
      </RD.Portal>
    </RD.Root>
  )
}

Dialog.propTypes = {
  title: PropTypes.string.isRequired,
  description: PropTypes.node,
  trigger: PropTypes.element,
  open: PropTypes.bool,
  onOpenChange: PropTypes.func,
  children: PropTypes.node,
}

/** Closes the dialog it sits in (wrap a button). */
export function DialogClose({ children }) {
  return <RD.Close asChild>{children}</RD.Close>
}

DialogClose.propTypes = { children: PropTypes.element.isRequired }
