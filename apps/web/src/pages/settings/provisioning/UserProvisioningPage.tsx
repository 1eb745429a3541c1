import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ScimTokenCreated } from '@thestorage/contracts';
import { useState } from 'react';
import { scimTokenStatusQuery } from '../../../api/scim';
import { QueryState } from '../../../components/QueryState';
import { NewScimTokenPanel } from './NewScimTokenPanel';
import { ScimTokenCard } from './ScimTokenCard';

/** Settings → User provisioning (Administrators): the SCIM token an identity provider pushes people with. */
export function UserProvisioningPage() {
  const status = useQuery(scimTokenStatusQuery);
  // Only in this page's memory: leaving or reloading the page forgets the token for good.
  const [created, setCreated] = useState<ScimTokenCreated | null>(null);

  return (
    <Stack gap="lg" maw={900}>
      <Text size="sm" c="dimmed" maw={640}>
        With SCIM provisioning, your identity provider (Microsoft Entra ID, Okta or another SCIM 2.0 client)
        pushes people into the employee cache instead of a directory sync reading them. People it pushes stay
        in the cache for 14 days after its last SCIM request, then show as “Unknown employee”. Use either SCIM
        or a directory connection, not both.
      </Text>
      <QueryState query={status} label="the SCIM token status">
        {(data) => (
          <ScimTokenCard status={data} onGenerated={setCreated} onRevoked={() => setCreated(null)} />
        )}
      </QueryState>
      {/* Outside the status query: a failed refresh must not take the one-time token off the screen. */}
      {created && (
        // A new panel for each new token, so the focus moves to it again after "Regenerate token".
        <NewScimTokenPanel key={created.createdAt} created={created} onDone={() => setCreated(null)} />
      )}
    </Stack>
  );
}
