import { type MouseEvent, type ReactNode, useSyncExternalStore } from "react";

/** The current hash path ("/pod/0x12"), without the "#". */
function currentPath(): string {
  const hash = typeof window === "undefined" ? "" : window.location.hash;
  return hash.startsWith("#") ? hash.slice(1) || "/" : "/";
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener("hashchange", listener);
      return () => window.removeEventListener("hashchange", listener);
    },
    currentPath,
    () => "/",
  );
}

export function navigate(path: string) {
  window.location.hash = path;
}

/** Matches `/pod/:id/check-in` style patterns; returns the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/");
  const s = path.split("?")[0].split("/");
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(":")) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const current = usePath();
  return (
    <a
      href={`#${to}`}
      className={className}
      aria-current={current === to ? "page" : undefined}
      onClick={(e: MouseEvent) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
