// Whether the server answers. The API client reports failures here; the
// banner subscribes and retries until the server is back.
const listeners = new Set()
let down = false

/** @returns {boolean} */
export function isServerDown() {
  return down
}

/** @param {boolean} value */
export function setServerDown(value) {
  if (value === down) return
  down = value
  listeners.forEach((l) => l())
}

/** @param {() => void} listener */
export function subscribe(listener) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
