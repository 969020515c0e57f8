import PropTypes from 'prop-types'
import { FilteredList } from './FilteredList.jsx'
import { classText, count, meetingText } from './format.js'
import styles from './RosterLists.module.css'

const keyOf = (c) => c.sourced_id

function ClassCard({ item: c }) {
  return (
    <article aria-labelledby={`class-${c.sourced_id}`} className={styles.article}>
      <h3 id={`class-${c.sourced_id}`} className={styles.title}>
        {c.title}
      </h3>
      <dl className={styles.facts}>
        <dt>Course</dt>
        <dd>{c.course ?? 'None'}</dd>
        <dt>Meets</dt>
        <dd>
          {c.meetings.length === 0 ? (
            'No meeting times'
          ) : (
            <ul className={styles.plain}>
              {c.meetings.map((m, i) => (
                <li key={i}>{meetingText(m)}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{c.teachers.length === 1 ? 'Teacher' : 'Teachers'}</dt>
        <dd>{c.teachers.length ? c.teachers.join(', ') : 'None'}</dd>
      </dl>
      <p className={styles.count}>{count(c.students.length, 'child', 'children')}</p>
      {c.students.length > 0 && (
        <ul className={styles.people} aria-label={`Children in ${c.title}`}>
          {c.students.map((s, i) => (
            <li key={i}>
              {s.name}
              {s.family && <span className={styles.family}> ({s.family})</span>}
            </li>
          ))}
        </ul>
      )}
    </article>
  )
}

ClassCard.propTypes = { item: PropTypes.object.isRequired }

const renderClass = (c) => <ClassCard item={c} />

/**
 * The co-op's classes as cards: course, meeting times, teachers and the
 * children with their family; filtered by class title, child or family.
 */
export function ClassList({ classes }) {
  return (
    <FilteredList
      items={classes}
      text={classText}
      keyOf={keyOf}
      renderItem={renderClass}
      label="Filter classes"
      hint="A class title, a child's or a family's name"
      one="class"
      many="classes"
    />
  )
}

ClassList.propTypes = {
  classes: PropTypes.arrayOf(
    PropTypes.shape({
      sourced_id: PropTypes.string.isRequired,
      title: PropTypes.string.isRequired,
      course: PropTypes.string,
      meetings: PropTypes.arrayOf(
        PropTypes.shape({
          day: PropTypes.string.isRequired,
          start: PropTypes.string.isRequired,
          end: PropTypes.string.isRequired,
          place: PropTypes.string,
        }),
      ).isRequired,
      teachers: PropTypes.arrayOf(PropTypes.string).isRequired,
      students: PropTypes.arrayOf(
        PropTypes.shape({ name: PropTypes.string.isRequired, family: PropTypes.string }),
      ).isRequired,
    }),
  ).isRequired,
}
