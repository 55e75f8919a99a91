// Owns the campaigns area of the window (being built on its own branch; replaced before it lands).
import type { ApiError } from '../api';

export interface CampaignsAreaProps {
  storeId: string | null;
  onError: (error: ApiError) => void;
}

export function CampaignsArea(_props: CampaignsAreaProps) {
  return <div className="quiet-state">Campaigns</div>;
}
