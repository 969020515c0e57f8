import { Navigate, useSearchParams } from 'react-router'
import { useMe } from '../api/me.js'
import { ServerDownBanner } from '../app/ServerDownBanner.jsx'
import styles from './Login.module.css'

/** Sign in with Google, or with the one-time link `brightpath serve` printed. */
export default function Login() {
  const me = useMe()
  const [params] = useSearchParams()
  if (me.data) return <Navigate to={params.get('next') || '/week'} replace />
  return (
    <main id="main" className={styles.login}>
      <ServerDownBanner />
      <h1>BrightPath</h1>
      <p>Plan and keep your homeschool: the week, today’s lessons, progress and records.</p>
      <a className={styles.google} href="/login/google">
        Sign in with Google
      </a>
      <p className="muted">
        On your own computer, open the one-time sign-in link that <code>brightpath serve</code>{' '}
        printed instead.
      </p>
    </main>
  )
}
