import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../test-support/people';
import { jsonFetch, renderApp } from '../test-support/render';

const navigation = [
  ['Dashboard', '/'],
  ['Devices', '/devices'],
  ['Employees', '/employees'],
  ['Software', '/software'],
  ['Audit', '/audit'],
  ['Store', '/store'],
  ['Settings', '/settings'],
  ['Users & Roles', '/settings/users'],
] as const;

beforeEach(() => {
  // The dashboard asks the server for its status; the shell tests do not care about the answer.
  vi.stubGlobal('fetch', jsonFetch({ '/api/v1/me': { body: meAs('administrator') } }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function sidebar() {
  return screen.getByRole('navigation', { name: 'Main navigation' });
}

describe('the app shell', () => {
  it('SHELL-1: renders the navigation entries of an Administrator as links', async () => {
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    const links = within(sidebar()).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual(navigation);
  });

  it('SHELL-1: shows the product name, the tenant, the colour scheme toggle and the account menu', async () => {
    renderApp('/');
    const banner = await screen.findByRole('banner');
    expect(within(banner).getByText('TheStorage')).toBeTruthy();
    expect(within(banner).getByText('Demo Berlin')).toBeTruthy();
    expect(within(banner).getByRole('button', { name: 'Account: Ada Admin' })).toBeTruthy();
    expect(within(banner).getByRole('button', { name: /Switch to (dark|light) mode/ })).toBeTruthy();
  });

  it('SHELL-1: marks only the current page as active', async () => {
    renderApp('/software');
    await screen.findByRole('heading', { level: 1, name: 'Software' });
    const current = within(sidebar())
      .getAllByRole('link')
      .filter((link) => link.getAttribute('aria-current') === 'page');
    expect(current.map((link) => link.textContent)).toEqual(['Software']);
  });

  it('SHELL-1: following a sidebar link opens its page with a coming-soon panel', async () => {
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    fireEvent.click(within(sidebar()).getByRole('link', { name: 'Software' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Software' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Coming soon' })).toBeTruthy();
    expect(screen.getByText(/utilisation at a glance/)).toBeTruthy();
  });

  it('SHELL-1: an unknown address shows the not-found page inside the shell', async () => {
    renderApp('/no-such-page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(within(sidebar()).getAllByRole('link')).toHaveLength(navigation.length);
    expect(screen.getByRole('link', { name: /Back to the dashboard/ }).getAttribute('href')).toBe('/');
  });
});
