/**
 * `troth meeting` without a chain: what the terminal says at each moment (the same moment as every device), and a
 * damaged link or a wrong command line get one sentence on stderr and a non-zero exit, before the network is asked.
 */
import { meetingMoment } from "@troth/sdk";
import { describe, expect, it } from "vitest";
import { momentLine } from "../src/commands/meeting.ts";
import { runTroth } from "./helpers/troth.ts";

const troth = (args: string[]) =>
  runTroth(args, {
    env: { PATH: process.env.PATH ?? "", TROTH_RPC: "http://127.0.0.1:9" },
  });

const order = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"] as const;
const link = { start: 1_000, turn: 480 };

describe("troth meeting", () => {
  it("says who has the floor, then the listening rule, as the timeline has it", () => {
    expect(momentLine(meetingMoment(link, 2, 990), order)).to.equal("Starts in 0:10.");
    expect(momentLine(meetingMoment(link, 2, 1_000 + 540 + 60), order)).to.equal(
      `${order[1]} has the floor: 7:00 left. No interruptions.`,
    );
    expect(momentLine(meetingMoment(link, 2, 1_000 + 480), order)).to.match(/finished\. Answer only "Thank you"/);
    expect(momentLine(meetingMoment(link, 2, 1_000 + 2 * 540), order)).to.match(/^Everyone has spoken/);
  });

  it("refuses a damaged link in one sentence, before any network", () => {
    const run = troth(["meeting", "https://app.example/#/meeting/0x12/3/soon/480"]);
    expect(run.status).to.equal(1);
    expect(run.stderr.trim().split("\n")).to.have.length(1);
    expect(run.stderr).to.match(/^troth: This meeting link is damaged: the start time is not a whole number/);
  });

  it("refuses a link given with options that a link already names", () => {
    for (const option of [["--turn", "5m"], ["--read"]]) {
      const run = troth(["meeting", "/meeting/0x12/3/1767000000/480", ...option]);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/already names its round, start and turn/);
    }
  });
});
