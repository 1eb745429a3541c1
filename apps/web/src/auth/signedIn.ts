import type { Me } from '@thestorage/contracts';
import { createContext, useContext } from 'react';

export const SignedInContext = createContext<Me | null>(null);

/** The signed-in person; only usable below the auth gate, which renders nothing else without one. */
export function useSignedIn(): Me {
  const me = useContext(SignedInContext);
  if (!me) throw new Error('useSignedIn is used outside the auth gate.');
  return me;
}
