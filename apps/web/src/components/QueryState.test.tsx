import { useQuery } from '@tanstack/react-query';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { renderWithProviders } from '../test-support/render';
import { QueryState } from './QueryState';

afterEach(cleanup);

function Probe({ load }: { load: () => Promise<string> }) {
  const query = useQuery({ queryKey: ['probe'], queryFn: load });
  return (
    <QueryState query={query} label="the probe">
      {(data) => <p>Loaded: {data}</p>}
    </QueryState>
  );
}

describe('QueryState', () => {
  it('SHELL-1: shows a loader while the query is pending', async () => {
    renderWithProviders(<Probe load={() => new Promise<string>(() => {})} />);
    expect(await screen.findByRole('status', { name: 'Loading the probe' })).toBeTruthy();
  });

  it('SHELL-1: shows the safe error message and request id, and Retry loads again', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(
        new ApiError(503, 'service_unavailable', 'The database is starting.', { requestId: 'req-42' }),
      )
      .mockResolvedValueOnce('fresh data');
    renderWithProviders(<Probe load={load} />);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the probe');
    expect(alert.textContent).toContain('The database is starting.');
    expect(alert.textContent).toContain('req-42');

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Loaded: fresh data')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('SHELL-1: never shows the text of an unexpected error', async () => {
    renderWithProviders(<Probe load={() => Promise.reject(new Error('SELECT * FROM secrets failed'))} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).not.toContain('secrets');
    expect(alert.textContent).toContain('Something went wrong');
  });
});
