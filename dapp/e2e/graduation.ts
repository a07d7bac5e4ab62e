/**
 * After two strong cycles (issue 15): two members live two one-round cycles, set up through the SDK (each check-in
 * witnessed in its own transaction, then the cycle's end reached by moving the chain's clock), and pod home offers to
 * graduate or keep the thread quarterly. Its "Renew, meeting quarterly" leads through the manage page to the new-pod
 * form with the quarterly rhythm filled in (every 91 days, 4 rounds, a week of grace), which the contract accepts since
 * a cadence may be a quarter. Called from run.ts with its helpers.
 */
import {
  checkInSync,
  createPodSync,
  getIdentityKey,
  publishIdentityKeySync,
  renewPodSync,
  type TrothClient,
} from "@troth/sdk";
import type { Page } from "playwright-core";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import type { E2eHelpers } from "./newcomer.ts";
import { injectWallet } from "./provider.ts";
import { sdkClients } from "./stack.ts";

// Hardhat's public dev accounts #12 and #13 (local test keys), used by nothing else in the run.
const [iris, jude] = devAccounts(14)
  .slice(12, 14)
  .map((dev) => dev.account);
const DAY = 86_400;

/** One cycle of one round: each member checks in with the other's witness signature, then the round closes. */
async function liveOneCycle(h: E2eHelpers, clients: TrothClient[], podId: bigint, tokenIds: readonly bigint[]) {
  for (const [i, client] of clients.entries()) {
    const partner = clients[1 - i].walletClient!;
    await checkInSync(client, {
      tokenId: tokenIds[i],
      round: 0,
      report: { said: "Walk every morning.", blocked: "Rain, twice.", next: "Walk every morning." },
      identity: await getIdentityKey(client.walletClient!),
      witnesses: [partner],
    });
  }
  await h.rpc(h.stack.rpcUrl, "evm_increaseTime", [DAY + 60]);
  await h.rpc(h.stack.rpcUrl, "evm_mine");
  return podId;
}

export async function graduation(h: E2eHelpers) {
  const { browser, stack, step, screen, signIn, expect } = h;
  const app = (p: string) => `${stack.appUrl}#${p}`;
  const clients = await sdkClients(stack, [iris, jude]);
  const signers = clients.map((c) => c.walletClient!);
  let second = 0n;

  await step("graduation: two one-round cycles lived, each check-in witnessed (set up through the SDK)", async () => {
    for (const client of clients) {
      await publishIdentityKeySync(client, { identity: await getIdentityKey(client.walletClient!) });
    }
    const members = [
      { address: iris.address, commitment: "Walk every morning." },
      { address: jude.address, commitment: "Write to one friend a week." },
    ];
    const terms = { title: "Morning walkers", whenSomeoneMisses: "We walk together the next day.", members };
    const first = await createPodSync(clients[0], { ...terms, cadence: DAY, grace: 0, rounds: 1, signers });
    await liveOneCycle(h, clients, first.podId, first.tokenIds);
    const renewed = await renewPodSync(clients[0], { ...terms, previousPod: first.podId, signers });
    second = await liveOneCycle(h, clients, renewed.podId, renewed.tokenIds);
  });

  let page: Page | undefined;
  await step(
    "graduation: pod home offers to graduate or meet quarterly, and fills in the quarterly renewal",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      await context.addInitScript(injectWallet, {
        rpcUrl: stack.rpcUrl,
        address: iris.address,
        name: "Graduation test wallet",
        uuid: "00000000-0000-4000-8000-000000000312",
      });
      page = await context.newPage();
      await page.goto(app(`/pod/0x${second.toString(16)}`));
      await signIn(page);
      await page.getByRole("heading", { name: "Two strong cycles" }).waitFor({ timeout: 45_000 });
      await screen(page, "graduation-card");
      await page.getByRole("link", { name: "Renew, meeting quarterly" }).click();
      await page.getByText("The quarterly rhythm is filled in").waitFor({ timeout: 30_000 });
      await screen(page, "graduation-quarterly-renewal");
      await page.getByRole("button", { name: "Write the quarterly renewal covenant" }).click();
      const cadence = page.getByLabel("Meet every (days)");
      await cadence.waitFor({ timeout: 30_000 });
      const values = {
        cadence: await cadence.inputValue(),
        rounds: await page.getByLabel("Rounds in the cycle").inputValue(),
        grace: await page.getByLabel("Grace to reschedule (hours)").inputValue(),
      };
      expect(
        values.cadence === "91" && values.rounds === "4" && values.grace === "168",
        `the renewal form holds the quarterly rhythm: ${JSON.stringify(values)}`,
      );
      // The form takes it: no problem is shown for the rhythm.
      expect(!(await page.getByText("Meet every 1 to 92 days").isVisible()), "a quarterly cadence is refused");
      await screen(page, "graduation-quarterly-form");
    },
  );
  await page?.context().close();
}
