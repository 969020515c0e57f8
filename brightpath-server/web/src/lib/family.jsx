import { createContext, useContext } from 'react'

/** The family the pages show: {id, name, time_zone}. */
export const FamilyContext = createContext(
  /** @type {{id: string, name: string, time_zone: string} | null} */ (null),
)

export function useCurrentFamily() {
  return useContext(FamilyContext)
}
