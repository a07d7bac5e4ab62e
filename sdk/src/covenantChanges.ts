/**
 * What an amendment changes in a covenant, field by field. The chain holds only an amended covenant's digest, so a
 * member asked to consent must be shown the amended document itself: its words, its rhythm, its meeting terms and
 * every member's commitment and name. A consent screen lists all of these, never only the numbers the chain checks.
 */
import { type Address, isAddressEqual } from "viem";
import type { CovenantDocument, CovenantDocumentTerms } from "./crypto/documents.ts";

/** The covenant's own words. */
export type CovenantWordingChange = { field: "title" | "whenSomeoneMisses"; before: string; after: string };
/** A term: the rhythm the chain also holds (seconds; quorum a count) or a meeting term (minutes; absent = default). */
export type CovenantTermChange = {
  field: Exclude<keyof CovenantDocumentTerms, "rounds">;
  before: number | undefined;
  after: number | undefined;
};
/** A member's words in the covenant: what they commit to, and the name they appear under (absent = their address). */
export type CovenantMemberChange = {
  field: "commitment" | "name";
  member: Address;
  before: string | undefined;
  after: string | undefined;
};
export type CovenantChange = CovenantWordingChange | CovenantTermChange | CovenantMemberChange;

const wording = ["title", "whenSomeoneMisses"] as const;
const terms = ["cadence", "grace", "quorum", "turnLength", "recordingCap"] as const;
const memberFields = ["commitment", "name"] as const;

/**
 * Every difference between two versions of a covenant with the same members, in reading order: the wording, the
 * terms, then each member's commitment and name. What cannot change in an amendment (who the members are, the number
 * of rounds) is not listed here: {@link amendedCovenantProblem} names it.
 *
 * @example
 * ```ts
 * for (const change of covenantChanges(current, amended)) console.log(change.field, change.before, "→", change.after);
 * ```
 */
export function covenantChanges(before: CovenantDocument, after: CovenantDocument): CovenantChange[] {
  const changes: CovenantChange[] = [];
  for (const field of wording) {
    if (before[field] !== after[field]) changes.push({ field, before: before[field], after: after[field] });
  }
  for (const field of terms) {
    if (before.terms[field] !== after.terms[field])
      changes.push({ field, before: before.terms[field], after: after.terms[field] });
  }
  for (const member of after.members) {
    const was = before.members.find((m) => isAddressEqual(m.address, member.address));
    if (!was) continue;
    for (const field of memberFields) {
      if (was[field] !== member[field])
        changes.push({ field, member: member.address, before: was[field], after: member[field] });
    }
  }
  return changes;
}

/**
 * Why an amended covenant cannot be what an amendment with these chain terms carries, or `undefined` when it can: its
 * rhythm must be the one the chain will hold, and an amendment keeps the members (they change by adding or
 * replacing one, with its own consents) and the number of rounds.
 */
export function amendedCovenantProblem(
  before: CovenantDocument,
  after: CovenantDocument,
  chainTerms: { cadence: number; grace: number; quorum: number },
): string | undefined {
  for (const field of ["cadence", "grace", "quorum"] as const) {
    if (after.terms[field] !== chainTerms[field])
      return `its covenant says ${field} ${after.terms[field]} where the chain would hold ${chainTerms[field]}`;
  }
  if (after.terms.rounds !== before.terms.rounds)
    return `its covenant has ${after.terms.rounds} rounds where the pod has ${before.terms.rounds}`;
  const same =
    after.members.length === before.members.length &&
    after.members.every((m, i) => isAddressEqual(m.address, before.members[i].address));
  if (!same) return "its covenant lists other members than the pod's covenant";
  return undefined;
}
