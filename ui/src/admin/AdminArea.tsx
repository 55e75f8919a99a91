// Owns the admin area of the window (being built on its own branch; replaced before it lands).
import type { ApiError } from '../api';

export interface AdminAreaProps {
  onError: (error: ApiError) => void;
}

export function AdminArea(_props: AdminAreaProps) {
  return <div className="quiet-state">Admin</div>;
}
