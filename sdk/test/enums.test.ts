/**
 * The SDK's status names are the contract's enums, value for value: each list is read from
 * `contracts/types/TrothTypes.sol` and compared with the SDK's (index = on-chain value, names in camel case).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  claimKinds,
  commitmentStatuses,
  memberStatuses,
  noteKinds,
  podStatuses,
  roundStates,
} from "./helpers/exports.ts";

const types = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../contracts/types/TrothTypes.sol"),
  "utf8",
);

/** The members of `enum name { … }`, comments stripped, first letter lowered (`Active` → `active`). */
function solidityEnum(name: string): string[] {
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(types)?.[1];
  if (!body) throw new Error(`no enum ${name} in TrothTypes.sol`);
  return body
    .replace(/\/\/[^\n]*/g, "")
    .split(",")
    .map((member) => member.trim())
    .filter(Boolean)
    .map((member) => member[0].toLowerCase() + member.slice(1));
}

describe("status names", () => {
  it.each([
    ["MemberStatus", memberStatuses],
    ["PodStatus", podStatuses],
    ["RoundState", roundStates],
    ["CommitmentStatus", commitmentStatuses],
    ["ClaimKind", claimKinds],
    ["NoteKind", Object.keys(noteKinds).sort((x, y) => noteKinds[x as "note"] - noteKinds[y as "note"])],
  ] as const)("%s matches the contract's enum", (name, names) => {
    expect([...names]).to.deep.equal(solidityEnum(name));
  });
});
