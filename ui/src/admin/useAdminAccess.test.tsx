// Owns the tests of the admin check: "not signed in" means no Admin area, and a focus re-asks the platform.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdminAccess } from './api';

const answers: AdminAccess[] = [];
const asked = vi.fn();

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    adminAccess: async () => {
      asked();
      return answers.length > 1 ? answers.shift()! : answers[0];
    },
  };
});

const { useAdminAccess } = await import('./useAdminAccess');

function Probe() {
  const access = useAdminAccess();
  return <span data-testid="probe">{access === null ? 'pending' : access.admin ? 'admin' : `none:${access.code ?? ''}`}</span>;
}

afterEach(() => {
  cleanup();
  answers.length = 0;
  asked.mockReset();
});

describe('useAdminAccess', () => {
  it('starts as not-admin when nobody is signed in and shows the area after a sign-in and a focus', async () => {
    answers.push(
      { admin: false, email: null, user_id: null, code: 'NOT_SIGNED_IN' },
      { admin: true, email: 'ada@x.co', user_id: 'u0', code: null },
    );
    render(<Probe />);
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('none:NOT_SIGNED_IN'));
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('admin'));
    expect(asked).toHaveBeenCalledTimes(2);
  });
});
