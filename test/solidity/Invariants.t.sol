// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommitmentView, Member, MemberStatus, RoundState} from "../../contracts/types/TrothTypes.sol";
import {ACTOR_COUNT, PodHandler, PodModel, Seat, Violation} from "./handlers/PodHandler.sol";
import {ModelEra, ScheduleModel} from "./utils/ScheduleModel.sol";
import {TrothFixture} from "./utils/TrothFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @dev The shape the invariant runner reads from `targetSelectors()`.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

/// @title Invariants over random sequences of protocol actions
/// @notice The runner calls `PodHandler`'s actions (check-ins and check-ins sent again, witnesses, restarts, pauses,
/// resumes, amendments, departures, additions, replacements, absence claims, recoveries, cancellations, completions,
/// renewals, burns, transfer attempts, time) in random order with random arguments; after each call every invariant
/// below must hold for every token the handler ever minted.
contract TrothInvariantsTest is TrothFixture {
    using ScheduleModel for ModelEra[];

    PodHandler internal handler;

    function setUp() public override {
        super.setUp();
        _enlist(ACTOR_COUNT); // the same keys, so the same accounts, as the handler's
        handler = new PodHandler(troth);
    }

    function targetContracts() public view returns (address[] memory list) {
        list = new address[](1);
        list[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory list) {
        list = new FuzzSelector[](1);
        list[0] = FuzzSelector({addr: address(handler), selectors: handler.actions()});
    }

    /// @notice Troth accepted exactly the actions the rules allow, and declared witnessed exactly the check-ins whose
    /// witnesses reached quorum.
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_ProtocolAgreesWithTheRules() public view {
        uint256 count = handler.violationCount();
        if (count == 0) return;
        Violation memory v = handler.violation(0);
        string[4] memory kinds = [
            "accepted, the rules refuse",
            "refused, the rules accept",
            "witnessed below quorum",
            "not witnessed at quorum"
        ];
        revert(
            string.concat(
                vm.toString(count),
                " disagreements; first: ",
                _name(v.action),
                " ",
                kinds[uint8(v.kind)],
                " ",
                vm.toString(v.reason)
            )
        );
    }

    /// @notice Property 1: every token ever minted is with the account it was minted to (or, after a completed
    /// recovery, the address it was recovered to), until that account burns it.
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_TokensNeverChangeOwner() public view {
        uint256 tokens = handler.tokenCount();
        uint256[] memory held = new uint256[](ACTOR_COUNT);
        for (uint256 i; i < tokens; ++i) {
            uint256 tokenId = handler.tokens(i);
            Seat memory s = handler.seat(tokenId);
            vm.assertEq(troth.holderOf(tokenId), s.burned ? address(0) : s.holder, "token changed owner");
            if (s.burned) continue;
            for (uint256 a; a < ACTOR_COUNT; ++a) {
                if (actors[a] == s.holder) ++held[a];
            }
        }
        for (uint256 a; a < ACTOR_COUNT; ++a) {
            vm.assertEq(troth.balanceOf(actors[a]), held[a], "balance differs from tokens minted and kept");
        }
    }

    /// @notice Property 2: Troth's witnessed and reported rounds are exactly the model's, whose witnessed rounds are
    /// only those that a quorum of distinct, currently active, non-self members witnessed inside the window (a witness
    /// who has left no longer counts; a check-in sent again adds witnesses, never removes one); and every check-in
    /// still waiting keeps the report and the witnesses it was given.
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_WitnessedRoundsHadAQuorum() public view {
        uint256 tokens = handler.tokenCount();
        for (uint256 i; i < tokens; ++i) {
            uint256 tokenId = handler.tokens(i);
            Seat memory s = handler.seat(tokenId);
            Member memory m = troth.memberRecord(tokenId >> 8, s.holder);
            vm.assertEq(m.witnessed, s.witnessed, "witnessed rounds differ from the model's");
            vm.assertEq(m.reported, s.reported, "reported rounds differ from the model's");
            uint64 pending = s.reported & ~s.witnessed;
            for (uint8 r; pending >> r != 0; ++r) {
                if ((pending >> r) & 1 == 0) continue;
                (bytes32 report, uint256 witnesses) = troth.pendingReport(tokenId, r);
                (bytes32 modelReport, uint256 modelWitnesses) = handler.pendingOf(tokenId, r);
                vm.assertEq(report, modelReport, "pending report");
                vm.assertEq(witnesses, modelWitnesses, "pending witnesses");
            }
        }
    }

    /// @notice Property 4: for every token at every time, missed + witnessed + open + upcoming + paused equals the
    /// rounds of the member's span, and each count (and each round's state) is the model's.
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_RoundsAddUpForEveryToken() public view {
        uint256 tokens = handler.tokenCount();
        for (uint256 i; i < tokens; ++i) {
            uint256 tokenId = handler.tokens(i);
            if (handler.seat(tokenId).burned) continue;
            CommitmentView memory c = lens.commitment(tokenId);
            uint256 sum = uint256(c.missed) + c.witnessed + c.open + c.upcoming + c.paused;
            vm.assertEq(sum, uint256(c.endRound) - c.joinedRound, "rounds do not add up to the span");

            (RoundState[] memory states, uint8 spanEnd) = _modelStates(tokenId);
            vm.assertEq(c.endRound, spanEnd, "span end");
            vm.assertEq(c.joinedRound, handler.seat(tokenId).joinedRound, "joined round");
            RoundState[] memory lensStates = lens.roundStates(tokenId);
            uint256[7] memory counts;
            for (uint256 r; r < states.length; ++r) {
                vm.assertEq(uint8(lensStates[r]), uint8(states[r]), "round state differs from the model's");
                ++counts[uint8(states[r])];
            }
            vm.assertEq(c.witnessed, counts[uint8(RoundState.Witnessed)], "witnessed count");
            vm.assertEq(c.missed, counts[uint8(RoundState.Missed)], "missed count");
            vm.assertEq(
                c.open, counts[uint8(RoundState.Open)] + counts[uint8(RoundState.Reported)], "open count"
            );
            vm.assertEq(c.upcoming, counts[uint8(RoundState.Upcoming)], "upcoming count");
            vm.assertEq(c.paused, counts[uint8(RoundState.Paused)], "paused count");
        }
    }

    /// @notice No member leaves a pod's active set except by their own action (leaving), their consent (a replacement
    /// they signed), or the absence rule after its window with no action of theirs: Troth's record of every seat's
    /// holder has the model's status, and the model changes a status only on those three paths (`completeClaim` is
    /// refused by the model before the window or after any action of the member, and Troth must agree).
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_MembersLeaveOnlyByTheirOwnChoice() public view {
        uint256 tokens = handler.tokenCount();
        for (uint256 i; i < tokens; ++i) {
            uint256 tokenId = handler.tokens(i);
            Seat memory s = handler.seat(tokenId);
            Member memory m = troth.memberRecord(tokenId >> 8, s.holder);
            vm.assertEq(uint8(m.status), uint8(s.status), "a member's status differs from the model's");
        }
    }

    /// @notice At most one renewal per pod and member: no (previous pod, member) pair was continued twice.
    /// hardhat-config: invariant.runs = 24
    /// hardhat-config: invariant.depth = 100
    function invariant_OneRenewalPerPodAndMember() public view {
        uint256 n = handler.renewalCount();
        for (uint256 i; i < n; ++i) {
            for (uint256 j = i + 1; j < n; ++j) {
                bool same = handler.renewedPods(i) == handler.renewedPods(j)
                    && handler.renewedMembers(i) == handler.renewedMembers(j);
                vm.assertFalse(same, "a member renewed one pod twice");
            }
        }
    }

    /// @dev The rounds of a token as the rules say they stand now (from the handler's model), and the exclusive end
    /// of its span.
    function _modelStates(uint256 tokenId) internal view returns (RoundState[] memory states, uint8 spanEnd) {
        (PodModel memory p, ModelEra[] memory eras) = handler.podModel(tokenId >> 8);
        Seat memory s = handler.seat(tokenId);
        uint256 effective = p.pausedAt != 0 ? p.pausedAt : _now();
        int256 clock = int256(effective) - int256(uint256(p.start)) - int256(p.pausedTotal);
        spanEnd = s.status == MemberStatus.Active ? p.rounds : s.endRound;
        if (spanEnd < s.joinedRound) spanEnd = s.joinedRound;
        states = new RoundState[](p.rounds);
        for (uint8 r; r < p.rounds; ++r) {
            if ((s.witnessed >> r) & 1 == 1) states[r] = RoundState.Witnessed;
            else if (r < s.joinedRound || r >= spanEnd) states[r] = RoundState.Outside;
            else if (clock < 0 || uint256(clock) < eras.opens(r)) states[r] = RoundState.Upcoming;
            else if (uint256(clock) >= eras.closes(r)) states[r] = RoundState.Missed;
            else if (p.pausedAt != 0) states[r] = RoundState.Paused;
            else states[r] = (s.reported >> r) & 1 == 1 ? RoundState.Reported : RoundState.Open;
        }
    }

    /// @dev An action's name, stored as a left-aligned bytes32.
    function _name(bytes32 action) internal pure returns (string memory name) {
        uint256 length;
        while (length < 32 && action[length] != 0) {
            ++length;
        }
        name = new string(length);
        for (uint256 i; i < length; ++i) {
            bytes(name)[i] = action[i];
        }
    }
}
