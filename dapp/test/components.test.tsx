import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { TrothClient } from "@troth/sdk";
import { UserRejectedRequestError } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { transact } from "../src/lib/notify.tsx";
import { AmendTermsForm } from "../src/ui/AmendTerms.tsx";
import { ErrorNote } from "../src/ui/ErrorNote.tsx";
import { Field } from "../src/ui/Field.tsx";
import { Notices } from "../src/ui/Notices.tsx";
import { Ring } from "../src/ui/Ring.tsx";

afterEach(cleanup);

describe("Ring", () => {
  it("describes the continuity in words for screen readers, one arc per round", () => {
    const { container } = render(
      <Ring states={["witnessed", "missed", "witnessed", "open", "upcoming"]} label="Ada" />,
    );
    expect(screen.getByRole("img", { name: "Ada: 2 of 5 rounds witnessed, 1 missed." })).to.not.equal(null);
    expect(container.querySelectorAll("circle.ring-arc").length).to.equal(5);
    expect(container.querySelectorAll("circle.ring-witnessed").length).to.equal(2);
    expect(screen.getByText("2/5")).to.not.equal(null);
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
      "Between 1 and 2 (everyone but the one checking in).",
    );
    expect(screen.getByText("Grace must be shorter than the time between meetings.")).to.not.equal(null);
    expect(proposed).to.deep.equal([]);
  });
});
