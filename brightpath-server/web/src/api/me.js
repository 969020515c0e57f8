import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, request } from './client.js'
import { FamiliesSchema, MeSchema, SignInOptionsSchema } from './schemas.js'
import { keys } from './keys.js'

/** Who is signed in; null when nobody is (401). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await request('/me', { schema: MeSchema })
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null
        throw e
      }
    },
    staleTime: 60_000,
  })
}

/** Whether a sign-in provider (Google) is configured on this server. */
export function useSignInOptions() {
  return useQuery({
    queryKey: keys.signInOptions,
    queryFn: () => request('/sign-in-options', { schema: SignInOptionsSchema }),
    staleTime: Infinity,
  })
}

export function useFamilies(enabled = true) {
  return useQuery({
    queryKey: keys.families,
    queryFn: () => request('/families', { schema: FamiliesSchema }),
    enabled,
  })
}

export function useLogout() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => request('/logout', { method: 'POST' }),
    onSettled: () => {
      qc.clear()
      qc.setQueryData(keys.me, null)
    },
  })
}
