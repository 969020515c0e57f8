import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../api/client.js'

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal is an answer; only an unreachable server is worth retrying.
        retry: (n, e) => !(e instanceof ApiError) && n < 2,
        refetchOnWindowFocus: true,
      },
    },
  })
}
