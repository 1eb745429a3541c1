import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import type { ResolvedEmployee } from '@thestorage/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test-support/render';
import { EmployeeName, UNKNOWN_EMPLOYEE_EXPLANATION } from './EmployeeName';

const ada: ResolvedEmployee = {
  reference: 'a'.repeat(64),
  known: true,
  displayName: 'Ada Lovelace',
  userName: 'ada@example.com',
  jobTitle: 'Analyst',
  active: true,
};

const forgotten: ResolvedEmployee = {
  reference: 'b'.repeat(64),
  known: false,
  displayName: 'Unknown employee',
  userName: null,
  jobTitle: null,
  active: null,
};

/** The text a screen reader reads as the element's description. */
function descriptionOf(element: HTMLElement): string | null {
  const id = element.getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

afterEach(cleanup);

describe('EmployeeName', () => {
  it('SEC-6: shows a known employee by name, with the job title as a dimmed second line when asked', () => {
    renderWithProviders(<EmployeeName employee={ada} jobTitle="line" />);
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.getByText('Analyst')).toBeTruthy();
    cleanup();

    renderWithProviders(<EmployeeName employee={ada} />);
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.queryByText('Analyst')).toBeNull();
  });

  it('SEC-6: as a tooltip, the job title shows on hover or focus and is the name’s description', async () => {
    renderWithProviders(<EmployeeName employee={ada} jobTitle="tooltip" />);
    const name = screen.getByText('Ada Lovelace');
    expect(name.tabIndex).toBe(0);
    expect(descriptionOf(name)).toBe('Analyst');
    expect(screen.queryByRole('tooltip')).toBeNull();
    act(() => name.focus());
    expect((await screen.findByRole('tooltip')).textContent).toBe('Analyst');
  });

  it('SEC-6: a person the cache no longer knows shows as a muted, italic "Unknown employee" with the reason', async () => {
    renderWithProviders(<EmployeeName employee={forgotten} jobTitle="line" />);
    const unknown = screen.getByText('Unknown employee');
    expect(unknown.closest('[data-employee="unknown"]')?.getAttribute('style')).toMatch(/font-style: italic/);
    expect(descriptionOf(unknown)).toBe(UNKNOWN_EMPLOYEE_EXPLANATION);
    expect(UNKNOWN_EMPLOYEE_EXPLANATION).toBe(
      'This person is no longer in the 14-day employee cache: the directory has not confirmed them for 14 days.',
    );
    fireEvent.mouseEnter(unknown);
    expect((await screen.findByRole('tooltip')).textContent).toBe(UNKNOWN_EMPLOYEE_EXPLANATION);
  });

  it('DIR-4: a person deactivated in the directory is marked inactive', () => {
    renderWithProviders(<EmployeeName employee={{ ...ada, active: false }} />);
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.getByText('Inactive')).toBeTruthy();
  });

  it('SEC-6: while the name is being resolved, a placeholder says so', () => {
    renderWithProviders(<EmployeeName employee={undefined} />);
    expect(screen.getByText('Loading the name')).toBeTruthy();
    expect(screen.queryByText('Unknown employee')).toBeNull();
  });
});
