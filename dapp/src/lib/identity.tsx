import type { IdentityKey } from "@troth/sdk/crypto";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { useAccount } from "wagmi";
import { getWalletClient } from "wagmi/actions";
import { createDraftVault, type DraftVault } from "./drafts.ts";
import { useRuntime } from "./troth.tsx";

/** The member's storage settings, loaded with the store (not in the first paint's code). */
const storageSettings = () => import("./storageSettings.ts");

/**
 * The member's identity key (derived from a wallet signature) and their draft vault. Both live in memory only: a
 * reload asks the wallet to sign again, and nothing decrypted is ever written anywhere.
 */
export type IdentityState = {
  identity: IdentityKey | null;
  vault: DraftVault | null;
  unlocking: boolean;
  error: unknown;
  unlock: () => Promise<IdentityKey>;
};

/** The identity context (exported so tests and embedders can provide a vault of their own). */
export const IdentityContext = createContext<IdentityState | null>(null);

export function IdentityProvider({ children }: { children: ReactNode }) {
  const { wagmiConfig, config } = useRuntime();
  const { address } = useAccount();
  const [state, setState] = useState<{ identity: IdentityKey; vault: DraftVault } | null>(null);
  const [unlocking, setUnlocking] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Another account is another identity: forget the key the moment the wallet switches.
  useEffect(() => {
    setState((s) => {
      if (s && address && s.identity.address.toLowerCase() === address.toLowerCase()) return s;
      if (s) void storageSettings().then((m) => m.clearMemberStorage());
      return null;
    });
    setError(null);
  }, [address]);

  const unlock = useCallback(async () => {
    setUnlocking(true);
    setError(null);
    try {
      const walletClient = await getWalletClient(wagmiConfig, { chainId: config.chainId });
      const { getIdentityKey } = await import("./lazySdk.ts");
      const identity = await getIdentityKey(walletClient);
      const vault = await createDraftVault(identity);
      // The member's own storage (Settings), so that their writes go there from the first one.
      await (await storageSettings()).loadMemberStorage(identity);
      setState({ identity, vault });
      return identity;
    } catch (e) {
      setError(e);
      throw e;
    } finally {
      setUnlocking(false);
    }
  }, [wagmiConfig, config.chainId]);

  const value = useMemo<IdentityState>(
    () => ({ identity: state?.identity ?? null, vault: state?.vault ?? null, unlocking, error, unlock }),
    [state, unlocking, error, unlock],
  );
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}

export function useIdentity(): IdentityState {
  const value = useContext(IdentityContext);
  if (!value) throw new Error("useIdentity must be used inside <IdentityProvider>");
  return value;
}
