// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITrothErrors} from "../../contracts/interfaces/ITroth.sol";
import {Amendment, CommitmentView, RoundState, RoundWindow, Signature} from "../../contracts/types/TrothTypes.sol";
import {ModelEra, ScheduleModel} from "./utils/ScheduleModel.sol";
import {TrothFixture} from "./utils/TrothFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @title The schedule (fuzz): windows, open rounds, the closed prefix, and amendments that never reorder closes
/// @notice Random cadence (1–92 days), grace (≤ cadence), rounds (1–64), start and time. The contract's windows, round
/// states and check-in acceptance are compared with `ScheduleModel`, which works from the rules round by round.
contract ScheduleTest is TrothFixture {
    using ScheduleModel for ModelEra[];

    /// @dev What the model knows of a pod besides its eras.
    struct Clock {
        uint256 podId;
        uint40 start;
        uint8 rounds;
        uint256 pausedAt;
        uint256 pausedTotal;
    }

    function _clock(Clock memory k) internal view returns (int256) {
        uint256 effective = k.pausedAt != 0 ? k.pausedAt : _now();
        return int256(effective) - int256(uint256(k.start)) - int256(k.pausedTotal);
    }

    /// @dev Unix time of pod clock 0 as the lens shows it: a paused pod's future as if it resumed now.
    function _base(Clock memory k) internal view returns (uint256) {
        return uint256(k.start) + k.pausedTotal + (k.pausedAt != 0 ? _now() - k.pausedAt : 0);
    }

    function _terms(uint256 seed) internal pure returns (uint32 cadence, uint32 grace) {
        cadence = uint32(_bound(uint64(seed), 1 days, 92 days));
        grace = uint32(_bound(uint64(seed >> 64), 0, cadence));
    }

    /// @dev Windows, round states, the closed count and check-in acceptance all agree with the model, and closes
    /// come in round order.
    function _assertSchedule(Clock memory k, ModelEra[] memory eras, bool tryCheckIns) internal {
        int256 clock = _clock(k);
        uint256 base = _base(k);
        uint256 tokenId = _tokenOf(k.podId, 0);
        CommitmentView memory c = lens.commitment(tokenId);
        RoundState[] memory states = lens.roundStates(tokenId);
        uint8 closed = eras.closedCount(k.rounds, clock);
        vm.assertEq(c.closed, closed, "closed rounds: lens count == rounds closed one by one (a prefix)");
        uint256 open;
        uint256 previousClose;
        for (uint8 r; r < k.rounds; ++r) {
            RoundWindow memory w = lens.roundWindow(k.podId, r);
            vm.assertEq(w.opensAt, base + eras.opens(r), "opensAt");
            vm.assertEq(w.closesAt, base + eras.closes(r), "closesAt");
            vm.assertEq(w.quorum, eras.quorum(r), "quorum");
            vm.assertGe(w.closesAt, previousClose, "a round closes no earlier than the one before it");
            previousClose = w.closesAt;
            bool isClosed = clock >= 0 && eras.closes(r) <= uint256(clock);
            vm.assertEq(isClosed, r < closed, "closed rounds form a prefix");
            bool isOpen = eras.isOpen(r, clock);
            RoundState expected = isClosed
                ? RoundState.Missed
                : !isOpen ? RoundState.Upcoming : k.pausedAt != 0 ? RoundState.Paused : RoundState.Open;
            vm.assertEq(uint8(states[r]), uint8(expected), "round state");
            // The lens window says the same as the state, to the second.
            if (k.pausedAt == 0) vm.assertEq(w.opensAt <= _now() && _now() < w.closesAt, isOpen, "window vs open");
            if (isOpen && k.pausedAt == 0) ++open;
            if (tryCheckIns && k.pausedAt == 0) _assertCheckInAccepted(tokenId, r, isOpen);
        }
        vm.assertEq(c.open, open, "open count");
    }

    function _assertCheckInAccepted(uint256 tokenId, uint8 round, bool open) internal {
        vm.prank(actors[0]);
        try troth.checkIn(tokenId, round, keccak256(abi.encode(round)), _noWitnesses()) {
            vm.assertTrue(open, "check-in accepted in a closed or upcoming round");
        } catch (bytes memory reason) {
            vm.assertFalse(open, "check-in refused in an open round");
            vm.assertEq(
                reason,
                abi.encodeWithSelector(ITrothErrors.CheckInRoundNotOpen.selector, tokenId, round),
                "refused as not open"
            );
        }
    }

    /// hardhat-config: fuzz.runs = 192
    function testFuzz_OpenRoundsMatchTheirWindows(uint256 termsSeed, uint8 rounds, uint256 startSeed, uint256 at)
        public
    {
        (uint32 cadence, uint32 grace) = _terms(termsSeed);
        rounds = uint8(_bound(rounds, 1, 64));
        // Round 0 may have opened already, up to an hour before the pod is created (no back-dated cycles).
        uint40 start = uint40(_bound(startSeed, GENESIS - 1 hours, GENESIS + 2 * uint256(cadence)));
        (uint256 podId,) = _createPod(2, cadence, grace, rounds, 1, start, bytes32(termsSeed));
        ModelEra[] memory eras = new ModelEra[](1);
        eras[0] = ModelEra({fromRound: 0, fromClock: 0, cadence: cadence, grace: grace, quorum: 1});
        Clock memory k = Clock({podId: podId, start: start, rounds: rounds, pausedAt: 0, pausedTotal: 0});

        vm.warp(_bound(at, GENESIS, uint256(start) + uint256(rounds + 1) * cadence + grace));
        _assertSchedule(k, eras, true);
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.PodNonexistentRound.selector, podId, rounds));
        lens.roundWindow(podId, rounds);
    }

    /// @dev Random amendments, pauses and resumes at random times. Each amendment is accepted exactly when it keeps
    /// every round closing in order (it is refused with the terms at fault otherwise), never moves a round that has
    /// opened, and the whole schedule keeps matching the model.
    /// hardhat-config: fuzz.runs = 160
    function testFuzz_AmendmentsNeverReorderCloses(
        uint256 termsSeed,
        uint8 rounds,
        uint256[5] calldata amendments,
        uint256[5] calldata gaps
    ) public {
        (uint32 cadence, uint32 grace) = _terms(termsSeed);
        rounds = uint8(_bound(rounds, 2, 24));
        uint40 start = uint40(GENESIS + 1 hours);
        (uint256 podId,) = _createPod(3, cadence, grace, rounds, 1, start, bytes32(termsSeed));
        ModelEra[] memory eras = new ModelEra[](1);
        eras[0] = ModelEra({fromRound: 0, fromClock: 0, cadence: cadence, grace: grace, quorum: 1});
        Clock memory k = Clock({podId: podId, start: start, rounds: rounds, pausedAt: 0, pausedTotal: 0});

        for (uint256 i; i < amendments.length; ++i) {
            vm.warp(_now() + _bound(gaps[i], 0, 2 * uint256(eras[eras.length - 1].cadence)));
            if (eras.closedCount(rounds, _clock(k)) == rounds) break; // ended: nothing can be amended
            // One step in four pauses or resumes the pod first.
            if ((gaps[i] >> 128) % 4 == 0) {
                if (k.pausedAt == 0) {
                    _pause(podId);
                    k.pausedAt = _now();
                } else {
                    _resume(podId);
                    k.pausedTotal += _now() - k.pausedAt;
                    k.pausedAt = 0;
                }
            }
            eras = _amend(k, eras, amendments[i]);
            _assertSchedule(k, eras, false);
        }
        if (k.pausedAt != 0) {
            _resume(podId);
            k.pausedTotal += _now() - k.pausedAt;
            k.pausedAt = 0;
        }
        // Wherever time lands afterwards, the closed rounds are a prefix and the open ones are the model's.
        for (uint256 i; i < 3; ++i) {
            uint256 gap = uint256(keccak256(abi.encode(gaps, i)));
            vm.warp(_now() + _bound(gap, 0, 3 * uint256(eras[eras.length - 1].cadence)));
            _assertSchedule(k, eras, i == 2);
        }
    }

    function _amend(Clock memory k, ModelEra[] memory eras, uint256 seed) internal returns (ModelEra[] memory) {
        (uint32 cadence, uint32 grace) = _terms(seed);
        Amendment memory a = Amendment({
            cadence: cadence, grace: grace, quorum: uint8(1 + (seed >> 128) % 2), covenantDigest: bytes32(seed)
        });
        int256 clock = _clock(k);
        (ModelEra[] memory next, uint8 fromRound) = eras.amended(k.rounds, clock, cadence, grace, a.quorum);
        // The rounds that have opened keep their windows whatever happens.
        (, uint8 latest) = eras.current(k.rounds, clock);
        RoundWindow[] memory before = new RoundWindow[](fromRound > 0 ? latest + 1 : 0);
        for (uint8 r; r < before.length; ++r) {
            before[r] = lens.roundWindow(k.podId, r);
        }

        uint256 deadline = _now() + 1 days;
        // Checking the amended schedule one round past the cycle too: the contract checks the boundary between the
        // open round and the first amended one even when the amendment lands in the last round.
        bool inOrder = next.closesInOrder(k.rounds);
        if (!inOrder) {
            uint256 previousGrace = eras.eraOf(fromRound - 1).grace;
            vm.assertLt(uint256(cadence) + grace, previousGrace, "refused only when the previous grace outlasts");
            bytes memory error = abi.encodeWithSelector(
                ITrothErrors.PodAmendmentReordersRounds.selector, uint32(previousGrace), cadence, grace
            );
            _amendAndExpect(k.podId, a, deadline, error);
        } else {
            _amendAndExpect(k.podId, a, deadline, "");
            eras = next;
        }
        for (uint8 r; r < before.length; ++r) {
            RoundWindow memory w = lens.roundWindow(k.podId, r);
            vm.assertEq(w.opensAt, before[r].opensAt, "an opened round keeps its opening");
            vm.assertEq(w.closesAt, before[r].closesAt, "an opened round keeps its closing");
        }
        return eras;
    }

    /// @dev Amends with every member's consent, expecting `error` (or success when empty).
    function _amendAndExpect(uint256 podId, Amendment memory a, uint256 deadline, bytes memory error) internal {
        // Consents first: signing calls the contract, and `expectRevert` watches the next call.
        Signature[] memory consents = _amendConsents(podId, a, deadline);
        if (error.length != 0) vm.expectRevert(error);
        troth.amend(podId, a, deadline, consents);
    }
}
