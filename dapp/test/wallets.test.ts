/**
 * Which wallets the dApp offers: injected wallets found by EIP-6963 always, WalletConnect only when the config carries
 * a project id — and then its provider (an optional peer of wagmi's connector) must really load.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/lib/config.ts";
import { createWagmiConfig } from "../src/lib/wagmi.ts";

const local = {
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  contracts: {
    troth: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    lens: "0xCafac3dD18aC6c6e92c921884f9E4176737C052c",
  },
};

describe("wallets", () => {
  it("offers no WalletConnect without a project id", async () => {
    const wagmi = await createWagmiConfig(parseConfig(local));
    expect(wagmi.connectors.map((c) => c.id)).not.to.include("walletConnect");
  });

  it("offers WalletConnect with a project id, and its provider loads with Troth's name on it", async () => {
    const wagmi = await createWagmiConfig(
      parseConfig({ ...local, walletConnectProjectId: "0123456789abcdef0123456789abcdef" }),
    );
    const connector = wagmi.connectors.find((c) => c.id === "walletConnect");
    expect(connector?.name).to.equal("WalletConnect");
    const provider = (await connector!.getProvider()) as {
      request: unknown;
      signer: { client: { metadata: { name: string; url: string } } };
    };
    expect(typeof provider.request).to.equal("function");
    expect(provider.signer.client.metadata.name).to.equal("Troth");
    expect(provider.signer.client.metadata.url).to.equal(window.location.origin);
  }, 30_000);
});
