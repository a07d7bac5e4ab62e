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

/**
 * A member's continuity ring: one arc per round of the cycle, filled when witnessed. Continuity only: it shows that
 * check-ins happened and were witnessed, never what they said.
 */
export function Ring({ states, label, size = 96 }: { states: readonly RoundState[]; label: string; size?: number }) {
  const n = Math.max(states.length, 1);
  const r = 40;
  const c = 2 * Math.PI * r;
  const gap = n > 1 ? Math.min(4, c / n / 4) : 0;
  const arc = c / n - gap;
  const witnessed = states.filter((s) => s === "witnessed").length;
  const missed = states.filter((s) => s === "missed").length;
  const summary = `${label}: ${witnessed} of ${states.length} rounds witnessed${missed ? `, ${missed} missed` : ""}.`;
  return (
    <figure className="ring">
      <svg viewBox="0 0 100 100" width={size} height={size} role="img" aria-label={summary}>
        <title>{summary}</title>
        {states.map((state, i) => (
          <circle
            // biome-ignore lint/suspicious/noArrayIndexKey: rounds are positional
            key={i}
            className={`ring-arc ring-${state}`}
            cx="50"
            cy="50"
            r={r}
            fill="none"
            strokeWidth="12"
            strokeDasharray={`${arc} ${c - arc}`}
            strokeDashoffset={-(i * (c / n)) + c / 4}
          >
            <title>{`Round ${i + 1}: ${stateWords[state]}`}</title>
          </circle>
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
