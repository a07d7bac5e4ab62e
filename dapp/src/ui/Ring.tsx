import type { RoundState } from "@troth/sdk";

const stateWords: Record<RoundState, string> = {
  witnessed: "witnessed",
  reported: "checked in, waiting for a witness",
  open: "open now",
  missed: "missed",
  upcoming: "upcoming",
  paused: "paused",
  outside: "not part of this member's span",
};

/** A point on the ring's circle, `degrees` clockwise from the top. */
function onCircle(r: number, degrees: number): [number, number] {
  const a = ((degrees - 90) * Math.PI) / 180;
  return [50 + r * Math.cos(a), 50 + r * Math.sin(a)];
}

/**
 * The arc of round `i` of `n`: its own path from its start to its end angle (with a small gap before the next), so
 * any stroke style one round takes (a missed round's dashes) stays on that round.
 */
export function arcPath(i: number, n: number, r = 40): string {
  const step = 360 / n;
  if (n === 1) {
    // A whole circle is two half arcs (an arc from a point to itself draws nothing).
    const [x0, y0] = onCircle(r, 0);
    const [x1, y1] = onCircle(r, 180);
    return `M ${x0} ${y0} A ${r} ${r} 0 1 1 ${x1} ${y1} A ${r} ${r} 0 1 1 ${x0} ${y0}`;
  }
  const gap = Math.min(step / 4, (4 / (2 * Math.PI * r)) * 360);
  const [x0, y0] = onCircle(r, i * step);
  const [x1, y1] = onCircle(r, (i + 1) * step - gap);
  const large = step - gap > 180 ? 1 : 0;
  const f = (v: number) => v.toFixed(3);
  return `M ${f(x0)} ${f(y0)} A ${r} ${r} 0 ${large} 1 ${f(x1)} ${f(y1)}`;
}

/**
 * A member's continuity ring: one arc per round of the cycle, filled when witnessed. Continuity only: it shows that
 * check-ins happened and were witnessed, never what they said.
 */
export function Ring({ states, label, size = 96 }: { states: readonly RoundState[]; label: string; size?: number }) {
  const n = Math.max(states.length, 1);
  const witnessed = states.filter((s) => s === "witnessed").length;
  const missed = states.filter((s) => s === "missed").length;
  const summary = `${label}: ${witnessed} of ${states.length} rounds witnessed${missed ? `, ${missed} missed` : ""}.`;
  return (
    <figure className="ring">
      <svg viewBox="0 0 100 100" width={size} height={size} role="img" aria-label={summary}>
        <title>{summary}</title>
        {states.map((state, i) => (
          <path
            // biome-ignore lint/suspicious/noArrayIndexKey: rounds are positional
            key={i}
            className={`ring-arc ring-${state}`}
            d={arcPath(i, n)}
            fill="none"
            strokeWidth="12"
          >
            <title>{`Round ${i + 1}: ${stateWords[state]}`}</title>
          </path>
        ))}
        <text x="50" y="55" textAnchor="middle" className="ring-count">
          {witnessed}/{states.length}
        </text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function RingLegend() {
  return (
    <ul className="legend" aria-label="What the ring shows">
      {(["witnessed", "reported", "open", "missed", "upcoming"] as const).map((s) => (
        <li key={s}>
          <span className={`swatch ring-${s}`} aria-hidden="true" /> {stateWords[s]}
        </li>
      ))}
    </ul>
  );
}
