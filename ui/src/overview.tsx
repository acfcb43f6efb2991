import type { Severity, SeverityDay, Stats, UpstreamHealth } from './api';
import { useApi } from './hooks';
import { Problem } from './problem';

// Worst first, so the stack reads like the findings list; info is left out of the bars (it dwarfs
// the rest) but stays in the table.
const stacked: readonly Severity[] = ['critical', 'high', 'moderate', 'low'];

/** The home page's overview: findings over time, scan throughput, queue depth and upstream health. */
export function Overview() {
  const { data, error } = useApi<Stats>('/stats?days=14', ['decision', 'queue-changed']);
  return (
    <section className="overview" aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <Problem error={error} />
      {data && (
        <>
          <div className="tiles">
            <Tile label="Held for review" value={data.versions.review ?? 0} />
            <Tile label="Scans in the last hour" value={data.scans.lastHour} />
            <Tile
              label="Scan queue"
              value={data.queue.queued + data.queue.running}
              note={`${data.queue.running} running`}
            />
            <Tile
              label="Dead-lettered scans"
              value={data.queue.dead}
              {...(data.queue.dead > 0 ? { tone: 'bad' as const } : {})}
            />
            <UpstreamTile health={data.upstream} />
          </div>
          <SeverityChart days={data.findingsBySeverity} />
        </>
      )}
    </section>
  );
}

function Tile(props: { label: string; value: number | string; note?: string; tone?: 'bad' }) {
  return (
    <div className={`tile${props.tone ? ` tile-${props.tone}` : ''}`}>
      <div className="tile-value">{props.value}</div>
      <div className="tile-label">{props.label}</div>
      {props.note && <div className="tile-note">{props.note}</div>}
    </div>
  );
}

const upstreamWords: Record<UpstreamHealth['status'], string> = {
  ok: 'healthy',
  degraded: 'degraded',
  down: 'down',
  unknown: 'not contacted yet',
};

function UpstreamTile({ health }: { health: UpstreamHealth }) {
  const rate = `${Math.round(health.errorRate * 100)}% errors of ${health.attempts} requests`;
  return (
    <div className={`tile upstream upstream-${health.status}`}>
      <div className="tile-value">
        <span className="badge">{upstreamWords[health.status]}</span>
      </div>
      <div className="tile-label">Upstream registry</div>
      <div className="tile-note">
        {health.attempts > 0 && rate}
        {health.latencyMs && `, p50 ${health.latencyMs.p50} ms, p95 ${health.latencyMs.p95} ms`}
      </div>
      {health.lastSuccessAt && <div className="tile-note">last answer {health.lastSuccessAt}</div>}
      {health.lastFailureAt && (
        <div className="tile-note">
          last failure {health.lastFailureAt}
          {health.lastError ? `: ${health.lastError}` : ''}
        </div>
      )}
    </div>
  );
}

/** Stacked bars per day, drawn as plain SVG (no chart library); the same numbers follow as a table. */
function SeverityChart({ days }: { days: readonly SeverityDay[] }) {
  const width = 560;
  const height = 160;
  const axis = 18;
  const totals = days.map((d) => stacked.reduce((n, s) => n + d[s], 0));
  const max = Math.max(1, ...totals);
  const slot = width / Math.max(1, days.length);
  const bar = Math.max(4, slot * 0.7);
  const scale = (height - axis - 8) / max;
  const sum = (s: Severity) => days.reduce((n, d) => n + d[s], 0);
  return (
    <figure className="chart">
      <figcaption id="severity-title">
        Findings by severity, last {days.length} days (by day of decision)
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="severity-title severity-desc">
        <desc id="severity-desc">
          {stacked.map((s) => `${sum(s)} ${s}`).join(', ')} findings in all; the table below has each day.
        </desc>
        <line x1="0" x2={width} y1={height - axis} y2={height - axis} className="chart-axis" />
        {days.map((d, i) => {
          let y = height - axis;
          return (
            <g key={d.day}>
              {stacked.map((s) => {
                const h = d[s] * scale;
                y -= h;
                return h > 0 ? (
                  <rect
                    key={s}
                    x={i * slot + (slot - bar) / 2}
                    y={y}
                    width={bar}
                    height={h}
                    className={`fill-${s}`}
                  >
                    <title>{`${d.day}: ${d[s]} ${s}`}</title>
                  </rect>
                ) : null;
              })}
              {showLabel(i, days.length) && (
                <text x={i * slot + slot / 2} y={height - 4} textAnchor="middle" className="chart-label">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="legend" aria-hidden="true">
        {stacked.map((s) => (
          <li key={s}>
            <span className={`swatch fill-${s}`} /> {s}
          </li>
        ))}
      </ul>
      <details>
        <summary>Findings per day as a table</summary>
        <table className="chart-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              {[...stacked, 'info'].map((s) => (
                <th scope="col" key={s}>
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {[...stacked, 'info' as const].map((s) => (
                  <td key={s}>{d[s]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** About seven day labels, the last day always, none crowding it. */
function showLabel(i: number, count: number): boolean {
  const step = Math.ceil(count / 7);
  if (i === count - 1) return true;
  return i % step === 0 && count - 1 - i >= step / 2 + 0.5;
}
