import { Anchor, type AnchorProps } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { DeviceListSearch } from '../devices/deviceListSearch';

export interface DeviceListLinkProps extends AnchorProps {
  search: DeviceListSearch;
  /** Names the link when its text is a bare number ("Missing: 4 devices"). */
  'aria-label'?: string;
  children: ReactNode;
}

/** A figure of the dashboard as a link to the device list showing those devices (DASH-1). */
export function DeviceListLink({ search, children, ...props }: DeviceListLinkProps) {
  return (
    <Anchor renderRoot={(root) => <Link {...root} to="/devices" search={search} />} {...props}>
      {children}
    </Anchor>
  );
}
