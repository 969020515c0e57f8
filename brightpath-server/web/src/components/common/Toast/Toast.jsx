import { createContext, useCallback, useContext, useMemo, useState } from 'react'
import PropTypes from 'prop-types'
import * as RT from '@radix-ui/react-toast'
import styles from './Toast.module.css'

const ToastContext = createContext(/** @type {null | ((t: ToastInput) => void)} */ (null))

/**
 * @typedef {object} ToastInput
 * @property {string} title
 * @property {string} [description]
 * @property {'info'|'error'|'success'} [tone]
 * @property {{label: string, onClick: () => void}} [action] e.g. Undo
 */

let next = 1

/** Holds the toasts; `useToast()` shows one. */
export function ToastProvider({ children, duration = 8000 }) {
  const [toasts, setToasts] = useState(/** @type {Array<ToastInput & {id: number}>} */ ([]))
  const show = useCallback((t) => setToasts((all) => [...all.slice(-2), { ...t, id: next++ }]), [])
  const drop = (id) => setToasts((all) => all.filter((t) => t.id !== id))
  return (
    <ToastContext.Provider value={show}>
      <RT.Provider duration={duration} swipeDirection="right">
        {children}
        {toasts.map((t) => (
          <RT.Root
            key={t.id}
            data-toast-id={t.id}
            data-tone={t.tone ?? 'info'}
            className={`${styles.toast} ${styles[t.tone ?? 'info']}`}
            type={t.tone === 'error' ? 'foreground' : 'background'}
            onOpenChange={(open) => !open && drop(t.id)}
          >
            <RT.Title className={styles.title}>{t.title}</RT.Title>
            {t.description && (
              <RT.Description className={styles.description}>{t.description}</RT.Description>
            )}
            {t.action && (
              <RT.Action asChild altText={t.action.label}>
                <button type="button" className={styles.action} onClick={t.action.onClick}>
                  {t.action.label}
                </button>
              </RT.Action>
            )}
            <RT.Close className={styles.close} aria-label="Dismiss">
              ×
            </RT.Close>
          </RT.Root>
        ))}
        <RT.Viewport className={styles.viewport} label="Notifications ({hotkey})" />
      </RT.Provider>
    </ToastContext.Provider>
  )
}

ToastProvider.propTypes = { children: PropTypes.node, duration: PropTypes.number }

/** @returns {(t: ToastInput) => void} */
export function useToast() {
  const show = useContext(ToastContext)
  return useMemo(() => show ?? (() => {}), [show])
}
