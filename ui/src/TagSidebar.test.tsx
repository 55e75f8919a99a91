// Owns the tag sidebar tests: exact counts, filtering by a tag, and rename / merge / delete only after confirmation.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkConfirmText } from './BulkTagDialog';
import { TagSidebar } from './TagSidebar';

afterEach(cleanup);

const TAGS = [
  { name: 'edm', count: 1234 },
  { name: 'vip', count: 1 },
  { name: '<img src=x onerror=alert(1)>', count: 0 },
];

function setup() {
  const props = {
    onToggle: vi.fn(),
    onRename: vi.fn(async () => {}),
    onMerge: vi.fn(async () => {}),
    onDelete: vi.fn(async () => {}),
  };
  const utils = render(<TagSidebar tags={TAGS} active={['VIP']} {...props} />);
  return { ...props, ...utils };
}

describe('TagSidebar', () => {
  it('lists each tag with its exact count, as text', () => {
    const { container } = setup();
    const items = screen.getAllByTestId('tag-item');
    expect(items.map((i) => [i.getAttribute('data-tag'), i.getAttribute('data-count')])).toEqual([
      ['edm', '1234'],
      ['vip', '1'],
      ['<img src=x onerror=alert(1)>', '0'],
    ]);
    expect(items[0].textContent).toContain('1,234');
    expect(container.querySelector('img')).toBeNull();
    expect(items[1].querySelector('[aria-pressed]')?.getAttribute('aria-pressed'), 'tag filters compare case-insensitively').toBe('true');
  });

  it('filters by a tag on click', () => {
    const { onToggle } = setup();
    fireEvent.click(screen.getAllByTitle(/Show only fans tagged/)[0]);
    expect(onToggle).toHaveBeenCalledWith('edm');
  });

  it('deletes only after the confirmation, which names how many fans lose it', async () => {
    const { onDelete } = setup();
    fireEvent.click(screen.getAllByTestId('tag-menu')[0]);
    fireEvent.click(screen.getByTestId('tag-delete'));
    const dialog = screen.getByTestId('confirm-delete-tag');
    expect(dialog.textContent).toContain('removed from 1,234 fans');
    expect(onDelete).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(screen.getByTestId('confirm')));
    expect(onDelete).toHaveBeenCalledWith('edm');
    expect(screen.queryByTestId('confirm-delete-tag')).toBeNull();
  });

  it('cancelling a deletion with Escape deletes nothing', () => {
    const { onDelete } = setup();
    fireEvent.click(screen.getAllByTestId('tag-menu')[1]);
    fireEvent.click(screen.getByTestId('tag-delete'));
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('confirm-delete-tag')).toBeNull();
    expect(onDelete).not.toHaveBeenCalled();
  });

  it('renames and merges through dialogs, showing refusals from the domain', async () => {
    const { onRename, onMerge } = setup();
    onRename.mockImplementationOnce(async () => {
      throw { code: 'INVALID_ARGUMENT', message: 'a tag named "vip" already exists' };
    });
    fireEvent.click(screen.getAllByTestId('tag-menu')[0]);
    fireEvent.click(screen.getByText('Rename…'));
    const input = screen.getByDisplayValue('edm');
    fireEvent.change(input, { target: { value: 'vip' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Rename' })));
    expect(onRename).toHaveBeenCalledWith('edm', 'vip');
    expect(screen.getByText('a tag named "vip" already exists')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    fireEvent.click(screen.getAllByTestId('tag-menu')[0]);
    fireEvent.click(screen.getByText('Merge into…'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Merge' })));
    expect(onMerge).toHaveBeenCalledWith('edm', 'vip');
  });
});

describe('bulkConfirmText', () => {
  it('states the action, the tag and the exact number', () => {
    expect(bulkConfirmText('add', 'vip', 123456, 'matching')).toBe(
      'Add “vip” to all 123,456 fans matching the current search and filter?',
    );
    expect(bulkConfirmText('remove', 'edm', 1, 'selected')).toBe('Remove “edm” from the 1 fan selected?');
  });
});
