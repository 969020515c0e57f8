import { Suspense, lazy } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { ToastProvider } from '../components/common/Toast/index.js'
import { makeQueryClient } from './queryClient.js'
import { Shell } from './Shell.jsx'

// Each page is its own chunk: the first load carries only the shell.
const Login = lazy(() => import('../routes/Login.jsx'))
const Onboarding = lazy(() => import('../routes/Onboarding.jsx'))
const Week = lazy(() => import('../routes/Week.jsx'))
const Today = lazy(() => import('../routes/Today.jsx'))
const Progress = lazy(() => import('../routes/Progress.jsx'))
const Records = lazy(() => import('../routes/Records.jsx'))
const Settings = lazy(() => import('../routes/Settings.jsx'))
const Invite = lazy(() => import('../routes/Invite.jsx'))
const CoopImport = lazy(() => import('../routes/CoopImport.jsx'))
const CoopRoster = lazy(() => import('../routes/CoopRoster.jsx'))
const NotFound = lazy(() => import('../routes/NotFound.jsx'))

const client = makeQueryClient()

export function App() {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <BrowserRouter>
          <Suspense fallback={<p className="page">Loading…</p>}>
            <Routes>
              <Route path="/sign-in" element={<Login />} />
              <Route element={<Shell />}>
                <Route index element={<Navigate to="/week" replace />} />
                <Route path="/onboarding" element={<Onboarding />} />
                <Route path="/week" element={<Week />} />
                <Route path="/today" element={<Today />} />
                <Route path="/progress" element={<Progress />} />
                <Route path="/records" element={<Records />} />
                <Route path="/settings" element={<Settings />} />
                <Route path="/invitations/:token" element={<Invite />} />
                <Route path="/coops/:coopId" element={<CoopRoster />} />
                <Route path="/coops/:coopId/import" element={<CoopImport />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </ToastProvider>
    </QueryClientProvider>
  )
}
