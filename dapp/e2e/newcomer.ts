/**
 * What a newcomer hits (issue 14), end to end: two fresh accounts make a pod from scratch while one of them has not
 * set up Troth (the invitation link, the covenant that waits and finishes by itself), with the names they chose; the
 * pod page seen without a wallet; both miss a round (every screen says so, and offers beginning again right there);
 * the audit page with a damaged link and bad input; the Manage page's order. Called from run.ts with its helpers.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { injectWallet } from "./provider.ts";
import type { Stack } from "./stack.ts";

export type E2eHelpers = {
  browser: Browser;
  stack: Stack;
  step(name: string, run: () => Promise<void>): Promise<void>;
  screen(page: Page, name: string): Promise<void>;
  signIn(page: Page): Promise<void>;
  linkIn(page: Page, label: RegExp): Promise<string>;
  expect(condition: unknown, message: string): void;
  rpc(url: string, method: string, params?: unknown[]): Promise<unknown>;
};

// Hardhat's public dev accounts #10 and #11 (local test keys), used by nothing else in the run.
const newcomers = {
  erin: "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  frank: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
} as const;

async function walletContext(browser: Browser, stack: Stack, who: keyof typeof newcomers): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(injectWallet, {
    rpcUrl: stack.rpcUrl,
    address: newcomers[who],
    name: `${who[0].toUpperCase()}${who.slice(1)}'s test wallet`,
    uuid: `00000000-0000-4000-8000-0000000001${who === "erin" ? "10" : "11"}`,
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.appUrl });
  return context;
}

export async function newcomer(h: E2eHelpers) {
  const { browser, stack, step, screen, signIn, linkIn, expect } = h;
  const app = (p: string) => `${stack.appUrl}#${p}`;
  const erin = await (await walletContext(browser, stack, "erin")).newPage();
  const frank = await (await walletContext(browser, stack, "frank")).newPage();
  let podPath = "";

  await step(
    "newcomer: a partner without Troth gets an invitation; the covenant waits, then finishes by itself",
    async () => {
      await erin.goto(app("/setup"));
      await signIn(erin);
      await erin.getByRole("button", { name: "Publish my key" }).click();
      await erin.getByRole("heading", { name: "You're ready" }).waitFor({ timeout: 30_000 });
      await erin.goto(app("/new"));
      await erin.getByLabel("Name of the pod").fill("Evening sketches");
      await erin.getByLabel("My name in the pod (optional)").fill("Erin");
      await erin.getByLabel("My commitment").fill("Sketch for ten minutes every evening.");
      await erin.getByLabel("Partner 1: address").fill(newcomers.frank);
      await erin.getByLabel("Partner 1: name in the pod (optional)").fill("Frank");
      await erin.getByLabel("Partner 1: commitment").fill("Practise Spanish for fifteen minutes a day.");
      await erin.getByLabel("Meet every (days)").fill("1");
      await erin.getByLabel("Grace to reschedule (hours)").fill("2");
      await erin.getByLabel("Rounds in the cycle").fill("4");
      await erin.getByLabel("We understand: this pod is not therapy.").check();
      await erin.getByRole("button", { name: "Encrypt and create the share link" }).click();
      await erin.getByRole("heading", { name: "Waiting for a partner to set up Troth" }).waitFor({ timeout: 30_000 });
      expect(
        (await erin.getByText("hasn't set up Troth yet", { exact: false }).count()) > 0,
        "the waiting covenant names who it waits for",
      );
      const invitation = await linkIn(erin, /Invitation link to send your partner/);
      await screen(erin, "newcomer-waiting-for-keys");

      await frank.goto(invitation);
      await frank.getByText(/invited you to a pod/).waitFor({ timeout: 30_000 });
      await screen(frank, "newcomer-invitation");
      await signIn(frank);
      await frank.getByRole("button", { name: "Publish my key" }).click();
      await frank.getByRole("heading", { name: "You're ready" }).waitFor({ timeout: 30_000 });
      await frank.getByText(/finishes by itself on their device/).waitFor();
      await screen(frank, "newcomer-invited-ready");

      // Erin did nothing: her covenant found Frank's key and made itself.
      const proposal = await linkIn(erin, /Share this link with each partner/);
      await erin.getByRole("button", { name: "Sign the covenant" }).click();
      await erin.getByText("1 of 2 have signed").waitFor({ timeout: 30_000 });
      await frank.goto(proposal);
      await signIn(frank);
      await frank.getByText("Practise Spanish for fifteen minutes a day.").waitFor({ timeout: 30_000 });
      await frank.getByRole("button", { name: "Sign the covenant" }).click();
      await erin.getByText("Everyone has signed: the pod is live.").waitFor({ timeout: 30_000 });
      await erin.getByRole("link", { name: "Go to the pod" }).click();
      await erin.getByRole("heading", { name: "Evening sketches", level: 1 }).waitFor({ timeout: 30_000 });
      podPath = new URL(erin.url()).hash.slice(1);
    },
  );

  await step("newcomer: partners appear under the names they chose, to members only", async () => {
    await erin.getByRole("heading", { name: "Frank", level: 3 }).waitFor({ timeout: 30_000 });
    await erin.getByRole("img", { name: /^Frank: 0 of 4 rounds witnessed/ }).waitFor();
    await screen(erin, "newcomer-pod-names");
  });

  await step("newcomer: the pod page without a wallet shows the public continuity and how to connect", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const visitor = await context.newPage();
    await visitor.goto(app(podPath));
    await visitor
      .getByRole("heading", { name: /Are you in this pod\? Connect your wallet/ })
      .waitFor({ timeout: 30_000 });
    await visitor
      .getByRole("img", { name: /0 of 4 rounds witnessed/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await visitor.getByRole("heading", { name: "How the pod is doing" }).waitFor();
    const text = (await visitor.locator("body").textContent()) ?? "";
    for (const secret of ["Evening sketches", "Spanish", "Frank", "Erin"]) {
      expect(!text.includes(secret), `a visitor sees what only members read: ${secret}`);
    }
    await screen(visitor, "pod-visitor");
    await context.close();
  });

  await step("newcomer: both miss a round; pod home, My pods and the audit page say so, with Begin again", async () => {
    // Round 1 closes (a day, and two hours of grace) with nobody checked in.
    await h.rpc(stack.rpcUrl, "evm_increaseTime", [86_400 + 2 * 3_600 + 60]);
    await h.rpc(stack.rpcUrl, "evm_mine");
    const missed = /Nobody was witnessed in round 1/;
    // A round closing sends no transaction: the screens look again on their clock (a minute); here, a reload.
    await erin.goto(app(podPath));
    await erin.reload();
    await signIn(erin);
    await erin.getByText(missed).waitFor({ timeout: 30_000 });
    expect((await erin.getByText("Nothing needs attention").count()) === 0, "pod home says all is well after a miss");
    await erin.getByRole("heading", { name: "You can begin again" }).waitFor();
    await screen(erin, "pod-missed");

    await erin.goto(app("/"));
    const card = erin.locator(".pod-card", { hasText: "Evening sketches" });
    await card.getByText(missed).waitFor({ timeout: 30_000 });
    await card.getByRole("button", { name: "Begin again" }).waitFor();
    await screen(erin, "home-missed");

    await frank.goto(app(`${podPath}/check-in`));
    await frank.reload();
    await signIn(frank);
    await frank.getByRole("heading", { name: "You can begin again" }).waitFor({ timeout: 30_000 });
    await screen(frank, "check-in-missed");

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const visitor = await context.newPage();
    await visitor.goto(app(`/audit/${podPath.split("/")[2]}`));
    await visitor.getByText(missed).waitFor({ timeout: 30_000 });
    // Tokens of one pod share its id's prefix: they are told apart by member number.
    await visitor.getByText(/^member 1 of pod 0x/).waitFor();
    await visitor.getByText(/^member 2 of pod 0x/).waitFor();
    await screen(visitor, "audit-missed");
    await context.close();

    await erin.goto(app(podPath));
    await erin.getByRole("button", { name: "Begin again" }).click();
    await erin.getByText("Welcome back. The next round is yours.").waitFor({ timeout: 30_000 });
    await erin.getByText("Frank missed round 1. Beginning again is open at any time; nothing is lost.").waitFor({
      timeout: 30_000,
    });
    await screen(erin, "began-again");
  });

  await step(
    "newcomer: a damaged audit link says so; bad input shows its error instead of the last result",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const visitor = await context.newPage();
      await visitor.goto(app("/audit/0xnot-an-id"));
      await visitor.getByText(/This audit link is damaged/).waitFor({ timeout: 30_000 });
      await screen(visitor, "audit-damaged-link");
      await visitor.goto(app(`/audit/${podPath.split("/")[2]}`));
      await visitor.reload();
      await visitor.getByRole("heading", { name: /^Pod 0x/ }).waitFor({ timeout: 30_000 });
      await visitor.getByLabel("Pod or commitment id").fill("garbage");
      await visitor.getByRole("button", { name: "Show" }).click();
      await visitor.getByText("Enter a pod or token id (0x… or a number).").waitFor();
      expect(
        (await visitor.getByRole("heading", { name: /^Pod 0x/ }).count()) === 0,
        "the old result stays beside the error",
      );
      await screen(visitor, "audit-bad-input");
      await context.close();
    },
  );

  await step("newcomer: Manage does not open with leaving the pod", async () => {
    await erin.goto(app(`${podPath}/manage`));
    await erin.getByRole("heading", { name: "Leave the pod" }).waitFor({ timeout: 30_000 });
    const first = await erin.locator("main h2").first().textContent();
    expect(first !== "Leave the pod", "Leave the pod is the first card on Manage");
    await screen(erin, "manage-order");
  });

  await erin.context().close();
  await frank.context().close();
}
