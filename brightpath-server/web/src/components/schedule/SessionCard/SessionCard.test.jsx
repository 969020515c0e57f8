import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { SessionCard } from './SessionCard.jsx'
import { session } from '../../../test/fixtures.js'

describe('SessionCard', () => {
  it('moves by Alt+arrow keys without opening its menu', async () => {
    const onKeyMove = vi.fn()
    render(<SessionCard session={session()} onAction={vi.fn()} onKeyMove={onKeyMove} />)
    screen.getByRole('button', { name: /09:00–09:45 ?Math 5/ }).focus()
    await userEvent.keyboard('{Alt>}{ArrowRight}{/Alt}')
    expect(onKeyMove).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), {
      days: 1,
      minutes: 0,
    })
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}')
    expect(onKeyMove).toHaveBeenLastCalledWith(expect.anything(), { days: 0, minutes: 15 })
    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
  })

  it('offers pin and why in its menu', async () => {
    const onAction = vi.fn()
    render(<SessionCard session={session()} onAction={onAction} onKeyMove={vi.fn()} />)
    screen.getByRole('button', { name: /Math 5/ }).focus()
    await userEvent.keyboard('{Enter}')
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Pin here' }))
    expect(onAction).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), 'pin')
  })

  it('says when it is pinned or done', () => {
    render(
      <SessionCard
        session={session({ pinned: true, status: 'done' })}
        onAction={vi.fn()}
        onKeyMove={vi.fn()}
      />,
    )
    expect(screen.getByRole('button', { name: /Math 5.*done.*Ben, pinned/ })).toBeInTheDocument()
  })
})
