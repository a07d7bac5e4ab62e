/**
 * The covenant's meeting terms (version 3): each speaker's turn and the longest recorded reflection, in minutes. A
 * covenant that sets neither stays version 1 or 2, so SDKs that know only those keep reading it; bad values are
 * refused with a DocumentValidationError naming the field.
 */
import { describe, expect, it } from "vitest";
import { covenantVersionFor } from "../src/crypto/documents.ts";
import {
  type CovenantDocument,
  DocumentValidationError,
  MEETING_TERM_MINUTES,
  meetingTermsOf,
  openDocument,
  sealDocument,
  validateDocument,
} from "../src/crypto/index.ts";
import { covenantV1 } from "./helpers/covenants.ts";

const v1 = covenantV1;
const v3: CovenantDocument = {
  ...v1,
  version: 3,
  members: [{ ...v1.members[0], name: "Ada" }, v1.members[1]],
  terms: { ...v1.terms, turnLength: 10, recordingCap: 15 },
};
const key = new Uint8Array(32).fill(9);
const slot = { pod: `0x${"22".repeat(32)}`, epoch: 0, kind: "covenant", member: 0xff, round: 0xff } as const;

describe("meeting terms in the covenant", () => {
  it("round-trips the turn length and recording cap through a sealed covenant", () => {
    const opened = openDocument(sealDocument(v3, { key, slot }), { key, slot });
    expect(opened).to.deep.equal(v3);
    expect(meetingTermsOf(opened.terms)).to.deep.equal({ turnSeconds: 600, recordingCapMs: 15 * 60_000 });
  });

  it("reads older covenants with the defaults: 8-minute turns, 20-minute recordings", () => {
    const opened = openDocument(sealDocument(v1, { key, slot }), { key, slot });
    expect(opened.terms).not.to.have.property("turnLength");
    expect(meetingTermsOf(opened.terms)).to.deep.equal({ turnSeconds: 480, recordingCapMs: 20 * 60_000 });
    expect(validateDocument("covenant", { ...v3, version: 2, terms: v1.terms }).version).to.equal(2);
  });

  it("writes version 3 only when a meeting term is set", () => {
    expect(covenantVersionFor(v1.members)).to.equal(1);
    expect(covenantVersionFor(v1.members, {})).to.equal(1);
    expect(covenantVersionFor(v3.members, {})).to.equal(2);
    expect(covenantVersionFor(v1.members, { recordingCap: 20 })).to.equal(3);
    expect(covenantVersionFor(v1.members, { turnLength: 8 })).to.equal(3);
  });

  it("refuses meeting terms in an older version, and out-of-range or fractional minutes", () => {
    for (const version of [1, 2] as const) {
      const older = { ...v3, version, members: v1.members };
      expect(() => validateDocument("covenant", older)).toThrow(/terms.turnLength: is not a known field/);
    }
    const { min, max } = MEETING_TERM_MINUTES;
    for (const bad of [min - 1, max + 1, 2.5, "10", null, Number.NaN]) {
      for (const field of ["turnLength", "recordingCap"]) {
        const document = { ...v3, terms: { ...v3.terms, [field]: bad } };
        const error = (() => {
          try {
            validateDocument("covenant", document);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(DocumentValidationError);
        expect((error as DocumentValidationError).path).to.equal(`terms.${field}`);
      }
    }
    expect(
      validateDocument("covenant", { ...v3, terms: { ...v3.terms, turnLength: min, recordingCap: max } }).terms,
    ).to.include({ turnLength: min, recordingCap: max });
  });
});
