// Owns the platform stats at the top of the admin area: figure cards, the weekly sign-ups chart and the fan → user conversion per store, drawn in plain SVG from the real figures.
import { useLayoutEffect, useRef, useState } from 'react';
import { formatNumber, formatPercent } from '../format';
import type { Stats, StoreConversion, WeekCount } from './api';
import { monthTicks, niceMax, verticalBars, weekLabel } from './adminModel';

const CHART_H = 112;
const AXIS_W = 30;
const LABEL_H = 18;
/** The width drawn before the box is measured (and in tests, where nothing has a size). */
const FALLBACK_W = 520;

/** The content width of an element, following resizes. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function StatsPanel({ stats }: { stats: Stats | null }) {
  const figures: [string, string, number | null, string][] = [
    ['total', 'Users', stats?.total_users ?? null, 'Registered accounts'],
    ['creators', 'Creators', stats?.creators ?? null, 'Stripe connected'],
    ['students', 'Students', stats?.students ?? null, 'Enrolled or bought'],
    ['admins', 'Admins', stats?.admins ?? null, 'Platform admin flag'],
  ];
  const weeks = stats?.signups_per_week ?? [];
  const lastWeeks = weeks.reduce((sum, w) => sum + w.signups, 0);
  return (
    <section className="admin-stats" data-testid="admin-stats" aria-label="Platform stats">
      <div className="admin-figures">
        {figures.map(([key, label, value, hint]) => (
          <div className="admin-figure" key={key} title={hint}>
            <span className="admin-figure-label">{label}</span>
            <span className="admin-figure-value num" data-testid={`stat-${key}`} data-value={value ?? ''}>
              {value === null ? '—' : formatNumber(value)}
            </span>
            <span className="admin-figure-hint">{hint}</span>
          </div>
        ))}
      </div>
      <figure className="admin-chart">
        <figcaption>
          <span>New sign-ups per week</span>
          <span className="admin-chart-note num">{formatNumber(lastWeeks)} in 26 weeks</span>
        </figcaption>
        <SignupChart weeks={weeks} />
      </figure>
      <figure className="admin-chart">
        <figcaption>
          <span>Fan → user conversion per store</span>
        </figcaption>
        <ConversionChart stores={stats?.conversion ?? []} />
      </figure>
    </section>
  );
}

export function SignupChart({ weeks }: { weeks: WeekCount[] }) {
  const [box, measured] = useWidth<HTMLDivElement>();
  const CHART_W = measured > 0 ? measured : FALLBACK_W;
  const max = niceMax(Math.max(0, ...weeks.map((w) => w.signups)));
  const plotW = CHART_W - AXIS_W;
  const bars = verticalBars(
    weeks.map((w) => w.signups),
    plotW,
    CHART_H,
    max,
  );
  const slot = weeks.length > 0 ? plotW / weeks.length : 0;
  return (
    <div className="chart-box" ref={box}>
    <svg
      className="chart-svg"
      data-testid="signup-chart"
      width={CHART_W}
      height={CHART_H + LABEL_H}
      viewBox={`0 0 ${CHART_W} ${CHART_H + LABEL_H}`}
      role="img"
      aria-label={`Sign-ups per week over the last ${weeks.length} weeks`}
    >
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line className="chart-grid" x1={AXIS_W} x2={CHART_W} y1={CHART_H - f * CHART_H + 0.5} y2={CHART_H - f * CHART_H + 0.5} />
          <text className="chart-axis" x={AXIS_W - 6} y={CHART_H - f * CHART_H + (f === 1 ? 10 : 4)} textAnchor="end">
            {formatNumber(Math.round(f * max))}
          </text>
        </g>
      ))}
      <g transform={`translate(${AXIS_W} 0)`}>
        {bars.map((b, i) => (
          <rect
            key={weeks[i].week_start}
            className={i === bars.length - 1 ? 'chart-bar is-current' : 'chart-bar'}
            data-testid="signup-bar"
            data-count={weeks[i].signups}
            x={b.x}
            y={b.y}
            width={b.width}
            height={Math.max(b.height, weeks[i].signups > 0 ? 1 : 0)}
            rx={2}
          >
            <title>{`${weekLabel(weeks[i].week_start)}: ${formatNumber(weeks[i].signups)} sign-ups`}</title>
          </rect>
        ))}
        {monthTicks(weeks).map((t) => (
          <text key={t.index} className="chart-axis" x={t.index * slot + 2} y={CHART_H + LABEL_H - 4}>
            {t.label}
          </text>
        ))}
      </g>
    </svg>
    </div>
  );
}

export function ConversionChart({ stores }: { stores: StoreConversion[] }) {
  if (stores.length === 0) {
    return <p className="admin-chart-empty">No local stores yet: sync or import fans to see how they become users.</p>;
  }
  return (
    <ul className="conversion-bars" data-testid="conversion-chart">
      {stores.map((s) => (
        <li
          key={s.store_id}
          className="conversion-bar"
          data-testid="conversion-bar"
          data-store={s.store_id}
          data-rate={s.rate}
          title={`${s.store_name || s.store_id}: ${formatNumber(s.users)} of ${formatNumber(s.fans)} fans are users`}
        >
          <span className="conversion-name">{s.store_name || s.store_id}</span>
          <svg className="conversion-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect className="conversion-bg" x={0} y={0} width={100} height={10} rx={2} />
            <rect className="conversion-fill" x={0} y={0} width={Math.min(100, s.rate * 100)} height={10} rx={2} />
          </svg>
          <span className="conversion-value num">{formatPercent(s.rate)}</span>
          <span className="conversion-count num">
            {formatNumber(s.users)}/{formatNumber(s.fans)}
          </span>
        </li>
      ))}
    </ul>
  );
}
