import { type NavigateOptions, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';

/**
 * Navigates once when shown. TanStack's <Navigate> navigates again whenever its props object is new,
 * which loops when the parent re-renders during the navigation it started.
 */
export function Redirect(props: NavigateOptions) {
  const navigate = useNavigate();
  const options = useRef(props);
  useEffect(() => {
    void navigate({ ...options.current, replace: true });
  }, [navigate]);
  return null;
}
