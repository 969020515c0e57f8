import { useState } from 'react'
import { ZipPicker } from './ZipPicker.jsx'

export default { title: 'Coop/ZipPicker', component: ZipPicker }

function Picker() {
  const [file, setFile] = useState(null)
  return <ZipPicker file={file} onChange={setFile} />
}

export const Empty = { render: () => <Picker /> }
export const Chosen = {
  args: { file: { name: 'roster-december.zip', size: 482113 }, onChange: () => {} },
}
export const Busy = {
  args: { file: { name: 'roster-december.zip', size: 482113 }, onChange: () => {}, disabled: true },
}
