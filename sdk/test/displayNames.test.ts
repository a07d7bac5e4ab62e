/**
 * Display names: how each member appears to their pod, carried in the covenant (sealed, so only members read them).
 * The covenant format is versioned: a covenant without names stays version 1 (what older SDKs read), one with names
 * is version 2; this SDK reads both and names an unknown version.
 */
import { describe, expect, it } from "vitest";
import { covenantVersionFor } from "../src/crypto/documents.ts";
import {
  type CovenantDocument,
  DISPLAY_NAME_MAX_LENGTH,
  DocumentValidationError,
  openDocument,
  sealDocument,
  validateDocument,
} from "../src/crypto/index.ts";
import { covenantV1 } from "./helpers/covenants.ts";

const v1 = covenantV1;
const v2: CovenantDocument = {
  ...v1,
  version: 2,
  members: [{ ...v1.members[0], name: "Ada" }, v1.members[1]],
};

describe("display names in the covenant", () => {
  it("reads version 1 covenants as before, and version 2 with names", () => {
    expect(validateDocument("covenant", v1).members.map((m) => m.name)).to.deep.equal([undefined, undefined]);
    expect(validateDocument("covenant", v2).members.map((m) => m.name)).to.deep.equal(["Ada", undefined]);
  });

  it("writes the lowest version that holds the names", () => {
    expect(covenantVersionFor(v1.members)).to.equal(1);
    expect(covenantVersionFor(v2.members)).to.equal(2);
  });

  it("keeps names sealed: only a key holder reads them back", () => {
    const key = new Uint8Array(32).fill(7);
    const slot = { pod: `0x${"11".repeat(32)}`, epoch: 0, kind: "covenant", member: 0xff, round: 0xff } as const;
    const blob = sealDocument(v2, { key, slot });
    expect(new TextDecoder().decode(blob)).not.to.contain("Ada");
    expect(openDocument(blob, { key, slot }).members[0].name).to.equal("Ada");
  });

  it("refuses a name in a version 1 covenant, a name on two lines or too long, and an unknown version", () => {
    expect(() => validateDocument("covenant", { ...v2, version: 1 })).toThrow(/name: is not a known field/);
    for (const name of ["Ada\nLovelace", " Ada", "", "x".repeat(DISPLAY_NAME_MAX_LENGTH + 1)]) {
      expect(() =>
        validateDocument("covenant", { ...v2, members: [{ ...v2.members[0], name }, v2.members[1]] }),
      ).toThrow(DocumentValidationError);
    }
    expect(() => validateDocument("covenant", { ...v2, version: 4 })).toThrow(/version 4 is not supported.*upgrade/);
  });
});
