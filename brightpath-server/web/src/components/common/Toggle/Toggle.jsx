import PropTypes from 'prop-types'
import * as TG from '@radix-ui/react-toggle-group'
import styles from './Toggle.module.css'

/** One choice among a few, as a group of toggle buttons (arrow keys move). */
export function Toggle({ label, value, onChange, options }) {
  return (
    <TG.Root
      type="single"
      className={styles.group}
      value={value}
      aria-label={label}
      onValueChange={(v) => v && onChange(v)}
    >
      {options.map((o) => (
        <TG.Item key={o.value} value={o.value} className={styles.item}>
          {o.label}
        </TG.Item>
      ))}
    </TG.Root>
  )
}

Toggle.propTypes = {
  label: PropTypes.string.isRequired,
  value: PropTypes.string.isRequired,
  onChange: PropTypes.func.isRequired,
  options: PropTypes.arrayOf(
    PropTypes.shape({ value: PropTypes.string.isRequired, label: PropTypes.string.isRequired }),
  ).isRequired,
}
