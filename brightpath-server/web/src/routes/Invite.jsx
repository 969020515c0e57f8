import { useEffect, useRef } from 'react'
import { useNavigate, useParams } from 'react-router'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { request } from '../api/client.js'
import { FamilySchema } from '../api/schemas.js'
import { describe } from '../lib/errors.js'

/** Accept an invitation to join a family as its guardian. */
export default function Invite() {
  const { token } = useParams()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const accept = useMutation({
    mutationFn: () =>
      request(`/invitations/${encodeURIComponent(token)}/accept`, {
        method: 'POST',
        schema: FamilySchema,
      }),
    onSuccess: (f) => {
      localStorage.setItem('brightpath.family', f.id)
      qc.invalidateQueries()
      navigate('/week')
    },
  })
  const sent = useRef(false)
  useEffect(() => {
    if (!sent.current) {
      sent.current = true
      accept.mutate()
    }
  }, [accept])
  return (
    <>
      <h1>Joining the family</h1>
      {accept.isError ? (
        <p role="alert">{describe(accept.error)}</p>
      ) : (
        <p>Accepting the invitation…</p>
      )}
    </>
  )
}
