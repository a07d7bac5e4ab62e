/**
 * The SDK's test fixture: the repository's contract fixture (a fresh in-process Hardhat chain with Troth deployed by
 * the Ignition module), a Helia node in a temp directory, one Troth client per dev wallet, and identity keys.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { WalletClient } from "viem";
import { deployTroth } from "../../../test/helpers/troth.ts";
import { getIdentityKey, publishIdentityKeySync } from "../../src/actions/publishIdentityKey.ts";
import { createTrothClient, type TrothClient } from "../../src/client.ts";
import type { IdentityKey } from "../../src/crypto/identity.ts";
import { createHeliaStore } from "../../src/storage/helia.ts";
import type { ContentStore } from "../../src/storage/types.ts";

export const DAY = 86_400;
export const HOUR = 3_600;

export async function setupSdk({
  publish = 6,
  wrapStore,
}: {
  publish?: number;
  wrapStore?: (store: ContentStore) => ContentStore;
} = {}) {
  const f = await deployTroth();
  const directory = await mkdtemp(path.join(tmpdir(), "troth-sdk-test-"));
  const helia = await createHeliaStore({ directory });
  const store = wrapStore ? wrapStore(helia) : helia;
  const clientOf = (wallet: WalletClient) =>
    createTrothClient({
      publicClient: f.publicClient,
      walletClient: wallet,
      store,
      address: f.troth.address,
      lens: f.lens.address,
    });
  const clients: TrothClient[] = await Promise.all(f.wallets.map(clientOf));
  const identities: IdentityKey[] = [];
  for (let i = 0; i < publish; ++i) {
    identities.push(await getIdentityKey(f.wallets[i]));
    await publishIdentityKeySync(clients[i], { identity: identities[i] });
  }
  return {
    f,
    store,
    helia,
    clients,
    identities,
    wallets: f.wallets,
    accounts: f.accounts,
    async close() {
      await helia.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type SdkFixture = Awaited<ReturnType<typeof setupSdk>>;

export const report = (n: number) => ({
  said: `Write 500 words a day (week ${n})`,
  blocked: `A cold on day ${n}`,
  next: `Write in the mornings, week ${n + 1}`,
});
