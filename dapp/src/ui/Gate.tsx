import { publishIdentityKey } from "@troth/sdk";
import type { ReactNode } from "react";
import { useAccount, useConnect, useConnectors } from "wagmi";
import { usePublishedKey } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { useIdentity } from "../lib/identity.tsx";
import { ErrorNote, Loading } from "./ErrorNote.tsx";

/** Why the wallet is asked to sign, in one sentence (shown wherever it is asked). */
export const WHY_SIGN =
  "Your wallet signs a fixed message to create your private encryption key on this device, so what you write is encrypted before it leaves here and only your pod can read it; it costs nothing and sends no transaction.";

export function ConnectPanel({ title = "Connect your wallet" }: { title?: string }) {
  const connectors = useConnectors();
  const { connect, error, isPending, variables } = useConnect();
  return (
    <section className="panel" aria-labelledby="connect-title">
      <h2 id="connect-title">{title}</h2>
      <p>Troth uses your wallet as your identity. Choose the wallet to use:</p>
      {connectors.length === 0 ? (
        <p>No wallet was found in this browser. Install a browser wallet, then reload this page.</p>
      ) : (
        <ul className="choices">
          {connectors.map((connector) => (
            <li key={connector.uid}>
              <button type="button" onClick={() => connect({ connector })} disabled={isPending}>
                {connector.icon && <img src={connector.icon} alt="" width={20} height={20} />}
                {isPending && variables?.connector === connector
                  ? `Connecting ${connector.name}…`
                  : `Connect ${connector.name}`}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

export function UnlockPanel() {
  const { unlock, unlocking, error } = useIdentity();
  return (
    <section className="panel" aria-labelledby="unlock-title">
      <h2 id="unlock-title">Unlock your pods</h2>
      <p className="why">{WHY_SIGN}</p>
      <button type="button" className="primary" onClick={() => unlock().catch(() => {})} disabled={unlocking}>
        {unlocking ? "Waiting for your wallet…" : "Sign to unlock"}
      </button>
      <ErrorNote error={error} />
    </section>
  );
}

/** First run: the member's key is derived; publishing it lets partners include them in a pod. */
function PublishPanel({ mismatch }: { mismatch: boolean }) {
  const { identity } = useIdentity();
  const publish = useTrothWrite("Publish your encryption key", (client) =>
    publishIdentityKey(client, { identity: identity! }),
  );
  return (
    <section className="panel" aria-labelledby="publish-title">
      <h2 id="publish-title">{mismatch ? "Your key has changed" : "Welcome to Troth"}</h2>
      {mismatch ? (
        <p>
          The encryption key this wallet just made differs from the one published for this account. Pods made with the
          old key stay readable only with it. Publish this one only if you mean to start over.
        </p>
      ) : (
        <p>
          Your encryption key is ready. Publish its public half so partners can invite you: one transaction, once, from
          any device.
        </p>
      )}
      <button type="button" className="primary" onClick={() => publish.mutate()} disabled={publish.isPending}>
        {publish.isPending ? "Publishing…" : "Publish my key"}
      </button>
      <ErrorNote error={publish.error} onRetry={() => publish.mutate()} />
    </section>
  );
}

/** Renders `children` once the wallet is connected (and, with `identity`, unlocked and its key published). */
export function Gate({ children, identity: needsIdentity = true }: { children: ReactNode; identity?: boolean }) {
  const { address, isConnected } = useAccount();
  const { identity } = useIdentity();
  const published = usePublishedKey(address);
  if (!isConnected || !address) return <ConnectPanel />;
  if (!needsIdentity) return <>{children}</>;
  if (!identity) return <UnlockPanel />;
  if (published.isPending) return <Loading what="your key" />;
  if (published.error) return <ErrorNote error={published.error} onRetry={() => published.refetch()} />;
  if (published.data === null) return <PublishPanel mismatch={false} />;
  if (published.data.toLowerCase() !== identity.publicKeyHex.toLowerCase()) return <PublishPanel mismatch />;
  return <>{children}</>;
}
