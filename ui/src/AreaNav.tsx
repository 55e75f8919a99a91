// Owns the switch between the app's areas: contacts, segments, campaigns and (for platform admins) admin.
export type Area = 'contacts' | 'segments' | 'campaigns' | 'admin';

const LABELS: Record<Area, string> = {
  contacts: 'Contacts',
  segments: 'Segments',
  campaigns: 'Campaigns',
  admin: 'Admin',
};

export interface AreaNavProps {
  area: Area;
  onChange: (area: Area) => void;
  /** The Admin area shows only when the signed-in platform account is an admin. */
  showAdmin: boolean;
}

export function AreaNav({ area, onChange, showAdmin }: AreaNavProps) {
  const areas: Area[] = showAdmin ? ['contacts', 'segments', 'campaigns', 'admin'] : ['contacts', 'segments', 'campaigns'];
  return (
    <nav className="area-nav" aria-label="Areas">
      {areas.map((a) => (
        <button
          key={a}
          type="button"
          className="area-tab"
          data-testid={`nav-${a}`}
          aria-current={a === area ? 'page' : undefined}
          onClick={() => onChange(a)}
        >
          {LABELS[a]}
        </button>
      ))}
    </nav>
  );
}
