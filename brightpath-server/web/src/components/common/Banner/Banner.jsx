import PropTypes from 'prop-types'
import styles from './Banner.module.css'

/** A message across the page: information, a warning or an error. */
export function Banner({ tone = 'info', title, children, action }) {
  return (
    <div
      className={`${styles.banner} ${styles[tone]}`}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      <div>
        <strong>{title}</strong>
        {children && <div className={styles.body}>{children}</div>}
      </div>
      {action}
    </div>
  )
}

Banner.propTypes = {
  tone: PropTypes.oneOf(['info', 'warning', 'error', 'success']),
  title: PropTypes.string.isRequired,
  children: PropTypes.node,
  action: PropTypes.node,
}
