import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { TrothClient } from "@troth/sdk";
import { UserRejectedRequestError } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { transact } from "../src/lib/notify.tsx";
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
