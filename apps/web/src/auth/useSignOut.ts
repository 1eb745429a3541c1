import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { noContentSchema } from '../api/client';
import { isSignedOutError, useApiWrite } from '../api/session';

/** Ends the session at the server, then forgets everything cached and shows the sign-in page. */
export function useSignOut() {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post('/auth/sign-out', undefined, noContentSchema);
      } catch (error) {
        // An already-ended session is as signed out as it gets.
        if (!isSignedOutError(error)) throw error;
      }
    },
    onSuccess: async () => {
      await navigate({ to: '/sign-in', search: { signedOut: true } });
      queryClient.clear();
    },
  });
}
