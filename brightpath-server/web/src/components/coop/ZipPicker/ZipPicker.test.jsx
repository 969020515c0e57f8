import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ZipPicker } from './ZipPicker.jsx'
import { fileSize } from './size.js'

const zip = () => new File(['PK\x03\x04'], 'roster.zip', { type: 'application/zip' })

describe('ZipPicker', () => {
  it('takes a .zip from its labelled file input', async () => {
    const onChange = vi.fn()
    render(<ZipPicker file={null} onChange={onChange} />)
    const input = screen.getByLabelText('Roster file (.zip)')
    expect(input).toHaveAttribute('type', 'file')
    await userEvent.upload(input, zip())
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ name: 'roster.zip' }))
  })

  it('takes a dropped file, and refuses what is not a zip', () => {
    const onChange = vi.fn()
    const { container } = render(<ZipPicker file={null} onChange={onChange} />)
    const zone = container.firstChild
    fireEvent.drop(zone, { dataTransfer: { files: [zip()] } })
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'roster.zip' }))
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['a,b'], 'users.csv')] } })
    expect(onChange).toHaveBeenLastCalledWith(null)
    expect(screen.getByRole('alert')).toHaveTextContent('"users.csv" is not a .zip file')
  })

  it('says which file is chosen, and how big', () => {
    render(<ZipPicker file={{ name: 'r.zip', size: 482113 }} onChange={() => {}} />)
    expect(screen.getByText(/Chosen:/)).toHaveTextContent('Chosen: r.zip (482 KB)')
    expect(fileSize(1_200_000)).toBe('1.2 MB')
  })
})
