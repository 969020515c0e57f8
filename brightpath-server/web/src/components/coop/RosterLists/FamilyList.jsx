import PropTypes from 'prop-types'
import { FilteredList } from './FilteredList.jsx'
import { familyText } from './format.js'
import styles from './RosterLists.module.css'

const keyOf = (f) => f.id

function FamilyCard({ item: f }) {
  return (
    <article aria-labelledby={`family-${f.id}`} className={styles.article}>
      <h3 id={`family-${f.id}`} className={styles.title}>
        {f.name}
      </h3>
      <dl className={styles.facts}>
        <dt>{f.guardians.length === 1 ? 'Guardian' : 'Guardians'}</dt>
        <dd>{f.guardians.length ? f.guardians.join(', ') : 'None'}</dd>
        <dt>Children</dt>
        <dd>{f.students.length ? f.students.join(', ') : 'None'}</dd>
      </dl>
    </article>
  )
}

FamilyCard.propTypes = { item: PropTypes.object.isRequired }

const renderFamily = (f) => <FamilyCard item={f} />

/** The co-op's families with their guardians and children; filtered by any of those names. */
export function FamilyList({ families }) {
  return (
    <FilteredList
      items={families}
      text={familyText}
      keyOf={keyOf}
      renderItem={renderFamily}
      label="Filter families"
      hint="A family's, a guardian's or a child's name"
      one="family"
      many="families"
    />
  )
}

FamilyList.propTypes = {
  families: PropTypes.arrayOf(
    PropTypes.shape({
      id: PropTypes.string.isRequired,
      name: PropTypes.string.isRequired,
      guardians: PropTypes.arrayOf(PropTypes.string).isRequired,
      students: PropTypes.arrayOf(PropTypes.string).isRequired,
    }),
  ).isRequired,
}
