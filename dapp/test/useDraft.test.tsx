import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useDraft } from "../src/hooks/useDraft.ts";
import { createDraftVault, type DraftVault } from "../src/lib/drafts.ts";
import { IdentityContext } from "../src/lib/identity.tsx";
import { testIdentity } from "./helpers.ts";

let vault: DraftVault;
const identity = testIdentity();
const wrapper = ({ children }: { children: ReactNode }) => (
  <IdentityContext.Provider value={{ identity, vault, unlocking: false, error: null, unlock: async () => identity }}>
    {children}
  </IdentityContext.Provider>
);

beforeEach(async () => {
  localStorage.clear();
  vault = await createDraftVault(identity);
});
afterEach(cleanup);

describe("useDraft", () => {
  it("saves as the member types and restores after a remount (a reload), encrypted in between", async () => {
    const first = renderHook(() => useDraft("checkin:0x1:0", { said: "" }), { wrapper });
    await waitFor(() => expect(first.result.current.status).to.equal("empty"));
    act(() => first.result.current.update({ said: "What I wrote before the crash" }));
    await waitFor(() => expect(first.result.current.status).to.equal("saved"));
    expect(JSON.stringify(Object.entries(localStorage))).not.to.contain("crash");
    first.unmount();

    const second = renderHook(() => useDraft("checkin:0x1:0", { said: "" }), { wrapper });
    await waitFor(() => expect(second.result.current.status).to.equal("restored"));
    expect(second.result.current.value.said).to.equal("What I wrote before the crash");
  });

  it("flush writes at once; clear forgets the draft once the chain has it", async () => {
    const { result } = renderHook(() => useDraft("covenant:new", { title: "" }), { wrapper });
    await waitFor(() => expect(result.current.ready).to.equal(true));
    act(() => result.current.update({ title: "Spring pod" }));
    await act(() => result.current.flush());
    expect((await vault.load<{ title: string }>("covenant:new"))?.value.title).to.equal("Spring pod");
    await act(() => result.current.clear());
    expect(await vault.load("covenant:new")).to.equal(undefined);
  });
});
