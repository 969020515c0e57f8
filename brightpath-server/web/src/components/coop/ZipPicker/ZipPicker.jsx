import { useEffect, useId, useRef, useState } from 'react'
import PropTypes from 'prop-types'
import { fileSize } from './size.js'
import styles from './ZipPicker.module.css'

const isZip = (f) => /\.zip$/i.test(f.name) || /zip/.test(f.type)

/**
 * Choose a roster .zip: a real file input (keyboard and screen readers use
 * it as it is), and the whole box takes a dropped file too.
 */
export function ZipPicker({ file, onChange, disabled = false }) {
  const id = useId()
  const input = useRef(/** @type {HTMLInputElement|null} */ (null))
  const [over, setOver] = useState(false)
  const [error, setError] = useState('')
  // Chosen again from the start: the input forgets the old file too.
  useEffect(() => {
    if (!file && input.current) input.current.value = ''
  }, [file])

  const take = (f) => {
    if (!f) return
    if (!isZip(f)) {
      setError(`"${f.name}" is not a .zip file. Choose the zip of the OneRoster CSV files.`)
      onChange(null)
      return
    }
    setError('')
    onChange(f)
  }

  return (
    <div
      className={styles.zone}
      data-over={over || undefined}
      data-disabled={disabled || undefined}
      onDragOver={(e) => {
        if (disabled) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        if (!disabled) take(e.dataTransfer.files?.[0])
      }}
    >
      <label htmlFor={id} className={styles.label}>
        Roster file (.zip)
      </label>
      <input
        ref={input}
        id={id}
        type="file"
        accept=".zip,application/zip,application/x-zip-compressed"
        className={styles.input}
        disabled={disabled}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => take(e.target.files?.[0])}
      />
      <p id={`${id}-hint`} className={styles.hint}>
        The OneRoster 1.2 CSV files (users.csv, classes.csv, enrollments.csv, manifest.csv …) in one
        zip. Or drop the file on this box.
      </p>
      {file && (
        <p className={styles.chosen}>
          Chosen: <strong>{file.name}</strong> ({fileSize(file.size)})
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

ZipPicker.propTypes = {
  file: PropTypes.shape({ name: PropTypes.string.isRequired, size: PropTypes.number.isRequired }),
  onChange: PropTypes.func.isRequired,
  disabled: PropTypes.bool,
}
