/** A two-member covenant document (version 1: no names, no meeting terms) for the document-format tests. */
import { COVENANT_BOUNDARY, type CovenantDocument } from "../../src/crypto/index.ts";

export const ada = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const bo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

export const covenantV1: CovenantDocument = {
  type: "troth/covenant",
  version: 1,
  title: "Spring pod",
  members: [
    { address: ada, commitment: "Write daily" },
    { address: bo, commitment: "Run weekly" },
  ],
  terms: { cadence: 604_800, grace: 172_800, rounds: 13, quorum: 1 },
  whenSomeoneMisses: "We ask what happened and begin again.",
  boundary: COVENANT_BOUNDARY,
};
