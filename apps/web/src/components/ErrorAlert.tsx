import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { safeErrorMessage } from '../api/client';

const TONES = {
  /** Something went wrong. */
  failure: { color: 'red', Icon: IconAlertTriangle },
  /** The plan does not include it, or a plan limit is reached. */
  plan: { color: 'grape', Icon: IconLock },
} as const;

/** A refused request in the server's own words, with an optional title and more below the message. */
export function ErrorAlert({
  error,
  title,
  tone = 'failure',
  children,
}: {
  error: unknown;
  title?: string;
  tone?: keyof typeof TONES;
  children?: ReactNode;
}) {
  const { color, Icon } = TONES[tone];
  return (
    <Alert color={color} variant="light" role="alert" title={title} icon={<Icon size={18} aria-hidden />}>
      {safeErrorMessage(error)}
      {children}
    </Alert>
  );
}
