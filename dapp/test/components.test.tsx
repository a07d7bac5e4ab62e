import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { TrothClient } from "@troth/sdk";
import { UserRejectedRequestError } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { transact } from "../src/lib/notify.tsx";
import { AmendTermsForm } from "../src/ui/AmendTerms.tsx";
import { ErrorNote } from "../src/ui/ErrorNote.tsx";
import { Field } from "../src/ui/Field.tsx";
import { NewcomerForm } from "../src/ui/MembershipChanges.tsx";
import { Notices } from "../src/ui/Notices.tsx";
import { arcPath, Ring } from "../src/ui/Ring.tsx";

afterEach(cleanup);

describe("Ring", () => {
  it("describes the continuity in words for screen readers, one arc per round", () => {
    const { container } = render(
      <Ring states={["witnessed", "missed", "witnessed", "open", "upcoming"]} label="Ada" />,
    );
    expect(screen.getByRole("img", { name: "Ada: 2 of 5 rounds witnessed, 1 missed." })).to.not.equal(null);
    expect(container.querySelectorAll("path.ring-arc").length).to.equal(5);
    expect(container.querySelectorAll("path.ring-witnessed").length).to.equal(2);
    expect(screen.getByText("2/5")).to.not.equal(null);
  });

  it("draws each round as its own arc, so a missed round's dashes never run round the ring", () => {
    // The bug: one full circle per round with a dash pattern, which the missed style's dash pattern replaced, so a
    // stripe ran round the whole ring. Now each arc is a path of its own segment, and no arc carries a dash pattern.
    const states = ["witnessed", "witnessed", "missed", "witnessed", "open", "upcoming", "upcoming"] as const;
    const { container } = render(<Ring states={states} label="Bo" />);
    const arcs = [...container.querySelectorAll("path.ring-arc")];
    expect(arcs.map((a) => a.getAttribute("class"))).to.deep.equal(states.map((s) => `ring-arc ring-${s}`));
    for (const [i, arc] of arcs.entries()) {
      expect(arc.getAttribute("stroke-dasharray")).to.equal(null);
      expect(arc.getAttribute("d")).to.equal(arcPath(i, states.length));
      // Each arc starts at its round's angle and ends before the next round's, on the circle of radius 40.
      const [x0, y0, , , , , , x1, y1] = arc.getAttribute("d")!.replace(/[MA]/g, "").trim().split(/\s+/).map(Number);
      const angle = (x: number, y: number) => ((Math.atan2(y - 50, x - 50) * 180) / Math.PI + 90 + 360) % 360;
      const step = 360 / states.length;
      expect(angle(x0, y0)).to.be.closeTo(i * step, 0.01);
      const end = angle(x1, y1);
      expect(end).to.be.above(i * step);
      expect(end).to.be.below(i * step + step);
      expect(Math.hypot(x0 - 50, y0 - 50)).to.be.closeTo(40, 0.01);
    }
  });

  it("draws a single-round ring as one whole circle", () => {
    const { container } = render(<Ring states={["missed"]} label="Cy" />);
    expect(container.querySelector("path.ring-missed")!.getAttribute("d")).to.equal(arcPath(0, 1));
  });
});

describe("Field", () => {
  it("labels its control and ties the error to it", () => {
    render(
      <Field label="Name of the pod" error="Give the pod a name.">
        {(props) => <input {...props} />}
      </Field>,
    );
    const input = screen.getByLabelText("Name of the pod");
    expect(input.getAttribute("aria-invalid")).to.equal("true");
    const described = document.getElementById(input.getAttribute("aria-describedby")!);
    expect(described?.textContent).to.equal("Give the pod a name.");
  });
});

describe("ErrorNote", () => {
  it("shows the plain words and offers a retry", () => {
    let retried = 0;
    render(<ErrorNote error={new UserRejectedRequestError(new Error("rejected"))} onRetry={() => retried++} />);
    expect(screen.getByRole("alert").textContent).to.contain("You declined in your wallet");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retried).to.equal(1);
  });
});

describe("transaction notices", () => {
  it("the one helper tells the wallet step, then the failure in plain words, and rethrows", async () => {
    render(<Notices />);
    let reject!: (e: unknown) => void;
    const client = {} as TrothClient; // never reached: the send fails before any receipt is awaited
    const sent = transact(client, "Witness the check-in", () => new Promise((_, r) => (reject = r)));
    await waitFor(() => expect(screen.getByRole("status").textContent).to.contain("Check your wallet to confirm."));
    reject(new UserRejectedRequestError(new Error("User rejected")));
    await expect(sent).rejects.toBeInstanceOf(UserRejectedRequestError);
    await waitFor(() => expect(screen.getByRole("alert").textContent).to.contain("You declined in your wallet"));
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.getByRole("alert").textContent).to.equal("");
  });
});

describe("AmendTermsForm", () => {
  const current = { cadence: 7 * 86_400, grace: 48 * 3600, quorum: 1 };

  it("starts from the pod's terms and proposes the changed ones, in seconds", () => {
    const proposed: unknown[] = [];
    render(<AmendTermsForm current={current} witnesses={2} onPropose={(t) => proposed.push(t)} />);
    expect((screen.getByLabelText("Meet every (days)") as HTMLInputElement).value).to.equal("7");
    expect((screen.getByLabelText("Grace to reschedule (hours)") as HTMLInputElement).value).to.equal("48");
    fireEvent.change(screen.getByLabelText("Meet every (days)"), { target: { value: "14" } });
    fireEvent.change(screen.getByLabelText("Witnesses each check-in needs"), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(proposed).to.deep.equal([{ cadence: 14 * 86_400, grace: 48 * 3600, quorum: 2 }]);
  });

  it("starts from a replant suggestion when given one, and proposes only when the member confirms", () => {
    const proposed: unknown[] = [];
    render(
      <AmendTermsForm
        current={current}
        initial={{ cadenceDays: 14 }}
        witnesses={2}
        onPropose={(t) => proposed.push(t)}
      />,
    );
    expect((screen.getByLabelText("Meet every (days)") as HTMLInputElement).value).to.equal("14");
    expect((screen.getByLabelText("Grace to reschedule (hours)") as HTMLInputElement).value).to.equal("48");
    expect(proposed).to.deep.equal([]);
    fireEvent.change(screen.getByLabelText("Grace to reschedule (hours)"), { target: { value: "72" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(proposed).to.deep.equal([{ cadence: 14 * 86_400, grace: 72 * 3600, quorum: 1 }]);
  });

  it("explains what is wrong, field by field, and proposes nothing", () => {
    const proposed: unknown[] = [];
    render(<AmendTermsForm current={current} witnesses={2} onPropose={(t) => proposed.push(t)} />);
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(screen.getByRole("alert").textContent).to.equal("These are the pod's terms already.");
    fireEvent.change(screen.getByLabelText("Witnesses each check-in needs"), { target: { value: "3" } });
    fireEvent.change(screen.getByLabelText("Grace to reschedule (hours)"), { target: { value: "200" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    const quorum = screen.getByLabelText("Witnesses each check-in needs");
    expect(document.getElementById(quorum.getAttribute("aria-describedby")!)?.textContent).to.equal(
      "Between 1 and 2 witnesses (everyone but the one checking in).",
    );
    expect(screen.getByText("Grace is 0 hours up to one full cadence.")).to.not.equal(null);
    fireEvent.change(screen.getByLabelText("Meet every (days)"), { target: { value: "93" } });
    fireEvent.change(screen.getByLabelText("Each speaker's turn (minutes)"), { target: { value: "61" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(screen.getByText("Meet every 1 to 92 days (92: quarterly).")).to.not.equal(null);
    expect(screen.getByText("A turn is 1 to 60 minutes.")).to.not.equal(null);
    expect(proposed).to.deep.equal([]);
  });

  it("refuses a rhythm so short the open round would close out of order (the contract's rule, said first)", () => {
    const proposed: unknown[] = [];
    render(<AmendTermsForm current={current} witnesses={2} onPropose={(t) => proposed.push(t)} />);
    fireEvent.change(screen.getByLabelText("Meet every (days)"), { target: { value: "1" } });
    fireEvent.change(screen.getByLabelText("Grace to reschedule (hours)"), { target: { value: "12" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(
      screen.getByText("With a rhythm this short, keep at least 24 hours of grace so the open round closes in order."),
    ).to.not.equal(null);
    expect(proposed).to.deep.equal([]);
  });

  it("shows the covenant's meeting terms and proposes only those that change (null: back to the usual)", () => {
    const proposed: unknown[] = [];
    render(
      <AmendTermsForm current={{ ...current, turnLength: 12 }} witnesses={2} onPropose={(t) => proposed.push(t)} />,
    );
    expect((screen.getByLabelText("Each speaker's turn (minutes)") as HTMLInputElement).value).to.equal("12");
    expect((screen.getByLabelText("Longest recorded reflection (minutes)") as HTMLInputElement).value).to.equal("20");
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(screen.getByRole("alert").textContent).to.equal("These are the pod's terms already.");
    fireEvent.change(screen.getByLabelText("Each speaker's turn (minutes)"), { target: { value: "8" } });
    fireEvent.change(screen.getByLabelText("Longest recorded reflection (minutes)"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("button", { name: "Propose these terms" }));
    expect(proposed).to.deep.equal([
      { cadence: 7 * 86_400, grace: 48 * 3600, quorum: 1, turnLength: null, recordingCap: 30 },
    ]);
  });
});

describe("NewcomerForm", () => {
  const [alice, bob, carol, dave] = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  ] as const;

  it("proposes a new partner with their commitment, refusing someone already in the pod", () => {
    const proposed: unknown[] = [];
    render(<NewcomerForm members={[alice, bob, carol]} onPropose={(p) => proposed.push(p)} />);
    fireEvent.change(screen.getByLabelText("The new partner's address"), { target: { value: bob.toLowerCase() } });
    fireEvent.change(screen.getByLabelText("Their commitment (one or two sentences)"), {
      target: { value: "Swim twice a week." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Propose the new partner" }));
    expect(screen.getByText("They are in the pod already.")).to.not.equal(null);
    fireEvent.change(screen.getByLabelText("The new partner's address"), { target: { value: dave.toLowerCase() } });
    fireEvent.click(screen.getByRole("button", { name: "Propose the new partner" }));
    expect(proposed).to.deep.equal([{ address: dave, commitment: "Swim twice a week." }]);
  });

  it("for a replacement, names who steps out (never the proposer) and keeps commitments short", () => {
    const proposed: unknown[] = [];
    render(
      <NewcomerForm members={[alice, bob, carol]} replaceable={[bob, carol]} onPropose={(p) => proposed.push(p)} />,
    );
    const who = screen.getByLabelText("Who steps out") as HTMLSelectElement;
    expect([...who.options].map((o) => o.value)).to.deep.equal([bob, carol]);
    fireEvent.change(who, { target: { value: carol } });
    fireEvent.change(screen.getByLabelText("The new partner's address"), { target: { value: dave } });
    fireEvent.change(screen.getByLabelText("Their commitment (one or two sentences)"), {
      target: { value: "One. Two. Three." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Propose the replacement" }));
    expect(screen.getByText("Keep it to one or two sentences.")).to.not.equal(null);
    fireEvent.change(screen.getByLabelText("Their commitment (one or two sentences)"), {
      target: { value: "Paint on Sundays." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Propose the replacement" }));
    expect(proposed).to.deep.equal([
      { replaced: carol, absent: false, address: dave, commitment: "Paint on Sundays." },
    ]);
    // A partner who stopped answering: the absence rule instead of their signature.
    fireEvent.click(screen.getByLabelText(/They haven't checked in for the last two rounds/));
    fireEvent.click(screen.getByRole("button", { name: "Propose the replacement" }));
    expect(proposed.at(-1)).to.deep.equal({
      replaced: carol,
      absent: true,
      address: dave,
      commitment: "Paint on Sundays.",
    });
  });
});
