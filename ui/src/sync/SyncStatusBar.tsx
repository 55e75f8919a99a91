// Owns the status bar at the foot of the window (being built on its own branch; replaced before it lands).
import type { ApiError } from '../api';

export interface SyncStatusBarProps {
  onError: (error: ApiError) => void;
  /** Called after a sync changed local data, so counts and tables reload. */
  onDataChanged: () => void;
}

export function SyncStatusBar(_props: SyncStatusBarProps) {
  return null;
}
