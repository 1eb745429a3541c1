import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { safeErrorMessage } from '../../../api/client';
import { isNotInPlan } from './directoryLabels';

/** A refused directory request: the plan hint for feature_not_in_plan, the server's message otherwise. */
export function DirectoryErrorAlert({ error }: { error: unknown }) {
  if (isNotInPlan(error)) {
    return (
      <Alert
        color="grape"
        variant="light"
        role="alert"
        title="Directory sync needs the Enterprise plan"
        icon={<IconLock size={18} aria-hidden />}
      >
        <Text size="sm">{safeErrorMessage(error)}</Text>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
      {safeErrorMessage(error)}
    </Alert>
  );
}
