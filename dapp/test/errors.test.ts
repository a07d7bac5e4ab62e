import { BaseError, InvalidKeyringError, MissingEncryptionKeyError, RoundNotOpenError, trothError } from "@troth/sdk";
import { StoreRequestError } from "@troth/sdk/storage";
import { HttpRequestError, TimeoutError, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { plainError } from "../src/lib/errors.ts";

describe("errors in plain words", () => {
  it("a declined signature says nothing was sent and nothing is lost", () => {
    const plain = plainError(new UserRejectedRequestError(new Error("User rejected the request.")));
    expect(plain.kind).to.equal("rejected");
    expect(plain.title).to.contain("nothing you wrote is lost");
  });

  it("a decoded contract error gets the member's words", () => {
    const plain = plainError(trothError("CheckInRoundNotOpen", [1n, 2], { preflight: true }));
    expect(plain.kind).to.equal("rule");
    expect(plain.title).to.equal(
      "This round isn't open for a check-in right now: it has closed, or hasn't opened yet.",
    );
    expect(plain.detail).to.equal("CheckInRoundNotOpen");
  });

  it("a contract error without special words keeps the SDK's sentence", () => {
    const plain = plainError(trothError("PodInvalidRounds", [0]));
    expect(plain.title).to.equal("A cycle has 1 to 64 rounds.");
  });

  it("storage down says the draft is kept", () => {
    const plain = plainError(new StoreRequestError({ source: "gateway http://127.0.0.1:1", reason: "fetch failed" }));
    expect(plain.kind).to.equal("storage");
    expect(plain.title).to.equal("The encrypted storage (IPFS) can't be reached right now.");
    expect(plain.detail).to.contain("kept, encrypted, on this device");
  });

  it("a keyring that breaks the pod's key rules says why, and that nothing was read or written", () => {
    const reason = "it wraps the pod key for 0xabc, who is not an active member";
    const plain = plainError(new InvalidKeyringError({ podId: 7n, keyringDigest: `0x${"11".repeat(32)}`, reason }));
    expect(plain.kind).to.equal("advice");
    expect(plain.title).to.contain("nothing was read or written");
    expect(plain.detail).to.contain(reason);
  });

  it("each protocol v2 rule a member can meet has words of its own", () => {
    for (const [name, args] of [
      ["ClaimWindowOpen", [1n, 2, 3n]],
      ["ClaimPodTooSmall", [1n, 2]],
      ["PodStartInPast", [1, 2n]],
      ["PodAlreadyRenewed", [1n, "0x0000000000000000000000000000000000000001"]],
    ] as const) {
      const error = trothError(name, args as never, { preflight: true });
      const plain = plainError(error);
      // The member's words, not the SDK's generic sentence.
      expect(plain.title, name).to.not.equal(error.shortMessage);
      expect(plain.detail).to.equal(name);
    }
  });

  it("the node down is a network error", () => {
    const plain = plainError(new HttpRequestError({ url: "http://127.0.0.1:1", cause: new Error("fetch failed") }));
    expect(plain.kind).to.equal("network");
  });

  it("a partner without a published key is named, with what to do next (shown: it is advice, not a rule's name)", () => {
    const plain = plainError(new MissingEncryptionKeyError({ member: "0xabc" }));
    expect(plain.title).to.equal("0xabc hasn't set up Troth yet, so nothing can be encrypted for them.");
    expect(plain.kind).to.equal("advice");
    expect(plain.detail).to.match(/^Send them an invitation link/);
  });

  it("errors are told apart by class: a subclass is recognised, wrapped in a cause chain", () => {
    class GatewayDownError extends StoreRequestError {}
    const wrapped = new BaseError("Could not read the covenant.", {
      cause: new GatewayDownError({ source: "gateway http://127.0.0.1:1", reason: "fetch failed" }),
    });
    expect(plainError(wrapped).kind).to.equal("storage");

    const revert = trothError("CheckInRoundNotOpen", [1n, 2]);
    expect(revert).to.be.instanceOf(RoundNotOpenError);
    const plain = plainError(new BaseError("Check-in failed.", { cause: revert }));
    expect(plain.kind).to.equal("rule");
    expect(plain.detail).to.equal("CheckInRoundNotOpen");

    expect(plainError(new TimeoutError({ body: {}, url: "http://127.0.0.1:1" })).kind).to.equal("network");
  });

  it("a look-alike name is not enough: only the class counts", () => {
    const impostor = Object.assign(new Error("no"), { name: "StoreRequestError" });
    expect(plainError(impostor).kind).to.equal("unknown");
    expect(plainError({ name: "UserRejectedRequestError", message: "x" }).kind).to.equal("unknown");
  });
});
