import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render';
import { CSRF, catalogServer, invoiceSwitchesOn, place, tag, vendor } from './catalogTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const berlin = place('place-berlin', 'Berlin office', 3);
const storeroom = place('place-store', 'Storeroom');

async function row(table: string, name: string) {
  const found = await screen.findByRole('table', { name: table });
  return (await within(found).findByText(name)).closest('tr') as HTMLElement;
}

function type(container: HTMLElement, label: string | RegExp, value: string) {
  fireEvent.change(within(container).getByLabelText(label), { target: { value } });
}

describe('Settings → Places', () => {
  it('DEV-11: adds, renames and deletes a place, each change with the CSRF token and the version read', async () => {
    const server = catalogServer({ places: [berlin] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/places');
    expect((await row('Places', 'Berlin office')).textContent).toContain('3');

    fireEvent.click(screen.getByRole('button', { name: 'Add place' }));
    const add = await screen.findByRole('dialog', { name: 'Add place' });
    expect(document.activeElement).toBe(within(add).getByLabelText(/Name/));
    type(add, /Name/, '  Meeting room 2 ');
    fireEvent.click(within(add).getByRole('button', { name: 'Add place' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('POST')[0]?.body).toEqual({ name: 'Meeting room 2' });
    expect(server.sent('POST')[0]?.headers.get('x-csrf-token')).toBe(CSRF);

    const created = await row('Places', 'Meeting room 2');
    fireEvent.click(within(created).getByRole('button', { name: 'Edit place Meeting room 2' }));
    const edit = await screen.findByRole('dialog', { name: 'Edit place' });
    type(edit, /Name/, 'Meeting room 3');
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [patch] = server.sent('PATCH');
    expect(patch?.path).toMatch(/^\/api\/v1\/places\/places-\d+$/);
    expect(patch?.body).toEqual({ name: 'Meeting room 3', version: 1 });

    const renamed = await row('Places', 'Meeting room 3');
    fireEvent.click(within(renamed).getByRole('button', { name: 'Delete place Meeting room 3' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete place' });
    expect(confirm.textContent).toContain('No devices are assigned to it.');
    // The safe choice has the cursor.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete place' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [removal] = server.sent('DELETE');
    expect(removal?.path).toBe(`${patch?.path}?version=2`);
    expect(removal?.headers.get('x-csrf-token')).toBe(CSRF);
    await waitFor(() => expect(screen.queryByText('Meeting room 3')).toBeNull());
  });

  it('DEV-11: a place with devices is not deleted; the refusal says to reassign its devices first', async () => {
    const server = catalogServer({ places: [berlin, storeroom] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/places');
    fireEvent.click(
      within(await row('Places', 'Berlin office')).getByRole('button', {
        name: 'Delete place Berlin office',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete place' });
    expect(dialog.textContent).toContain('3 devices are assigned to it: reassign them first.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete place' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Reassign its 3 devices before deleting this place');
    expect(server.state.places.map((p) => p.name)).toEqual(['Berlin office', 'Storeroom']);
    expect(screen.getByRole('dialog', { name: 'Delete place' })).toBeTruthy();
  });

  it('DEV-11: the name is checked with the server’s rules, and a taken name is shown at the name field', async () => {
    const server = catalogServer({ places: [berlin] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/places');
    fireEvent.click(await screen.findByRole('button', { name: 'Add place' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add place' });
    type(dialog, /Name/, 'B');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add place' }));
    expect(await within(dialog).findByText('A place name needs at least 2 characters')).toBeTruthy();
    expect(server.sent('POST')).toEqual([]);

    type(dialog, /Name/, 'berlin OFFICE');
    expect(within(dialog).queryByText('A place name needs at least 2 characters')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add place' }));
    expect(await within(dialog).findByText('A place with this name already exists')).toBeTruthy();
    expect(within(dialog).getByLabelText(/Name/).getAttribute('aria-invalid')).toBe('true');
  });

  it('DEV-6: a stale rename or delete says "Modified by someone else"; Reload shows the current place, nothing is overwritten', async () => {
    const server = catalogServer({ places: [storeroom] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/places');
    fireEvent.click(
      within(await row('Places', 'Storeroom')).getByRole('button', { name: 'Edit place Storeroom' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit place' });
    server.changeBehindTheScenes('places', 'place-store', { name: 'Basement store' });
    type(dialog, /Name/, 'Cellar');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const alert = await within(dialog).findByRole('alert');
    expect(within(alert).getByText('Modified by someone else')).toBeTruthy();
    expect(server.state.places[0]).toMatchObject({ name: 'Basement store', version: 2 });

    const reads = server.reads('/api/v1/places');
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect((within(dialog).getByLabelText(/Name/) as HTMLInputElement).value).toBe('Basement store'),
    );
    expect(server.reads('/api/v1/places')).toBe(reads + 1);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await row('Places', 'Basement store');

    // A delete from the old list is refused the same way.
    server.changeBehindTheScenes('places', 'place-store', { name: 'Basement' });
    fireEvent.click(
      within(await row('Places', 'Basement store')).getByRole('button', {
        name: 'Delete place Basement store',
      }),
    );
    const confirm = await screen.findByRole('dialog', { name: 'Delete place' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete place' }));
    const refused = await within(confirm).findByRole('alert');
    expect(refused.textContent).toContain('Modified by someone else');
    expect(server.state.places).toHaveLength(1);
    fireEvent.click(within(refused).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(confirm.textContent).toContain('Delete the place Basement?'));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete place' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('DELETE').map((d) => d.path)).toEqual([
      '/api/v1/places/place-store?version=2',
      '/api/v1/places/place-store?version=3',
    ]);
    expect(server.state.places).toEqual([]);
  });

  it('DEV-4: the default place is marked in the list', async () => {
    vi.stubGlobal(
      'fetch',
      catalogServer({
        places: [berlin, storeroom],
        settings: {
          defaultPlaceId: 'place-store',
          barcodeMode: 'disabled',
          barcodePrefix: '',
          barcodeDigits: 6,
          ...invoiceSwitchesOn,
          version: 1,
        },
      }).fetchImpl,
    );
    renderApp('/settings/places');
    expect(within(await row('Places', 'Storeroom')).getByText('Default place')).toBeTruthy();
    expect(within(await row('Places', 'Berlin office')).queryByText('Default place')).toBeNull();
  });
});

describe('Settings → Tags', () => {
  it('DEV-11: tags show as badges in their colour; a new tag gets its name and colour', async () => {
    const server = catalogServer({ tags: [tag('tag-loaner', 'Loaner', 'orange', 2)] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/tags');
    const loaner = await row('Tags', 'Loaner');
    const badge = within(loaner).getByText('Loaner').closest('.mantine-Badge-root') as HTMLElement;
    expect(badge.getAttribute('style') ?? '').toContain('orange');
    expect(loaner.textContent).toContain('Orange');

    fireEvent.click(screen.getByRole('button', { name: 'Add tag' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add tag' });
    type(dialog, /Name/, 'Needs repair');
    const colours = within(dialog).getByRole('radiogroup', { name: 'Colour' });
    expect(within(colours).getAllByRole('radio')).toHaveLength(13);
    fireEvent.click(within(colours).getByRole('radio', { name: 'Red' }));
    const preview = within(dialog).getByText('Needs repair').closest('.mantine-Badge-root') as HTMLElement;
    expect(preview.getAttribute('style') ?? '').toContain('red');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('POST')[0]?.body).toEqual({ name: 'Needs repair', color: 'red' });
    const added = await row('Tags', 'Needs repair');
    expect(
      (within(added).getByText('Needs repair').closest('.mantine-Badge-root') as HTMLElement).getAttribute(
        'style',
      ),
    ).toContain('red');
  });

  it('DEV-11: deleting a tag says it is taken off the devices that carry it', async () => {
    const server = catalogServer({ tags: [tag('tag-loaner', 'Loaner', 'orange', 2)] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/tags');
    fireEvent.click(within(await row('Tags', 'Loaner')).getByRole('button', { name: 'Delete tag Loaner' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete tag' });
    expect(dialog.textContent).toContain('It is taken off the 2 devices that carry it.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete tag' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.state.tags).toEqual([]);
  });
});

describe('Settings → Vendors', () => {
  it('DEV-11: vendors show their website as a link; a website must be an http(s) address', async () => {
    const server = catalogServer({ vendors: [vendor('vendor-1', 'Contoso', 'https://contoso.example')] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/vendors');
    const contoso = await row('Vendors', 'Contoso');
    const link = within(contoso).getByRole('link', { name: 'contoso.example' });
    expect(link.getAttribute('href')).toBe('https://contoso.example');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');

    fireEvent.click(screen.getByRole('button', { name: 'Add vendor' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add vendor' });
    type(dialog, /Name/, 'Fabrikam');
    type(dialog, /Website/, 'ftp://fabrikam.example');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add vendor' }));
    expect(await within(dialog).findByText('A website is an http:// or https:// address')).toBeTruthy();
    expect(server.sent('POST')).toEqual([]);

    type(dialog, /Website/, '');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add vendor' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('POST')[0]?.body).toEqual({ name: 'Fabrikam', website: null });
    expect((await row('Vendors', 'Fabrikam')).textContent).toContain('None');
  });
});

describe('who may change the lists', () => {
  const lists = [
    { path: '/settings/places', table: 'Places', name: 'Berlin office' },
    { path: '/settings/tags', table: 'Tags', name: 'Loaner' },
    { path: '/settings/vendors', table: 'Vendors', name: 'Contoso' },
  ];
  const data = {
    places: [berlin],
    tags: [tag('tag-loaner', 'Loaner', 'orange')],
    vendors: [vendor('vendor-1', 'Contoso', 'https://contoso.example')],
  };

  it('DEV-11: a Viewer reads places, tags and vendors without any edit control', async () => {
    for (const list of lists) {
      vi.stubGlobal('fetch', catalogServer(data, 'viewer').fetchImpl);
      renderApp(list.path);
      await row(list.table, list.name);
      const main = screen.getByRole('main');
      expect(within(main).queryAllByRole('button')).toEqual([]);
      expect(within(main).queryAllByRole('textbox')).toEqual([]);
      expect(main.textContent).toContain('Administrators and Operators change them');
      cleanup();
    }
  });

  it('DEV-11: Operators and Administrators may add, edit and delete', async () => {
    for (const role of ['operator', 'administrator'] satisfies Role[]) {
      for (const list of lists) {
        vi.stubGlobal('fetch', catalogServer(data, role).fetchImpl);
        renderApp(list.path);
        const found = await row(list.table, list.name);
        expect(
          within(found)
            .getAllByRole('button')
            .map((b) => b.getAttribute('aria-label')),
        ).toEqual([expect.stringMatching(/^Edit /), expect.stringMatching(/^Delete /)]);
        expect(screen.getByRole('button', { name: /^Add / })).toBeTruthy();
        cleanup();
      }
    }
  });
});
