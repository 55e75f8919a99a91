// Owns the segments area of the window (being built on its own branch; replaced before it lands).
import type { ApiError } from '../api';

export interface SegmentsAreaProps {
  storeId: string | null;
  onError: (error: ApiError) => void;
}

export function SegmentsArea(_props: SegmentsAreaProps) {
  return <div className="quiet-state">Segments</div>;
}
