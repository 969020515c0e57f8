import { forwardRef } from 'react'
import PropTypes from 'prop-types'
import styles from './Button.module.css'

/** A button in one of three tones; `busy` disables it and says so. */
export const Button = forwardRef(function Button(
  { tone = 'primary', size = 'md', busy = false, type = 'button', className, children, ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={[styles.button, styles[tone], styles[size], className].filter(Boolean).join(' ')}
      aria-busy={busy || undefined}
      disabled={busy || rest.disabled}
      {...rest}
    >
      {children}
    </button>
  )
})

Button.propTypes = {
  tone: PropTypes.oneOf(['primary', 'secondary', 'danger', 'ghost']),
  size: PropTypes.oneOf(['sm', 'md']),
  busy: PropTypes.bool,
  type: PropTypes.oneOf(['button', 'submit', 'reset']),
  className: PropTypes.string,
  disabled: PropTypes.bool,
  children: PropTypes.node.isRequired,
}
