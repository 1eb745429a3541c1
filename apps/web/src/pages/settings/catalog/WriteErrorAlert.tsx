import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconLink } from '@tabler/icons-react';
import { devicesInTheWayOf, isLimitReached, isModifiedBySomeoneElse } from '../../../api/catalog';
import { safeErrorMessage } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { StaleAlert } from '../../../components/StaleAlert';

interface WriteErrorAlertProps {
  error: unknown;
  /** What was being changed, for the "Modified by someone else" text. */
  what: string;
  onReload(): void;
  reloading: boolean;
}

/**
 * A refused save or delete, in the server's words: a stale version with its Reload action, the plan's
 * limit, devices still using the entry, or any other refusal.
 */
export function WriteErrorAlert({ error, what, onReload, reloading }: WriteErrorAlertProps) {
  if (isModifiedBySomeoneElse(error)) {
    return <StaleAlert what={`the ${what}`} onReload={onReload} reloading={reloading} />;
  }
  if (isLimitReached(error)) {
    return <ErrorAlert error={error} tone="plan" title="Limit reached" />;
  }
  if (devicesInTheWayOf(error) !== undefined) {
    return (
      <Alert
        color="orange"
        variant="light"
        role="alert"
        title="Still in use"
        icon={<IconLink size={18} aria-hidden />}
      >
        {safeErrorMessage(error)}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
      {safeErrorMessage(error)}
    </Alert>
  );
}
