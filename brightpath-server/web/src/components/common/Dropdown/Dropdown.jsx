import PropTypes from 'prop-types'
import * as DM from '@radix-ui/react-dropdown-menu'
import styles from './Dropdown.module.css'

/**
 * A menu of actions opened from a trigger button.
 * @param {{label: string, trigger: import('react').ReactElement, items: Array<{label: string, onSelect: () => void, disabled?: boolean}>}} props
 */
export function Dropdown({ trigger, items, label }) {
  return (
    <DM.Root>
      <DM.Trigger asChild>{trigger}</DM.Trigger>
      <DM.Portal>
        <DM.Content className={styles.content} sideOffset={4} aria-label={label}>
          {items.map((it) => (
            <DM.Item
              key={it.label}
              className={styles.item}
              disabled={it.disabled}
              onSelect={it.onSelect}
            >
              {it.label}
            </DM.Item>
          ))}
        </DM.Content>
      </DM.Portal>
    </DM.Root>
  )
}

Dropdown.propTypes = {
  label: PropTypes.string.isRequired,
  trigger: PropTypes.element.isRequired,
  items: PropTypes.arrayOf(
    PropTypes.shape({
      label: PropTypes.string.isRequired,
      onSelect: PropTypes.func.isRequired,
      disabled: PropTypes.bool,
    }),
  ).isRequired,
}
