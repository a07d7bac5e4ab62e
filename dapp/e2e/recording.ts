/**
 * Recorded reflections (issue 16), end to end in Chromium with its fake camera and microphone: a member records a
 * video reflection in the composer (level meter, clock), reloads mid-recording and resumes, listens back and checks
 * in; no request carries the recording or the report in the clear; a partner plays it as it streams (the time to the
 * first frame is measured), seeks, and witnesses; a tampered chunk stops playback with a clear message. Two fresh
 * accounts and their pod are set up through the SDK (the pod screens have their own steps). Called from run.ts.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  createPodSync,
  createTrothClient,
  formatId,
  getIdentityKey,
  publishIdentityKeySync,
  readRecording,
  type TrothClient,
} from "@troth/sdk";
import { createKuboStore } from "@troth/sdk/storage";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import type { E2eHelpers } from "./newcomer.ts";
import { injectWallet } from "./provider.ts";
import { launchChromium } from "./stack.ts";

// Hardhat's public dev accounts #14 and #15 (local test keys), used by nothing else in the run.
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const [gwen, hugo] = [14, 15].map((addressIndex) => mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex }));

/** Chromium with its fake camera and microphone (a test pattern and a beep), granted without a prompt. */
export function launchWithFakeMedia(): Promise<Browser> {
  return launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
  ]);
}

async function memberPage(browser: Browser, h: E2eHelpers, account: typeof gwen, n: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(injectWallet, {
    rpcUrl: h.stack.rpcUrl,
    address: account.address,
    name: `Recording test wallet ${n}`,
    uuid: `00000000-0000-4000-8000-0000000002${n}0`,
  });
  await context.grantPermissions(["microphone", "camera", "clipboard-read", "clipboard-write"], {
    origin: h.stack.appUrl,
  });
  return context.newPage();
}

/** Seconds the page's media element has played (0 until it plays), and whether it is playing now. */
function mediaState(page: Page) {
  return page.evaluate(() => {
    const media = document.querySelector<HTMLMediaElement>(".recording-player video, .recording-player audio");
    return media ? { time: media.currentTime, paused: media.paused, duration: media.duration } : null;
  });
}

export async function recording(h: E2eHelpers & { resultsDir: string }) {
  const { stack, step, screen, signIn, expect } = h;
  const app = (p: string) => `${stack.appUrl}#${p}`;
  const config = await (await fetch(`${stack.appUrl}troth-config.json`)).json();
  // The dApp's own settings, in whichever spelling the stack wrote them (as the dApp's config reader accepts).
  const deployment = config.deployment ?? { ...config, ...config.contracts };
  const publicClient = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) });
  const clientOf = (account: typeof gwen): Promise<TrothClient> =>
    createTrothClient({
      publicClient,
      walletClient: createWalletClient({ account, chain: hardhat, transport: http(stack.rpcUrl) }),
      store: createKuboStore({ url: stack.ipfsUrl }),
      address: deployment.troth,
      lens: deployment.lens,
      startBlock: BigInt(deployment.startBlock ?? 0),
    });
  const [g, hu] = await Promise.all([clientOf(gwen), clientOf(hugo)]);
  const identities = await Promise.all([g, hu].map((c) => getIdentityKey(c.walletClient!)));
  for (const [i, c] of [g, hu].entries()) await publishIdentityKeySync(c, { identity: identities[i] });
  const { podId, tokenIds } = await createPodSync(g, {
    title: "Letters across time zones",
    whenSomeoneMisses: "We send a voice note the next morning",
    members: [
      { address: gwen.address, commitment: "Record a reflection every week." },
      { address: hugo.address, commitment: "Listen, and record back." },
    ],
    signers: [g.walletClient!, hu.walletClient!],
  });

  const browser = await launchWithFakeMedia();
  /** A step that leaves a screenshot of every page behind when it fails, to see what stood in the way. */
  const pages: Page[] = [];
  const stepWithShots = (name: string, run: () => Promise<void>) =>
    step(name, async () => {
      try {
        await run();
      } catch (error) {
        for (const [i, page] of pages.entries())
          await page.screenshot({ path: path.join(h.resultsDir, `recording-failed-${i}.png`), fullPage: true });
        throw error;
      }
    });
  const figures: Record<string, number> = {};
  try {
    const author = await memberPage(browser, h, gwen, 1);
    const partner = await memberPage(browser, h, hugo, 2);
    pages.push(author, partner);
    const requests: Buffer[] = [];
    author.on("request", (request) => {
      const body = request.postDataBuffer();
      if (body) requests.push(body);
    });
    const report = {
      said: "Record a reflection before the weekend.",
      blocked: "Talking to a camera felt strange at first.",
      next: "Record on Friday evenings.",
    };

    await stepWithShots(
      "recording: record a video reflection, reload mid-recording, resume, listen back, send",
      async () => {
        await author.goto(app(`/pod/${formatId(podId)}/check-in`));
        await signIn(author);
        await author.getByLabel("What I said I'd do").fill(report.said);
        await author.getByLabel("What blocked or surprised me").fill(report.blocked);
        await author.getByLabel("What's next").fill(report.next);
        await author.getByRole("button", { name: "Record video" }).click();
        const clock = author.getByRole("timer");
        await clock.getByText(/Recording 0:0[4-9]/).waitFor({ timeout: 30_000 });
        const level = Number(await author.getByRole("meter", { name: "Microphone level" }).getAttribute("value"));
        expect(level > 0, `the level meter moves with the fake microphone's beep (${level})`);
        await author.getByRole("button", { name: "Pause" }).click();
        await clock.getByText(/Paused at/).waitFor();
        await screen(author, "recording-paused");
        await author.getByRole("button", { name: "Resume" }).click();
        await clock.getByText(/Recording 0:0[6-9]/).waitFor({ timeout: 30_000 });

        // A reload mid-recording: the draft and the recording both come back.
        await author.reload();
        await signIn(author);
        await author.getByText(/A recording was interrupted after 0:0\d/).waitFor({ timeout: 30_000 });
        expect(
          (await author.getByLabel("What I said I'd do").inputValue()) === report.said,
          "the written draft survives the reload",
        );
        await screen(author, "recording-interrupted");
        await author.getByRole("button", { name: "Continue recording" }).click();
        await author
          .getByRole("timer")
          .getByText(/Recording 0:1[5-9]/)
          .waitFor({ timeout: 30_000 });
        await author.getByRole("button", { name: "Stop" }).click();
        await author.getByText("Recorded and stored, encrypted.").waitFor({ timeout: 60_000 });
        await author.locator(".recording-player video").waitFor({ timeout: 30_000 });
        await author.waitForFunction(
          () => ((document.querySelector(".recording-player video") as HTMLVideoElement | null)?.readyState ?? 0) >= 2,
          undefined,
          { timeout: 30_000 },
        );
        await author.evaluate(() => (document.querySelector(".recording-player video") as HTMLVideoElement).play());
        await author.waitForFunction(
          () => (document.querySelector(".recording-player video") as HTMLVideoElement).currentTime > 0.5,
          undefined,
          { timeout: 30_000 },
        );
        await screen(author, "recording-listen-back");
        await author.getByRole("button", { name: "Encrypt and check in" }).click();
        await author.getByRole("heading", { name: "Checked in" }).waitFor({ timeout: 60_000 });
      },
    );

    await stepWithShots("recording: no request carries the report or the recording in the clear", async () => {
      expect(requests.length > 5, `the author's page sent ${requests.length} requests with a body`);
      const ebml = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]); // every WebM file's first bytes
      for (const body of requests) {
        expect(!body.includes(ebml), "a request carried the WebM recording in the clear");
        for (const text of Object.values(report))
          expect(!body.includes(Buffer.from(text.slice(0, 16))), `a request carried "${text}" in the clear`);
      }
    });

    const recorded = await readRecording(hu, { tokenId: tokenIds[0], round: 0, identity: identities[1] });
    const { manifest } = recorded;
    expect(manifest.chunks.length >= 3, `the recording has ${manifest.chunks.length} chunks`);
    await stepWithShots("recording: a tampered chunk stops playback with a clear message", async () => {
      const victim = manifest.chunks[manifest.chunks.length - 1];
      await partner.route(`**/ipfs/${victim}**`, async (route) => {
        const response = await route.fetch();
        const body = Buffer.from(await response.body());
        body[100] ^= 0xff;
        await route.fulfill({ response, body });
      });
      await partner.goto(app(`/witness/${formatId(tokenIds[0])}/0`));
      await signIn(partner);
      await partner.locator(".recording-player video").waitFor({ timeout: 30_000 });
      await partner.evaluate(() => (document.querySelector(".recording-player video") as HTMLVideoElement).play());
      await partner.getByText(/Playback stopped: a part of this recording is not what was stored/).waitFor({
        timeout: 30_000,
      });
      await screen(partner, "recording-tampered");
      await partner.unroute(`**/ipfs/${victim}**`);
      await partner.goto(app("/"));
    });
    await stepWithShots("recording: a partner plays it as it streams, seeks, and witnesses", async () => {
      expect(manifest.segments?.length === 2, "the resumed recording has two recorder sessions");
      const opened = Date.now();
      await partner.goto(app(`/witness/${formatId(tokenIds[0])}/0`));
      await signIn(partner);
      const startedAt = Date.now();
      await partner.locator(".recording-player video").waitFor({ timeout: 30_000 });
      await partner.evaluate(() => (document.querySelector(".recording-player video") as HTMLVideoElement).play());
      await partner.waitForFunction(
        () => (document.querySelector(".recording-player video") as HTMLVideoElement).currentTime > 0,
        undefined,
        { timeout: 30_000, polling: 20 },
      );
      figures.firstFrameAfterUnlockMs = Date.now() - startedAt;
      figures.firstFrameAfterOpeningMs = Date.now() - opened;
      // Seek near the end: playback goes on from there.
      const target = Math.max(1, manifest.duration / 1000 - 3);
      await partner.evaluate((t) => {
        (document.querySelector(".recording-player video") as HTMLVideoElement).currentTime = t;
      }, target);
      await partner.waitForFunction(
        (t) => {
          const v = document.querySelector(".recording-player video") as HTMLVideoElement;
          return !v.seeking && v.currentTime >= t - 0.5;
        },
        target,
        { timeout: 30_000 },
      );
      const after = await mediaState(partner);
      expect(
        after && after.time >= target - 0.5,
        `the partner's player sought to ${target} s (${JSON.stringify(after)})`,
      );
      await screen(partner, "recording-partner-plays");
      await partner.getByRole("button", { name: "Witness now" }).click();
      // Witnessed: the panel thanks them, or the page already reads the round as witnessed.
      await partner
        .getByText(/Witnessed\. Thank you for listening\.|This check-in has been witnessed already/)
        .waitFor({ timeout: 60_000 });
    });
  } finally {
    writeFileSync(path.join(h.resultsDir, "recording.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`  recording figures: ${JSON.stringify(figures)}`);
    await browser.close();
  }
}
