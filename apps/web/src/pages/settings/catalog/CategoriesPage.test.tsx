import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render';
import { CSRF, catalogServer, category, problemAnswer } from './catalogTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const laptops = category('cat-laptops', 'Laptops', {
  attributes: [
    { id: 'attr-screen', name: 'Screen', type: 'number', prefix: '', suffix: '"', required: true },
    { id: 'attr-chip', name: 'Chip', type: 'text', prefix: '', suffix: '', required: false },
  ],
  appendToName: true,
  deviceCount: 12,
});
const phones = category('cat-phones', 'Phones');

async function row(name: string) {
  const table = await screen.findByRole('table', { name: 'Categories' });
  return (await within(table).findByText(name)).closest('tr') as HTMLElement;
}

async function openEditor(name: string) {
  fireEvent.click(within(await row(name)).getByRole('button', { name: `Edit category ${name}` }));
  return screen.findByRole('dialog', { name: 'Edit category' });
}

function type(container: HTMLElement, label: string | RegExp, value: string) {
  fireEvent.change(within(container).getByLabelText(label), { target: { value } });
}

describe('Settings → Categories', () => {
  it('DEV-2: lists each category with its attributes, how device names are built and how many devices use it', async () => {
    vi.stubGlobal('fetch', catalogServer({ categories: [laptops, phones] }).fetchImpl);
    renderApp('/settings/categories');
    const laptopRow = await row('Laptops');
    expect(laptopRow.textContent).toContain('Screen (Number, required), Chip (Text)');
    expect(laptopRow.textContent).toContain('Values appended');
    expect(laptopRow.textContent).toContain('12');
    const phoneRow = await row('Phones');
    expect(phoneRow.textContent).toContain('None');
    expect(phoneRow.textContent).toContain('As typed');
    const sections = screen.getByRole('navigation', { name: 'Settings sections' });
    expect(within(sections).getByRole('link', { name: 'Categories' }).getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('DEV-2: adds a category with attributes; the live example shows the appended device name', async () => {
    const server = catalogServer({ categories: [phones] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    fireEvent.click(await screen.findByRole('button', { name: 'Add category' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add category' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/Category name/));
    type(dialog, /Category name/, 'Laptops');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add attribute' }));
    const screenSize = within(dialog).getByRole('group', { name: 'Attribute 1' });
    // A new row takes the cursor to its name.
    expect(document.activeElement).toBe(within(screenSize).getByLabelText(/Attribute name/));
    type(screenSize, /Attribute name/, 'Screen');
    fireEvent.change(within(screenSize).getByLabelText('Type'), { target: { value: 'number' } });
    type(screenSize, 'Suffix', '"');
    fireEvent.click(within(screenSize).getByRole('checkbox', { name: 'Required' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add attribute' }));
    type(within(dialog).getByRole('group', { name: 'Attribute 2' }), /Attribute name/, 'Chip');

    const example = within(dialog).getByTestId('device-name-example');
    expect(example.textContent).toBe('MacBook Pro (16", M3)');
    expect(dialog.textContent).toContain('When on, devices are named like');
    fireEvent.click(within(dialog).getByRole('switch', { name: /^Append attribute values to device names/ }));
    expect(dialog.textContent).toContain('Devices are named like');
    type(within(dialog).getByRole('group', { name: 'Attribute 1' }), 'Prefix', '~');
    expect(example.textContent).toBe('MacBook Pro (~16", M3)');
    type(within(dialog).getByRole('group', { name: 'Attribute 1' }), 'Prefix', '');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add category' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [post] = server.sent('POST');
    expect(post?.path).toBe('/api/v1/categories');
    expect(post?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(post?.body).toEqual({
      name: 'Laptops',
      attributes: [
        { name: 'Screen', type: 'number', prefix: '', suffix: '"', required: true },
        { name: 'Chip', type: 'text', prefix: '', suffix: '', required: false },
      ],
      appendToName: true,
    });
    expect((await row('Laptops')).textContent).toContain('Screen (Number, required), Chip (Text)');
  });

  it('DEV-2: the form says what is wrong before anything is sent, and stops at six attributes', async () => {
    const server = catalogServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    fireEvent.click(await screen.findByRole('button', { name: 'Add category' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add category' });
    type(dialog, /Category name/, 'L');
    for (let i = 0; i < 6; i += 1)
      fireEvent.click(within(dialog).getByRole('button', { name: 'Add attribute' }));
    expect(within(dialog).getByRole('button', { name: 'Add attribute' }).hasAttribute('disabled')).toBe(true);
    expect(dialog.textContent).toContain('A category has at most 6 attributes.');
    type(within(dialog).getByRole('group', { name: 'Attribute 1' }), /Attribute name/, 'Size');
    type(within(dialog).getByRole('group', { name: 'Attribute 2' }), /Attribute name/, ' size ');
    for (let i = 6; i >= 3; i -= 1) {
      fireEvent.click(within(dialog).getByRole('button', { name: `Remove attribute ${i}` }));
    }
    expect(within(dialog).queryByRole('group', { name: 'Attribute 3' })).toBeNull();
    // The removed row's button is gone: the cursor is on "Add attribute".
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Add attribute' }));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add category' }));
    expect(await within(dialog).findByText('A category name needs at least 2 characters')).toBeTruthy();
    expect(within(dialog).getByText('"size" is already an attribute')).toBeTruthy();
    expect(server.sent('POST')).toEqual([]);
  });

  it('DEV-2: a name already taken is shown at the name field, in the server’s words', async () => {
    const server = catalogServer({ categories: [laptops] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    fireEvent.click(await screen.findByRole('button', { name: 'Add category' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add category' });
    type(dialog, /Category name/, 'LAPTOPS');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add category' }));
    const message = await within(dialog).findByText('A category with this name already exists');
    const input = within(dialog).getByLabelText(/Category name/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(message.id);
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });

  it('DEV-2: the server’s validation details are shown at the fields they name; other refusals in its words', async () => {
    const server = catalogServer({ categories: [laptops] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    const dialog = await openEditor('Laptops');
    type(within(dialog).getByRole('group', { name: 'Attribute 2' }), 'Prefix', 'CPU');
    server.refuseNext(
      'PATCH',
      problemAnswer(400, 'validation_failed', 'Attribute names must be unique within a category', [
        { path: 'attributes.1.prefix', message: 'This prefix is not allowed here' },
      ]),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const message = await within(dialog).findByText('This prefix is not allowed here');
    const prefix = within(within(dialog).getByRole('group', { name: 'Attribute 2' })).getByLabelText(
      'Prefix',
    );
    expect(prefix.getAttribute('aria-describedby')).toContain(message.id);

    server.refuseNext('PATCH', problemAnswer(503, 'service_unavailable', 'The database is busy; try again.'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'The database is busy; try again.',
    );
    expect(server.state.categories[0]?.version).toBe(1);
  });

  it('DEV-2: editing sends the version read and keeps attribute ids, so devices keep their values', async () => {
    const server = catalogServer({ categories: [laptops] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    const dialog = await openEditor('Laptops');
    expect(within(dialog).getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true);
    type(within(dialog).getByRole('group', { name: 'Attribute 1' }), /Attribute name/, 'Screen size');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove attribute 2 (Chip)' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const [patch] = server.sent('PATCH');
    expect(patch?.path).toBe('/api/v1/categories/cat-laptops');
    expect(patch?.body).toEqual({
      name: 'Laptops',
      attributes: [
        { id: 'attr-screen', name: 'Screen size', type: 'number', prefix: '', suffix: '"', required: true },
      ],
      appendToName: true,
      version: 1,
    });
    expect((await row('Laptops')).textContent).toContain('Screen size (Number, required)');
  });

  it('DEV-6: a stale edit says "Modified by someone else"; Reload shows the current version and nothing is overwritten', async () => {
    const server = catalogServer({ categories: [laptops] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    const dialog = await openEditor('Laptops');
    server.changeBehindTheScenes('categories', 'cat-laptops', { name: 'Notebooks' });
    type(dialog, /Category name/, 'Portables');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    expect(alert.textContent).toContain('nothing was saved');
    expect(server.state.categories[0]).toMatchObject({ name: 'Notebooks', version: 2 });
    const readsBefore = server.reads('/api/v1/categories');

    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect((within(dialog).getByLabelText(/Category name/) as HTMLInputElement).value).toBe('Notebooks'),
    );
    expect(server.reads('/api/v1/categories')).toBe(readsBefore + 1);
    expect(within(dialog).getByRole('status').textContent).toContain('the form shows the current version');
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/Category name/));
    expect(await row('Notebooks')).toBeTruthy();

    // Saved again from the current version, the edit goes through.
    type(dialog, /Category name/, 'Portables');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('PATCH').map((p) => (p.body as { version: number }).version)).toEqual([1, 2]);
    expect(server.state.categories[0]).toMatchObject({ name: 'Portables', version: 3 });
  });

  it('DEV-2: a category that devices use is not deleted; the refusal gives their count', async () => {
    const server = catalogServer({ categories: [laptops, phones] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    fireEvent.click(within(await row('Laptops')).getByRole('button', { name: 'Delete category Laptops' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete category' });
    expect(dialog.textContent).toContain('12 devices use it: change their category first.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete category' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Still in use');
    expect(alert.textContent).toContain('12 devices use this category');
    expect(server.state.categories).toHaveLength(2);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    fireEvent.click(within(await row('Phones')).getByRole('button', { name: 'Delete category Phones' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete category' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete category' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('DELETE').map((d) => d.path)).toEqual([
      '/api/v1/categories/cat-laptops?version=1',
      '/api/v1/categories/cat-phones?version=1',
    ]);
    await waitFor(() => expect(screen.queryByText('Phones')).toBeNull());
  });

  it('DEV-2: at the plan limit Add is disabled and "Limit reached" says what the plan allows', async () => {
    const four = ['Laptops', 'Phones', 'Monitors', 'Docks'].map((name, i) => category(`cat-${i}`, name));
    vi.stubGlobal('fetch', catalogServer({ categories: four.slice(0, 3), limit: 4 }).fetchImpl);
    renderApp('/settings/categories');
    expect(await screen.findByText('3 of 4 categories on this plan')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add category' }).hasAttribute('disabled')).toBe(false);
    cleanup();

    vi.stubGlobal('fetch', catalogServer({ categories: four, limit: 4 }).fetchImpl);
    renderApp('/settings/categories');
    await row('Docks');
    expect(screen.getByRole('button', { name: 'Add category' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getAllByText('Limit reached').length).toBeGreaterThanOrEqual(1);
    expect(document.body.textContent).toContain('This tenant’s plan allows 4 categories');
  });

  it('DEV-2: when the server refuses at the limit, "Limit reached" shows its message and Add turns off', async () => {
    const server = catalogServer({ categories: [laptops, phones], limit: 3 });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/categories');
    fireEvent.click(await screen.findByRole('button', { name: 'Add category' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add category' });
    // Someone else adds the third category meanwhile.
    server.state.categories.push(category('cat-other', 'Monitors'));
    type(dialog, /Category name/, 'Docks');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add category' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Limit reached');
    expect(alert.textContent).toContain('Limit reached: the Free plan allows 3 categories');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await row('Monitors');
    expect(screen.getByRole('button', { name: 'Add category' }).hasAttribute('disabled')).toBe(true);
  });

  it('DEV-2: a Viewer reads the categories without any edit control', async () => {
    vi.stubGlobal('fetch', catalogServer({ categories: [laptops] }, 'viewer').fetchImpl);
    renderApp('/settings/categories');
    await row('Laptops');
    const main = screen.getByRole('main');
    expect(within(main).queryAllByRole('button')).toEqual([]);
    expect(within(main).queryAllByRole('textbox')).toEqual([]);
    expect(main.textContent).toContain(
      'You can read the categories; Administrators and Operators change them.',
    );
  });

  it('DEV-2: an Operator adds and edits categories', async () => {
    vi.stubGlobal('fetch', catalogServer({ categories: [laptops] }, 'operator').fetchImpl);
    renderApp('/settings/categories');
    expect(await screen.findByRole('button', { name: 'Add category' })).toBeTruthy();
    expect(within(await row('Laptops')).getByRole('button', { name: 'Edit category Laptops' })).toBeTruthy();
  });
});
