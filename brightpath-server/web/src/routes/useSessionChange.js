import { useCallback } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useSessionAction, useUndo } from '../api/week.js'
import { isConflict } from '../api/client.js'
import { keys } from '../api/keys.js'
import { useToast } from '../components/common/Toast/index.js'
import { describe } from '../lib/errors.js'

/**
 * A session change with what every page wants around it: an Undo toast on
 * success, the reason on refusal, and on a conflict a reload of the week
 * (never an overwrite of the other person's change).
 */
export function useSessionChange(fid, date) {
  const action = useSessionAction(fid, date)
  const undo = useUndo(fid)
  const toast = useToast()
  const qc = useQueryClient()
  const change = useCallback(
    (session, name, body, { onDone, onError } = {}) =>
      action.mutate(
        { session, action: name, body },
        {
          onSuccess: (r) => {
            toast({
              title: r.message,
              tone: 'success',
              action: {
                label: 'Undo',
                onClick: () =>
                  undo.mutate(undefined, {
                    onSuccess: (u) => toast({ title: u.message }),
                    onError: (e) =>
                      toast({ title: 'Could not undo', description: describe(e), tone: 'error' }),
                  }),
              },
            })
            onDone?.(r)
          },
          onError: (e) => {
            if (isConflict(e)) {
              qc.invalidateQueries({ queryKey: keys.weeks(fid) })
              toast({
                title: 'Changed elsewhere',
                description:
                  'Someone else changed this lesson first; the page now shows their version. Nothing was overwritten.',
                tone: 'error',
              })
            } else {
              toast({ title: 'Not changed', description: describe(e), tone: 'error' })
            }
            onError?.(e)
          },
        },
      ),
    [action, undo, toast, qc, fid],
  )
  return { change, pending: action.isPending }
}
