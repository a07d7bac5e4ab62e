import { beforeEach, describe, expect, it } from "vitest";
import { createDraftVault, DraftUnreadableError } from "../src/lib/drafts.ts";
import { testIdentity } from "./helpers.ts";

describe("draft vault", () => {
  beforeEach(() => localStorage.clear());

  it("keeps a draft encrypted: nothing written, not even its name, is in storage", async () => {
    const vault = await createDraftVault(testIdentity());
    await vault.save("checkin:0x1200:3", { said: "A secret sentence", blocked: "", next: "More" });
    const stored = JSON.stringify(Object.entries(localStorage));
    expect(stored).not.to.contain("secret");
    expect(stored).not.to.contain("checkin");
    const draft = await vault.load<{ said: string }>("checkin:0x1200:3");
    expect(draft?.value.said).to.equal("A secret sentence");
    expect(draft?.id).to.equal("checkin:0x1200:3");
  });

  it("lists by prefix, newest first, and forgets a removed draft", async () => {
    const vault = await createDraftVault(testIdentity());
    await vault.save("proposal:0xa", { title: "A" });
    await new Promise((r) => setTimeout(r, 5));
    await vault.save("proposal:0xb", { title: "B" });
    await vault.save("covenant:new", { title: "C" });
    expect((await vault.list("proposal:")).map((d) => d.id)).to.deep.equal(["proposal:0xb", "proposal:0xa"]);
    await vault.remove("proposal:0xb");
    expect((await vault.list()).map((d) => d.id).sort()).to.deep.equal(["covenant:new", "proposal:0xa"]);
    expect(await vault.load("proposal:0xb")).to.equal(undefined);
  });

  it("another member's key neither sees nor opens the drafts", async () => {
    const mine = await createDraftVault(testIdentity(1));
    await mine.save("covenant:new", { title: "Mine" });
    const theirs = await createDraftVault(testIdentity(2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"));
    expect(await theirs.list()).to.deep.equal([]);
    expect(await theirs.load("covenant:new")).to.equal(undefined);
  });

  it("a damaged draft is a typed error, not garbage", async () => {
    const vault = await createDraftVault(testIdentity());
    await vault.save("covenant:new", { title: "x" });
    const key = Object.keys(localStorage)[0];
    const record = JSON.parse(localStorage.getItem(key)!);
    record.ct = btoa("tampered bytes here");
    localStorage.setItem(key, JSON.stringify(record));
    await expect(vault.load("covenant:new")).rejects.toBeInstanceOf(DraftUnreadableError);
  });
});
