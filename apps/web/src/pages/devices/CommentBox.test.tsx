import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render';
import { comment, DEVICE_ID, devicesServer, sent } from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DEVICE_PATH = `/api/v1/devices/${DEVICE_ID}`;

async function openDevice(server: ReturnType<typeof devicesServer>) {
  vi.stubGlobal('fetch', server.fetchImpl);
  renderApp(`/devices/${DEVICE_ID}`);
  await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1' });
}

describe('comments on the device page', () => {
  it('DEV-1: Comments lists the device comments newest first with author and time; the rest behind Show all', async () => {
    const server = devicesServer({
      comments: [
        comment({ body: 'Back from repair', authorEmail: 'olaf.operator@demo.thestorage.dev' }),
        comment({ body: 'Sent to repair' }),
        comment({ body: 'Screen flickers' }),
        comment({ body: 'Bought second hand' }),
      ],
    });
    await openDevice(server);
    const comments = screen.getByRole('region', { name: 'Comments' });
    const list = await within(comments).findByRole('list', { name: 'Comments, newest first' });
    const bodies = () =>
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.firstChild?.textContent);
    expect(bodies()).toEqual(['Back from repair', 'Sent to repair', 'Screen flickers']);
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain(
      'olaf.operator@demo.thestorage.dev',
    );

    fireEvent.click(within(comments).getByRole('button', { name: 'Show all 4 comments' }));
    expect(bodies()).toEqual(['Back from repair', 'Sent to repair', 'Screen flickers', 'Bought second hand']);
    expect(sent(server.requests, 'GET', `${DEVICE_PATH}/comments`)).toHaveLength(1);
    // The list is the comments' own, no longer read out of the history.
    expect(sent(server.requests, 'GET', `${DEVICE_PATH}/history`)).toHaveLength(0);
  });

  it('DEV-1: a comment sent shows at the top of Comments', async () => {
    const server = devicesServer();
    await openDevice(server);
    const comments = screen.getByRole('region', { name: 'Comments' });
    await within(comments).findByText('No comments yet.');
    fireEvent.change(within(comments).getByLabelText('Add a comment'), {
      target: { value: 'Sent to repair' },
    });
    fireEvent.click(within(comments).getByRole('button', { name: 'Add comment' }));
    await within(comments).findByText('Comment added');
    expect(sent(server.requests, 'POST', `${DEVICE_PATH}/comments`)[0]?.body).toEqual({
      body: 'Sent to repair',
    });
    const list = await within(comments).findByRole('list', { name: 'Comments, newest first' });
    expect(within(list).getByText('Sent to repair')).toBeTruthy();
    expect((within(comments).getByLabelText('Add a comment') as HTMLTextAreaElement).value).toBe('');
  });

  it('DEV-1: comments that cannot be loaded say why, with Retry', async () => {
    const server = devicesServer();
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/comments') && init?.method === 'GET'
        ? new Response(
            JSON.stringify({
              type: 'about:blank',
              title: 'x',
              status: 503,
              error: { code: 'service_unavailable', message: 'The database is busy.' },
            }),
            { status: 503, headers: { 'content-type': 'application/problem+json' } },
          )
        : server.fetchImpl(input, init),
    );
    renderApp(`/devices/${DEVICE_ID}`);
    const comments = await screen.findByRole('region', { name: 'Comments' });
    const alert = await within(comments).findByRole('alert');
    expect(alert.textContent).toContain('Could not load the comments');
    expect(alert.textContent).toContain('The database is busy.');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});
