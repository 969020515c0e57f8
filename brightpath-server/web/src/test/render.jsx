import PropTypes from 'prop-types'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router'
import { render, renderHook } from '@testing-library/react'
import { ToastProvider } from '../components/common/Toast/index.js'
import { FamilyContext } from '../lib/family.jsx'
import { family } from './fixtures.js'

export function makeClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchInterval: false },
      mutations: { retry: false },
    },
  })
}

function Providers({ client, route, children }) {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider duration={100000}>
        <FamilyContext.Provider value={family}>
          <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
        </FamilyContext.Provider>
      </ToastProvider>
    </QueryClientProvider>
  )
}

Providers.propTypes = {
  client: PropTypes.object.isRequired,
  route: PropTypes.string.isRequired,
  children: PropTypes.node,
}

/** Renders with a fresh query client, toasts, the fixture family and a router. */
export function renderWith(ui, { route = '/', client = makeClient() } = {}) {
  return {
    client,
    ...render(
      <Providers client={client} route={route}>
        {ui}
      </Providers>,
    ),
  }
}

export function renderHookWith(hook, { client = makeClient() } = {}) {
  const wrapper = ({ children }) => (
    <Providers client={client} route="/">
      {children}
    </Providers>
  )
  wrapper.propTypes = { children: PropTypes.node }
  return { client, ...renderHook(hook, { wrapper }) }
}
