import { useEffect, useSyncExternalStore } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { Banner } from '../components/common/Banner/index.js'
import { Button } from '../components/common/Button/index.js'
import { isServerDown, setServerDown, subscribe } from '../api/connection.js'

export const RETRY_MS = 3000

/** Asks /healthz; true when the server answers. */
async function ping() {
  try {
    const r = await fetch(new URL('/healthz', window.location.origin), { cache: 'no-store' })
    return r.ok
  } catch {
    return false
  }
}

/**
 * While the server does not answer: a banner that retries every few
 * seconds (and on demand), then refreshes what the page shows.
 */
export function ServerDownBanner() {
  const down = useSyncExternalStore(subscribe, isServerDown)
  const qc = useQueryClient()
  useEffect(() => {
    if (!down) return undefined
    const retry = async () => {
      if (await ping()) {
        setServerDown(false)
        qc.invalidateQueries()
      }
    }
    const t = setInterval(retry, RETRY_MS)
    return () => clearInterval(t)
  }, [down, qc])
  if (!down) return null
  return (
    <Banner
      tone="error"
      title="The server does not answer"
      action={
        <Button
          size="sm"
          onClick={async () => {
            if (await ping()) {
              setServerDown(false)
              qc.invalidateQueries()
            }
          }}
        >
          Retry now
        </Button>
      }
    >
      Trying again every few seconds. Nothing you see is lost.
    </Banner>
  )
}
