import { useId } from 'react'
import PropTypes from 'prop-types'
import * as Label from '@radix-ui/react-label'
import styles from './Field.module.css'

/**
 * A labelled input with its hint and the server's error for it, announced
 * and tied to the input (aria-describedby, aria-invalid).
 */
export function Field({ label, error, hint, as = 'input', options, className, ...input }) {
  const id = useId()
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined
  const common = {
    id,
    className: styles.input,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
    ...input,
  }
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <Label.Root htmlFor={id} className={styles.label}>
        {label}
      </Label.Root>
      {as === 'select' ? (
        <select {...common}>
          {(options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : as === 'textarea' ? (
        <textarea rows={6} {...common} />
      ) : (
        <input {...common} />
      )}
      {hint && (
        <span id={hintId} className={styles.hint}>
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className={styles.error} role="alert">
          {error}
        </span>
      )}
    </div>
  )
}

Field.propTypes = {
  label: PropTypes.string.isRequired,
  error: PropTypes.string,
  hint: PropTypes.string,
  as: PropTypes.oneOf(['input', 'select', 'textarea']),
  options: PropTypes.arrayOf(
    PropTypes.shape({ value: PropTypes.string.isRequired, label: PropTypes.string.isRequired }),
  ),
  className: PropTypes.string,
}
