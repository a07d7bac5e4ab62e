/**
 * The pod's private mirror: a pure function of decrypted reports and replies, with words that describe and never
 * grade. A scripted history shows each sign, and its absence when the pod does not show it.
 */
import { describe, expect, it } from "vitest";
import { type MirrorReply, type MirrorReport, mirrorWords, podMirror } from "./helpers/exports.ts";

const [A, B, C] = [
  "0x1111111111111111111111111111111111111111",
  "0x2222222222222222222222222222222222222222",
  "0x3333333333333333333333333333333333333333",
] as const;
const report = (member: `0x${string}`, round: number, said: string, struggleFirst?: boolean): MirrorReport => ({
  member,
  round,
  report: { said, blocked: "", next: "Keep going", ...(struggleFirst === undefined ? {} : { struggleFirst }) },
});
const name = (a: string) => (a === A ? "You" : a === B ? "Bea" : "Cam");

describe("the private mirror", () => {
  const reports = [
    report(A, 0, "I wrote the chapter outline and walked daily", true),
    report(B, 0, "Shipped the draft", false),
    report(A, 1, "I wrote the chapter outline and walked daily again"),
    report(C, 1, "Called my father", true),
    report(A, 2, "I wrote the chapter outline and walked daily"),
    report(B, 2, "Missed two runs; here is why", true),
    report(C, 2, "Called him, it went badly", true),
  ];
  const replies: MirrorReply[] = [
    { from: B, round: 0, reply: "What did you notice?" },
    { from: B, round: 1, reply: "What did you notice?" },
    { from: B, round: 2, reply: "What did you notice?" },
    { from: C, round: 2, reply: "What did you notice?" },
    { from: B, round: 2, reply: "What did you notice?" },
    { from: C, round: 2, reply: "Thank you" },
  ];

  it("counts who led with the struggle, round by round", () => {
    expect(podMirror({ reader: A, reports, replies }).struggle).to.deep.equal([
      { round: 0, led: 1, of: 2 },
      { round: 1, led: 1, of: 2 },
      { round: 2, led: 2, of: 3 },
    ]);
  });

  it("tells the reader, and only the reader, that their own check-ins read alike", () => {
    expect(podMirror({ reader: A, reports, replies }).ownAlike?.rounds).to.deep.equal([0, 1, 2]);
    // B's own check-ins differ; C has too few to tell.
    expect(podMirror({ reader: B, reports, replies }).ownAlike).to.equal(null);
    expect(podMirror({ reader: C, reports, replies }).ownAlike).to.equal(null);
  });

  it("notices one member doing most of the asking, and not a shared or thin asking", () => {
    expect(podMirror({ reader: A, reports, replies }).oneAsking).to.deep.equal({ member: B, questions: 4, of: 5 });
    expect(podMirror({ reader: A, reports, replies: replies.slice(0, 3) }).oneAsking).to.equal(null);
    const shared = [...replies, { from: C, round: 2, reply: "What did you notice?" as const }];
    expect(
      podMirror({ reader: A, reports, replies: [...shared, { from: A, round: 2, reply: "What did you notice?" }] })
        .oneAsking,
    ).to.equal(null);
  });

  it("describes and never grades", () => {
    const lines = mirrorWords(podMirror({ reader: A, reports, replies }), name);
    expect(lines).to.deep.equal([
      "In round 3, 2 of 3 check-ins led with the struggle.",
      "Your last 3 check-ins read much alike. Is something staying the same that you would like to name?",
      "Bea asked 4 of the last 5 questions. Anyone may ask what they noticed.",
    ]);
    for (const line of lines) expect(line).not.to.match(/\b(good|bad|poor|great|fail|score|grade|should|must)\b/i);
  });
});
