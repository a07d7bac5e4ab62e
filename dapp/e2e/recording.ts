/**
 * Recorded reflections (issue 16), end to end in Chromium with its fake camera and microphone: a member records a
 * video reflection in the composer (level meter, clock), reloads mid-recording and resumes, listens back and checks
 * in; no request carries the recording or the report in the clear; a partner plays it as it streams (the time to the
 * first frame is measured), seeks, and witnesses; a tampered chunk stops playback with a clear message; an attached
 * file Media Source Extensions cannot take (WAV) plays and seeks through the app's service worker. Two fresh
 * accounts and their pod are set up through the SDK (the pod screens have their own steps). Called from run.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPodSync, formatId, getIdentityKey, publishIdentityKeySync, readRecording } from "@troth/sdk";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import type { E2eHelpers } from "./newcomer.ts";
import { injectWallet } from "./provider.ts";
import { launchChromium, sdkClients } from "./stack.ts";

// Hardhat's public dev accounts #14 and #15 (local test keys), used by nothing else in the run.
const [gwen, hugo] = devAccounts(16)
  .slice(14, 16)
  .map((dev) => dev.account);

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

/** A WAV file (16-bit mono PCM, a slow sweep) of `seconds`: a format Chromium plays, but not through MSE. */
function wav(seconds: number, rate = 22_050): Buffer {
  const samples = seconds * rate;
  const file = Buffer.alloc(44 + samples * 2);
  file.write("RIFF", 0);
  file.writeUInt32LE(36 + samples * 2, 4);
  file.write("WAVEfmt ", 8);
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(rate, 24);
  file.writeUInt32LE(rate * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write("data", 36);
  file.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    file.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * (220 + 4 * t) * t)), 44 + i * 2);
  }
  return file;
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
  const [g, hu] = await sdkClients(stack, [gwen, hugo]);
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

    await stepWithShots(
      "recording: an attached WAV file (not streamable by MSE) plays and seeks through the service worker",
      async () => {
        const folder = mkdtempSync(path.join(tmpdir(), "troth-e2e-wav-"));
        const file = path.join(folder, "reflection.wav");
        const seconds = 70;
        writeFileSync(file, wav(seconds));
        try {
          await partner.goto(app(`/pod/${formatId(podId)}/check-in`));
          await signIn(partner);
          await partner.getByLabel("What I said I'd do").fill("Listen, and record back.");
          await partner.getByLabel("What blocked or surprised me").fill("I had more to say than I wrote.");
          await partner.getByLabel("What's next").fill("Answer within two days.");
          await partner.locator('.recorder input[type="file"]').setInputFiles(file);
          await partner.getByText("Recorded and stored, encrypted.").waitFor({ timeout: 60_000 });
          await partner.getByRole("button", { name: "Encrypt and check in" }).click();
          await partner.getByRole("heading", { name: "Checked in" }).waitFor({ timeout: 60_000 });
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
        const attached = await readRecording(g, { tokenId: tokenIds[1], round: 0, identity: identities[0] });
        expect(
          attached.manifest.mimeType === "audio/wav" && attached.manifest.chunks.length >= 10,
          `the WAV is stored in ${attached.manifest.chunks.length} chunks as ${attached.manifest.mimeType}`,
        );

        const served: string[] = [];
        author.on("response", (response) => {
          if (response.url().includes("/troth-media/") && response.fromServiceWorker())
            served.push(`${response.status()} ${response.headers()["content-range"] ?? ""}`);
        });
        await author.goto(app(`/witness/${formatId(tokenIds[1])}/0`));
        await signIn(author);
        await author.locator(".recording-player audio").waitFor({ state: "attached", timeout: 30_000 });
        await author.waitForFunction(
          () => {
            const a = document.querySelector(".recording-player audio") as HTMLAudioElement;
            return a.src.includes("/troth-media/") && (a.readyState >= 1 || a.error !== null);
          },
          undefined,
          { timeout: 30_000 },
        );
        // On failure, say what the element got: the worker's answer, or the app server's (not controlled).
        const loaded = await author.evaluate(async () => {
          const a = document.querySelector(".recording-player audio") as HTMLAudioElement;
          if (!a.error) return {};
          const probe = await fetch(a.src, { headers: { range: "bytes=0-15" } });
          return {
            error: a.error.message || a.error.code,
            controlled: navigator.serviceWorker.controller !== null,
            probe: `${probe.status} ${probe.headers.get("content-type")}`,
          };
        });
        expect(loaded.error === undefined, `the element could not load the recording: ${JSON.stringify(loaded)}`);
        // Its controls are on screen (a voice reflection is an <audio> element, which CSS once drew 0 px high).
        await author.locator(".recording-player audio").waitFor({ state: "visible", timeout: 5_000 });
        await author.evaluate(() => (document.querySelector(".recording-player audio") as HTMLAudioElement).play());
        await author.waitForFunction(
          () => (document.querySelector(".recording-player audio") as HTMLAudioElement).currentTime > 0.3,
          undefined,
          { timeout: 30_000 },
        );
        const state = await mediaState(author);
        expect(
          state !== null && Math.abs(state.duration - seconds) < 1,
          `the element read the file's own duration, ${seconds} s (${JSON.stringify(state)})`,
        );
        const target = 55;
        await author.evaluate((t) => {
          (document.querySelector(".recording-player audio") as HTMLAudioElement).currentTime = t;
        }, target);
        await author.waitForFunction(
          (t) => {
            const a = document.querySelector(".recording-player audio") as HTMLAudioElement;
            return !a.seeking && !a.paused && a.currentTime > t + 0.3;
          },
          target,
          { timeout: 30_000 },
        );
        expect(
          served.some((line) => line.startsWith("206 bytes ")),
          `the worker answered the element's range requests with 206 (${served.join("; ")})`,
        );
        await screen(author, "recording-attached-wav");
      },
    );
  } finally {
    writeFileSync(path.join(h.resultsDir, "recording.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`  recording figures: ${JSON.stringify(figures)}`);
    await browser.close();
  }
}
