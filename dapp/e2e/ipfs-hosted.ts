/**
 * The dApp hosted on IPFS (issue 13 §3), end to end: an `npm start` stack whose IPFS node asks for a token; the build
 * published to it with `publish:dapp` (the config next to it, which holds no token); opened by its CID through the
 * node's gateway in Chromium; the member sets their storage (node + token) in Settings, kept encrypted on the device;
 * then checks in for the demo pod's open round, the encrypted report written to the node with their token. Called
 * from run.ts with its helpers.
 */
import path from "node:path";
import { publishDapp } from "../../scripts/publish-dapp/index.ts";
import type { E2eHelpers } from "./newcomer.ts";
import { injectWallet } from "./provider.ts";
import { startStack } from "./stack.ts";

const TOKEN = "e2e-ipfs-token-5c1e";
// Hardhat's dev account #0: "Alice" of the demo pod npm start seeds (round 4 is open, nobody has checked in).
const ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

export async function ipfsHosted(h: Pick<E2eHelpers, "browser" | "step" | "screen" | "signIn" | "expect">) {
  const { browser, step, screen, signIn, expect } = h;
  const root = path.resolve(import.meta.dirname, "../..");
  const stack = await startStack({
    seed: true,
    log: path.join(root, "test-results", "e2e", "npm-start-ipfs-token.log"),
    ipfsToken: TOKEN,
  });
  try {
    let appUrl = "";
    let demoPod = "";
    await step(
      "publish:dapp adds the build to an IPFS node that asks for a token; the served config holds none",
      async () => {
        const served = await (await fetch(new URL("troth-config.json", stack.appUrl))).text();
        expect(!served.includes(TOKEN), "npm start served its IPFS token in the app's config");
        const config = JSON.parse(served) as { demoPod: string | null };
        demoPod = `0x${BigInt(config.demoPod ?? "0").toString(16)}`;
        const refused = await publishDapp({ dist: path.join(root, "dapp", "dist"), apiUrl: stack.ipfsUrl }).catch(
          (e) => e,
        );
        expect(/asks for credentials/.test(String(refused?.message)), "the node took blocks without its token");
        const published = await publishDapp({
          dist: path.join(root, "dapp", "dist"),
          apiUrl: stack.ipfsUrl,
          auth: { token: TOKEN },
          config: JSON.parse(served),
        });
        appUrl = published.url;
        expect(appUrl.startsWith(`${stack.ipfsUrl}/ipfs/bafy`), `unexpected app URL ${appUrl}`);
      },
    );

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript(injectWallet, {
      rpcUrl: stack.rpcUrl,
      address: ALICE,
      name: "Alice's test wallet",
      uuid: "00000000-0000-4000-8000-000000000200",
    });
    const alice = await context.newPage();

    await step(
      "opened by its CID through the gateway, the member sets their storage in Settings (encrypted)",
      async () => {
        await alice.goto(`${appUrl}#/settings`);
        await signIn(alice);
        await alice
          .getByRole("heading", { name: "Where your encrypted words are stored" })
          .waitFor({ timeout: 30_000 });
        await alice.getByLabel("Your IPFS node (Kubo RPC address)").fill(stack.ipfsUrl);
        await alice.getByLabel("An access token").check();
        await alice.getByLabel("Access token", { exact: true }).fill("not-the-token");
        await alice.getByRole("button", { name: "Test", exact: true }).click();
        await alice.getByText(/Your storage refused this app's access/).waitFor({ timeout: 30_000 });
        await alice.getByLabel("Access token", { exact: true }).fill(TOKEN);
        await alice.getByRole("button", { name: "Test", exact: true }).click();
        await alice.getByText("Your node took a test block.").waitFor({ timeout: 30_000 });
        await alice.getByRole("button", { name: "Save on this device" }).click();
        await alice.getByText(/Saved on this device, encrypted/).waitFor({ timeout: 30_000 });
        const stored = await alice.evaluate(() => JSON.stringify(Object.entries(localStorage)));
        expect(!stored.includes(TOKEN), "the storage token was stored in plaintext");
        await screen(alice, "ipfs-hosted-settings");
      },
    );

    await step("the IPFS-hosted dApp completes a check-in, its report written to the node with the token", async () => {
      await alice.goto(`${appUrl}#/pod/${demoPod}/check-in`);
      await signIn(alice);
      await alice.getByLabel("What I said I'd do").fill("Ran three times this week, from the app on IPFS.");
      await alice.getByLabel("What blocked or surprised me").fill("The hills.");
      await alice.getByLabel("What's next").fill("Four runs.");
      await alice.getByRole("button", { name: "Encrypt and check in" }).click();
      await alice.getByRole("heading", { name: "Checked in" }).waitFor({ timeout: 60_000 });
      expect(new URL(alice.url()).pathname.startsWith("/ipfs/bafy"), `left the IPFS path: ${alice.url()}`);
      await screen(alice, "ipfs-hosted-checked-in");
    });
    await context.close();
  } finally {
    await stack.stop();
  }
}
