import { dismissNotice, useNotices } from "../lib/notify.tsx";

/** Where transaction notices appear: polite for progress, assertive for failures. */
export function Notices() {
  const notices = useNotices();
  return (
    <section className="notices" aria-label="Transactions">
      <div aria-live="polite" role="status">
        {notices
          .filter((n) => n.status !== "failed")
          .map((n) => (
            <div key={n.id} className={`notice notice-${n.status}`}>
              <strong>{n.label}</strong> <span>{n.message}</span>
            </div>
          ))}
      </div>
      <div aria-live="assertive" role="alert">
        {notices
          .filter((n) => n.status === "failed")
          .map((n) => (
            <div key={n.id} className="notice notice-failed">
              <strong>{n.label}</strong> <span>{n.message}</span>{" "}
              <button type="button" className="link" onClick={() => dismissNotice(n.id)}>
                Dismiss
              </button>
            </div>
          ))}
      </div>
    </section>
  );
}
