/**
 * The meeting itself (issue 15), end to end: three members of a fresh pod hold a meeting in three browser contexts.
 * Every device derives the same timeline from the link (the pages' clocks are set to the same instants), a late
 * joiner lands on the right speaker, listeners answer under the listening rule, each speaker's check-in is signed by
 * both partners on their own devices and sent in one transaction, then a note between meetings is posted and
 * answered, the pod's private mirror shows its signs while every request of the visit is captured and none carries
 * it, a reply given while witnessing by transaction reaches the member with no link (issue 14 item 1), and early
 * decay brings the replant card, whose pause runs through every member's consent.
 * Called from run.ts with its helpers.
 */
import { createPodSync, getIdentityKey, meetingPath, publishIdentityKeySync, trothAbi } from "@troth/sdk";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { Address } from "viem";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import type { E2eHelpers } from "./newcomer.ts";
import { injectWallet } from "./provider.ts";
import { type Stack, sdkClients } from "./stack.ts";

/** run.ts's helpers (the meeting scenario asserts with its own checks, not `expect`). */
export type MeetingHelpers = Omit<E2eHelpers, "expect">;

/** Waits for `target`, connecting the wallet and unlocking the identity whenever the page asks on the way. */
async function until(page: Page, target: Locator, timeout = 45_000) {
  const connect = page.getByRole("button", { name: /^Connect .*test wallet/ });
  const unlock = page.getByRole("button", { name: "Sign to unlock" });
  for (const deadline = Date.now() + timeout; Date.now() < deadline; ) {
    if (
      await target
        .first()
        .isVisible()
        .catch(() => false)
    )
      return;
    if (await connect.isVisible().catch(() => false)) await connect.click().catch(() => {});
    else if (await unlock.isVisible().catch(() => false)) await unlock.click().catch(() => {});
    await page.waitForTimeout(250);
  }
  await target.first().waitFor({ timeout: 1 });
}

const text = async (locator: Locator) => ((await locator.textContent()) ?? "").trim();

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// Hardhat's dev accounts #17–#19 (local test keys), used by nothing else in the run.
const accounts = devAccounts(20).slice(17, 20);
const names = ["Maya", "Noor", "Owen"] as const;
const TURN = 60;
const SLOT = TURN + 60;

async function walletContext(browser: Browser, stack: Stack, i: number): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(injectWallet, {
    rpcUrl: stack.rpcUrl,
    address: accounts[i].account.address,
    name: `${names[i]}'s test wallet`,
    uuid: `00000000-0000-4000-8000-00000000012${i}`,
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.appUrl });
  return context;
}

/** A pod of three made with the SDK (the covenant flow has its own steps in run.ts): round 0 opens now. */
async function createPod(stack: Stack) {
  const clients = await sdkClients(
    stack,
    accounts.map(({ account }) => account),
  );
  const wallets = clients.map((client) => client.walletClient!);
  for (const [i, wallet] of wallets.entries()) {
    await publishIdentityKeySync(clients[i], { identity: await getIdentityKey(wallet) });
  }
  const created = await createPodSync(clients[0], {
    title: "Thursday circle",
    whenSomeoneMisses: "We ask what happened, and listen.",
    members: accounts.map(({ account }, i) => ({
      address: account.address,
      commitment: [`Run three mornings a week.`, `Finish the grant draft.`, `Call my father on Sundays.`][i],
    })),
    quorum: 2,
    signers: wallets,
  });
  return { ...created, troth: clients[0].address, publicClient: clients[0].publicClient };
}

export async function meeting(h: MeetingHelpers) {
  const { browser, stack, step, screen, signIn, linkIn } = h;
  const app = (p: string) => `${stack.appUrl}#${p}`;
  const created = await createPod(stack);
  const podPath = `/pod/0x${created.podId.toString(16)}`;
  const contexts = await Promise.all([0, 1, 2].map((i) => walletContext(browser, stack, i)));
  const pages = await Promise.all(contexts.map((c) => c.newPage()));
  const address = (i: number): Address => accounts[i].account.address;
  // The meeting starts now; each page's clock is then set to the same instants.
  const start = Math.floor(Date.now() / 1000);
  const link = meetingPath({ podId: created.podId, round: 0, start, turn: TURN });
  const at = (page: Page, offset: number) => page.clock.setFixedTime(new Date((start + offset) * 1000));
  let order: Address[] = [];

  await step("meeting: started from pod home, the same link for everyone", async () => {
    const [maya] = pages;
    await maya.goto(app(podPath));
    await signIn(maya);
    await maya.getByRole("link", { name: "Hold the meeting" }).click();
    await maya.getByLabel("Minutes per speaker").waitFor({ timeout: 30_000 });
    check((await maya.getByLabel("Minutes per speaker").inputValue()) === "8", "the default turn is 8 minutes");
    await screen(maya, "meeting-start");
    await maya.getByRole("button", { name: "Start the meeting" }).click();
    await maya.getByLabel("Meeting link for everyone in the call").waitFor({ timeout: 30_000 });
    check(
      /\/meeting\/0x[0-9a-f]+\/0\/\d+\/480$/.test(maya.url()),
      `a meeting link with an 8-minute turn: ${maya.url()}`,
    );
  });

  await step(
    "meeting: three devices keep the same timer and order, and the listening rule after each turn",
    async () => {
      for (const page of pages) {
        await at(page, 10);
        await page.goto(app(link));
        await signIn(page);
        await page.getByRole("heading", { name: /the floor$/ }).waitFor({ timeout: 30_000 });
      }
      const seen = await Promise.all(
        pages.map(async (p) => ({
          heading: await text(p.getByRole("heading", { name: /the floor$/ })),
          clock: await text(p.getByRole("timer")),
          order: await p.locator("ol.order li").allTextContents(),
        })),
      );
      check(
        seen.every((s) => s.clock === "0:50"),
        `every timer shows 0:50: ${JSON.stringify(seen)}`,
      );
      const speakerTexts = seen.map((s) => s.heading);
      check(
        speakerTexts.filter((t) => t === "You have the floor").length === 1,
        `exactly one device is the speaker's: ${speakerTexts}`,
      );
      for (const p of pages) await p.getByText("No interruptions.").waitFor();
      await screen(pages[0], "meeting-speaking");
      // Whose turn it is, from the speaker's own device: the chain's speaking order for round 0.
      const speaker = seen.findIndex((s) => s.heading === "You have the floor");
      order = [speaker, ...[0, 1, 2].filter((i) => i !== speaker)].map(address);
      // The turn ends: listeners get only the two answers; one asks the question.
      for (const page of pages) await at(page, TURN + 5);
      const listener = pages[(speaker + 1) % 3];
      await listener.getByRole("heading", { name: /finished: the listeners answer$/ }).waitFor({ timeout: 10_000 });
      check(
        (await pages[speaker].getByRole("button", { name: "What did you notice?" }).count()) === 0,
        "the speaker is not asked to answer themselves",
      );
      await screen(listener, "meeting-listening");
      await listener.getByRole("button", { name: "What did you notice?" }).click();
      await listener.getByText(/Your answer reached/).waitFor({ timeout: 30_000 });
    },
  );

  await step("meeting: a late joiner lands on the speaker who has the floor", async () => {
    const late = await contexts[2].newPage();
    await at(late, 2 * SLOT + 15);
    await late.goto(app(link));
    await signIn(late);
    await late.getByRole("timer").waitFor({ timeout: 30_000 });
    check((await text(late.getByRole("timer"))) === "0:45", "the late joiner's timer is the third turn's");
    const current = await text(late.locator('ol.order li[aria-current="step"]'));
    const expected = await text(late.locator("ol.order li").nth(2));
    check(current === expected, `the third speaker has the floor (${current} vs ${expected})`);
    await screen(late, "meeting-late-joiner");
    await late.close();
  });

  await step("meeting: each check-in is signed by both partners and sent in one transaction", async () => {
    for (const page of pages) await at(page, 3 * SLOT + 5);
    await pages[0].getByRole("heading", { name: "Everyone has spoken" }).waitFor({ timeout: 10_000 });
    for (const [i, page] of pages.entries()) {
      await page.getByLabel("What I said I'd do").fill(`${names[i]}: I said I would keep my commitment.`);
      await page.getByLabel("What blocked or surprised me").fill("Leading with the struggle: one bad week.");
      await page.getByLabel("What's next").fill("Keep going.");
      // Two of the three mark that they led with the struggle: the mirror counts it, on members' devices only.
      if (i !== 1) await page.getByLabel(/I led with the struggle/).check();
      await page.getByRole("button", { name: "Ready for my partners' signatures" }).click();
      const signLink = await linkIn(page, /Link for your partners to sign/);
      if (i === 0) await screen(page, "meeting-sign-qr");
      for (const j of [0, 1, 2].filter((k) => k !== i)) {
        const signer = await contexts[j].newPage();
        await signer.goto(signLink);
        await until(signer, signer.getByRole("button", { name: "Sign their check-in" }));
        await signer.getByRole("button", { name: "Sign their check-in" }).click();
        const back = await linkIn(signer, /Your signature link/);
        if (i === 0 && j === 1) await screen(signer, "meeting-signed");
        await signer.close();
        await page.getByLabel("A partner's signature link").fill(back);
        await page.getByRole("button", { name: "Add the signature" }).click();
      }
      await page.getByText("2 of 2 partners signed").waitFor({ timeout: 10_000 });
      await page.getByRole("button", { name: "Check in with 2 signatures (one transaction)" }).click();
      await page.getByText("Checked in and witnessed, in one transaction.").waitFor({ timeout: 60_000 });
    }
    // On the chain: three check-ins of round 0, each witnessed in its own single transaction (no later witness).
    const { publicClient } = created;
    const events = async (eventName: "CheckedIn" | "CheckInWitnessed") =>
      (
        await publicClient.getContractEvents({
          address: created.troth,
          abi: trothAbi,
          eventName,
          args: { tokenId: created.tokenIds },
          fromBlock: 0n,
        })
      ).filter((e) => e.args.round === 0);
    const checkIns = await events("CheckedIn");
    check(
      checkIns.length === 3 &&
        checkIns.every((e) => e.args.witnessed) &&
        new Set(checkIns.map((e) => e.transactionHash)).size === 3,
      `three check-ins, each witnessed in its own transaction: ${checkIns.length}`,
    );
    check((await events("CheckInWitnessed")).length === 0, "no witness needed a transaction of its own");
    await pages[0].goto(app(podPath));
    await signIn(pages[0]);
    await pages[0].getByRole("img", { name: /^You: 1 of \d+ rounds witnessed/ }).waitFor({ timeout: 30_000 });
    check(order.length === 3, "the order was read");
  });

  await step("notes between meetings: one is posted, a partner answers under the listening rule", async () => {
    const [maya, noor] = pages;
    await maya.getByRole("heading", { name: "Between meetings" }).waitFor({ timeout: 30_000 });
    await maya.getByLabel("A note to your pod").fill("Two runs done this week; the third keeps slipping to Friday.");
    await maya.getByRole("button", { name: "Post the note" }).click();
    await maya.getByText("Two runs done this week; the third keeps slipping to Friday.").waitFor({ timeout: 30_000 });
    await noor.goto(app(podPath));
    await signIn(noor);
    const note = noor.locator("li.note", { hasText: "the third keeps slipping" });
    await note.waitFor({ timeout: 30_000 });
    await note.getByRole("button", { name: "Thank you" }).click();
    await note.getByText("Thank you").first().waitFor({ timeout: 30_000 });
    await maya.reload();
    await signIn(maya);
    await maya
      .locator("li.note", { hasText: "the third keeps slipping" })
      .getByText("Thank you")
      .waitFor({ timeout: 30_000 });
    await screen(maya, "pod-notes");
  });

  await step("the pod's private mirror shows its signs, and nothing of it leaves the browser", async () => {
    const [maya] = pages;
    const sent: string[] = [];
    maya.on("request", (request) => sent.push(`${request.method()} ${request.url()}\n${request.postData() ?? ""}`));
    await maya.reload();
    await signIn(maya);
    const mirror = maya.getByRole("region", { name: "The pod's mirror" });
    await until(maya, mirror.getByText("In round 1, 2 of 3 check-ins led with the struggle."));
    await screen(maya, "pod-mirror");
    // Every request of the visit (chain reads, IPFS blocks, the app's files) is captured: none carries the mirror's
    // words or anything it was computed from.
    const mirrorText = await text(mirror);
    const secrets = [
      "led with the struggle",
      mirrorText.slice(0, 40),
      "I said I would keep my commitment",
      "one bad week",
      "the third keeps slipping",
    ];
    check(sent.length > 10, `the visit made requests (${sent.length})`);
    for (const secret of secrets) {
      const leak = sent.find((r) => r.toLowerCase().includes(secret.toLowerCase()));
      check(!leak, `a request carried "${secret}": ${leak?.slice(0, 200)}`);
    }
    maya.removeAllListeners("request");
  });

  await step(
    "a reply given while witnessing by transaction reaches the member, with no link (issue 14 item 1)",
    async () => {
      const [maya, noor, owen] = pages;
      // Round 1 opens; Owen checks in from the composer and waits for witnesses.
      await h.rpc(stack.rpcUrl, "evm_increaseTime", [7 * 86_400]);
      await h.rpc(stack.rpcUrl, "evm_mine");
      await owen.goto(app(`${podPath}/check-in`));
      await signIn(owen);
      await owen.getByLabel("What I said I'd do").fill("Call my father on Sunday.");
      await owen.getByLabel("What blocked or surprised me").fill("I put it off twice.");
      await owen.getByLabel("What's next").fill("Sunday at six.");
      await owen.getByRole("button", { name: "Encrypt and check in" }).click();
      await owen.getByRole("heading", { name: "Checked in" }).waitFor({ timeout: 60_000 });
      for (const witness of [noor, maya]) {
        await witness.goto(app("/inbox"));
        await signIn(witness);
        await witness.getByText("I put it off twice.").waitFor({ timeout: 30_000 });
        if (witness === noor) await witness.getByLabel("What did you notice?").check();
        await witness.getByRole("button", { name: /^(Witness now|Witness by transaction)/ }).click();
        await witness.getByText("No check-in is waiting for your witness.").waitFor({ timeout: 60_000 });
      }
      await owen.goto(app(podPath));
      await signIn(owen);
      await owen.getByRole("heading", { name: "Replies to your check-ins" }).waitFor({ timeout: 30_000 });
      await owen.getByText(/round 2: What did you notice\?/i).waitFor({ timeout: 30_000 });
      await screen(owen, "reply-reached");
    },
  );

  await step("replant: early decay brings the card, and its pause runs through everyone's consent", async () => {
    const [maya, noor, owen] = pages;
    // Maya and Noor let rounds 2 and 3 pass: two missed in a row, by round 6.
    await h.rpc(stack.rpcUrl, "evm_increaseTime", [17 * 86_400]);
    await h.rpc(stack.rpcUrl, "evm_mine");
    await maya.goto(app(podPath));
    const card = maya.getByRole("region", { name: "Time to replant?" });
    await until(maya, card);
    await card.getByRole("link", { name: "allow a longer grace, three days" }).waitFor();
    await screen(maya, "replant-card");
    // A fix opens the amend form with it filled in, for the member to review: nothing is proposed by the link.
    await card.getByRole("link", { name: "meet every two weeks instead" }).click();
    await until(maya, maya.getByLabel("Meet every (days)"));
    check((await maya.getByLabel("Meet every (days)").inputValue()) === "14", "the replant fix prefills fortnightly");
    await screen(maya, "replant-prefilled");
    await maya.goto(app(podPath));
    await until(maya, card);
    await card.getByRole("link", { name: "Pause and redesign together" }).click();
    await until(maya, maya.getByRole("button", { name: "Propose a pause" }));
    await maya.getByRole("button", { name: "Propose a pause" }).click();
    let link = await linkIn(maya, /Pass this link to the next partner/);
    await noor.goto(link);
    await until(noor, noor.getByRole("button", { name: "I agree to pause (sign, no fee)" }));
    await noor.getByRole("button", { name: "I agree to pause (sign, no fee)" }).click();
    link = await linkIn(noor, /Pass this link to the next partner/);
    await owen.goto(link);
    await until(owen, owen.getByRole("button", { name: "I agree to pause (sign, no fee)" }));
    await owen.getByRole("button", { name: "I agree to pause (sign, no fee)" }).click();
    await owen.getByRole("button", { name: "Submit: pause the pod" }).click();
    await owen.getByText("The pod is paused.").waitFor({ timeout: 30_000 });
    await screen(owen, "replant-paused");
  });

  for (const context of contexts) await context.close();
}
