// Owns knowing whether the signed-in platform account is an admin: asked at start, when the window regains focus (a sign-in may have happened) and every few minutes.
import { useEffect, useState } from 'react';
import { adminAccess, type AdminAccess } from './api';

export const ACCESS_RECHECK_MS = 5 * 60_000;

/** `null` until the first answer; a failed check counts as "not an admin". A new `session` value
 * (bumped after a sign-in or a sync) asks again at once. */
export function useAdminAccess(session = 0): AdminAccess | null {
  const [access, setAccess] = useState<AdminAccess | null>(null);
  useEffect(() => {
    let alive = true;
    let inFlight = false;
    const check = () => {
      if (inFlight) return;
      inFlight = true;
      adminAccess()
        .then(
          (a) => alive && setAccess((old) => (same(old, a) ? old : a)),
          () => alive && setAccess((old) => old ?? { admin: false, email: null, user_id: null, code: 'UNKNOWN' }),
        )
        .finally(() => {
          inFlight = false;
        });
    };
    check();
    window.addEventListener('focus', check);
    const timer = setInterval(check, ACCESS_RECHECK_MS);
    return () => {
      alive = false;
      window.removeEventListener('focus', check);
      clearInterval(timer);
    };
  }, [session]);
  return access;
}

function same(a: AdminAccess | null, b: AdminAccess): boolean {
  return a !== null && a.admin === b.admin && a.user_id === b.user_id && a.code === b.code;
}
