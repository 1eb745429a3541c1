import { NavLink, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

type AnchorNavLinkProps = NavLinkProps &
  Omit<AnchorHTMLAttributes<HTMLAnchorElement>, keyof NavLinkProps> & { ref?: Ref<HTMLAnchorElement> };

function AnchorNavLink(props: AnchorNavLinkProps) {
  return <NavLink component="a" {...props} />;
}

const CreatedNavLink = createLink(AnchorNavLink);

/** Mantine's NavLink rendered as a real router link: an <a href>, so Tab, Enter and middle-click all work. */
export const RouterNavLink: LinkComponent<typeof AnchorNavLink> = (props) => (
  <CreatedNavLink preload="intent" {...props} />
);
