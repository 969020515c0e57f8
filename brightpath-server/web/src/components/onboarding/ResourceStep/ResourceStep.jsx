import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'
import { useCreate, useList, useRemove } from '../../../api/family.js'
import { describe, fieldError } from '../../../lib/errors.js'
import styles from './ResourceStep.module.css'

const initial = (fields) =>
  Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.initial ?? (f.type === 'checks' ? [] : f.type === 'checkbox' ? false : ''),
    ]),
  )

/**
 * A wizard step that lists a family's records of one kind and adds more:
 * guardians, children, school years, breaks, courses, events. `fields`
 * describe the form; `toBody` turns its values into the API's body.
 */
export function ResourceStep({ familyId, resource, title, fields, toBody, summary, children }) {
  const list = useList(familyId, resource)
  const create = useCreate(familyId, resource)
  const remove = useRemove(familyId, resource)
  const [values, setValues] = useState(() => initial(fields))
  const set = (name, v) => setValues((all) => ({ ...all, [name]: v }))
  const e = create.error
  const named = e && fields.some((f) => fieldError(e, f.name))
  return (
    <section className="stack" aria-labelledby={`step-${resource}`}>
      <h2 id={`step-${resource}`}>{title}</h2>
      {list.isError && <p role="alert">{describe(list.error)}</p>}
      {list.data && list.data.length > 0 && (
        <ul className={styles.items} aria-label={`${title}: added`}>
          {list.data.map((it) => (
            <li key={it.id} className={styles.item}>
              <span>{summary(it)}</span>
              <Button
                size="sm"
                tone="ghost"
                onClick={() => remove.mutate(it)}
                aria-label={`Remove ${summary(it)}`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className={styles.form}
        aria-label={`Add to ${title}`}
        onSubmit={(ev) => {
          ev.preventDefault()
          create.mutate(toBody(values), { onSuccess: () => setValues(initial(fields)) })
        }}
      >
        {fields.map((f) =>
          f.type === 'checks' ? (
            <fieldset key={f.name} className={styles.checks}>
              <legend>{f.label}</legend>
              {f.options.map((o) => (
                <label key={o.value}>
                  <input
                    type="checkbox"
                    checked={values[f.name].includes(o.value)}
                    onChange={(ev) =>
                      set(
                        f.name,
                        ev.target.checked
                          ? [...values[f.name], o.value]
                          : values[f.name].filter((x) => x !== o.value),
                      )
                    }
                  />{' '}
                  {o.label}
                </label>
              ))}
              {fieldError(e, f.name) && (
                <span role="alert" className={styles.error}>
                  {fieldError(e, f.name)}
                </span>
              )}
            </fieldset>
          ) : f.type === 'checkbox' ? (
            <label key={f.name} className={styles.checkbox}>
              <input
                type="checkbox"
                checked={values[f.name]}
                onChange={(ev) => set(f.name, ev.target.checked)}
              />{' '}
              {f.label}
            </label>
          ) : (
            <Field
              key={f.name}
              label={f.label}
              as={f.options ? 'select' : 'input'}
              options={f.options}
              type={f.type ?? 'text'}
              required={f.required}
              hint={f.hint}
              placeholder={f.placeholder}
              value={values[f.name]}
              onChange={(ev) => set(f.name, ev.target.value)}
              error={fieldError(e, f.name)}
            />
          ),
        )}
        {e && !named && (
          <p role="alert" className={styles.error}>
            {describe(e)}
          </p>
        )}
        <div>
          <Button type="submit" busy={create.isPending}>
            Add
          </Button>
        </div>
      </form>
      {children}
    </section>
  )
}

ResourceStep.propTypes = {
  familyId: PropTypes.string.isRequired,
  resource: PropTypes.oneOf(['guardians', 'students', 'years', 'breaks', 'courses', 'events'])
    .isRequired,
  title: PropTypes.string.isRequired,
  fields: PropTypes.arrayOf(
    PropTypes.shape({
      name: PropTypes.string.isRequired,
      label: PropTypes.string.isRequired,
      type: PropTypes.string,
      required: PropTypes.bool,
      hint: PropTypes.string,
      placeholder: PropTypes.string,
      options: PropTypes.arrayOf(
        PropTypes.shape({ value: PropTypes.string, label: PropTypes.string }),
      ),
    }),
  ).isRequired,
  toBody: PropTypes.func.isRequired,
  summary: PropTypes.func.isRequired,
  children: PropTypes.node,
}
