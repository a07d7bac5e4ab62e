import { type ComponentType, lazy, Suspense } from "react";
import { useAccount, useDisconnect } from "wagmi";
import { useFollowChain } from "./hooks/useFollowChain.ts";
import { shortAddress } from "./lib/format.ts";
import { Link, match, usePath } from "./lib/router.tsx";
import { useRuntime } from "./lib/troth.tsx";
import { Loading } from "./ui/ErrorNote.tsx";
import { Notices } from "./ui/Notices.tsx";

type Params = Record<string, string>;
// Every screen is its own chunk: the first load carries only the shell.
const routes: [string, ComponentType<{ params: Params }>][] = [
  ["/", lazy(() => import("./routes/Home.tsx"))],
  ["/setup", lazy(() => import("./routes/Setup.tsx"))],
  ["/new", lazy(() => import("./routes/NewPod.tsx"))],
  ["/proposal/:covenant", lazy(() => import("./routes/Proposal.tsx"))],
  ["/pod/:podId", lazy(() => import("./routes/Pod.tsx"))],
  ["/pod/:podId/check-in", lazy(() => import("./routes/CheckIn.tsx"))],
  ["/pod/:podId/manage", lazy(() => import("./routes/Manage.tsx"))],
  ["/pod/:podId/meeting", lazy(() => import("./routes/Meeting.tsx"))],
  ["/meeting/:podId/:round/:start/:turn", lazy(() => import("./routes/Meeting.tsx"))],
  ["/meeting-sign/:tokenId/:round/:reportDigest", lazy(() => import("./routes/Meeting.tsx"))],
  ["/witness/:tokenId/:round", lazy(() => import("./routes/Witness.tsx"))],
  ["/collect/:payload", lazy(() => import("./routes/Collect.tsx"))],
  ["/consent/:payload", lazy(() => import("./routes/Consent.tsx"))],
  ["/recover", lazy(() => import("./routes/Recover.tsx"))],
  ["/recover/:tokenId/:account", lazy(() => import("./routes/Recover.tsx"))],
  ["/inbox", lazy(() => import("./routes/Inbox.tsx"))],
  ["/due", lazy(() => import("./routes/Due.tsx"))],
  ["/audit", lazy(() => import("./routes/Audit.tsx"))],
  ["/audit/:id", lazy(() => import("./routes/Audit.tsx"))],
  ["/settings", lazy(() => import("./routes/Settings.tsx"))],
];

/** Keeps what is on screen in step with the chain (renders nothing; waits for the read client like the screens). */
function FollowChain() {
  useFollowChain();
  return null;
}

function Account() {
  const { address, isConnected } = useAccount();
  const { disconnect } = useDisconnect();
  if (!isConnected || !address) return null;
  return (
    <div className="account">
      <span title={address}>{shortAddress(address)}</span>
      <button type="button" className="link" onClick={() => disconnect()}>
        Disconnect
      </button>
    </div>
  );
}

export function App() {
  const path = usePath();
  const { config } = useRuntime();
  let Screen: ComponentType<{ params: Params }> | undefined;
  let params: Params = {};
  for (const [pattern, component] of routes) {
    const found = match(pattern, path);
    if (found) {
      Screen = component;
      params = found;
      break;
    }
  }
  return (
    <>
      <button type="button" className="skip" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header className="top">
        <Link to="/" className="brand">
          Troth
        </Link>
        <nav aria-label="Main">
          <Link to="/">My pods</Link>
          <Link to="/due">Due now</Link>
          <Link to="/inbox">Witness</Link>
          <Link to="/new">New pod</Link>
          <Link to="/audit">Audit</Link>
          <Link to="/settings">Settings</Link>
        </nav>
        <Account />
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Suspense fallback={<Loading what="this page" />}>
          {Screen ? (
            <>
              <FollowChain />
              <Screen key={path} params={params} />
            </>
          ) : (
            <section>
              <h1>Page not found</h1>
              <p>
                This link doesn't lead anywhere in Troth. <Link to="/">Go to my pods</Link>.
              </p>
            </section>
          )}
        </Suspense>
      </main>
      <Notices />
      <footer className="foot">
        <p>
          {config.chainName} · Your words are encrypted on this device; the chain holds only digests and who kept the
          rhythm.
        </p>
      </footer>
    </>
  );
}
