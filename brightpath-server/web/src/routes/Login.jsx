import { Navigate, useSearchParams } from 'react-router'
import { useMe, useSignInOptions } from '../api/me.js'
import { ServerDownBanner } from '../app/ServerDownBanner.jsx'
import styles from './Login.module.css'

export const NEXT = 'brightpath.next'

/** Sign in with Google, or with the one-time link `brightpath serve` printed. */
export default function Login() {
  const me = useMe()
  const options = useSignInOptions()
  const [params] = useSearchParams()
  // Until the server says, offer the button; hide it when no provider is set up.
  const provider = options.data?.provider ?? true
  if (me.data) return <Navigate to={params.get('next') || '/week'} replace />
  return (
    <main id="main" className={styles.login}>
      <ServerDownBanner />
      <h1>BrightPath</h1>
      <p>Plan and keep your homeschool: the week, today’s lessons, progress and records.</p>
      {provider && (
        <a
          className={styles.google}
          href="/login/google"
          // The provider brings the browser back to "/": remember where it was going.
          onClick={() => params.get('next') && sessionStorage.setItem(NEXT, params.get('next'))}
        >
          Sign in with Google
        </a>
      )}
      <p className="muted">
        On your own computer, open the one-time sign-in link that <code>brightpath serve</code>{' '}
        printed instead.
      </p>
    </main>
  )
}
