import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { ErrorCode } from '@thestorage/contracts';
import { ApiError, safeErrorMessage } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { isNotInPlan } from '../directory/directoryLabels';

/** The tenant has a directory connection: SCIM and a directory sync would overwrite each other's people. */
function isDirectoryConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.Conflict;
}

/** A refused SCIM token request: the plan hint, the directory conflict with its way out, or the message. */
export function ScimErrorAlert({ error }: { error: unknown }) {
  if (isNotInPlan(error)) {
    return <ErrorAlert error={error} tone="plan" title="User provisioning needs the Enterprise plan" />;
  }
  if (isDirectoryConflict(error)) {
    return (
      <Alert
        color="orange"
        variant="light"
        role="alert"
        title="A directory sync is connected"
        icon={<IconPlugConnected size={18} aria-hidden />}
      >
        <Stack gap={6}>
          <Text size="sm">{safeErrorMessage(error)}</Text>
          <Anchor component={Link} to="/settings/directory" size="sm" fw={500}>
            Open Settings → Directory
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return <ErrorAlert error={error} />;
}
