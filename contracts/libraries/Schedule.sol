// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Era, PodState} from "../types/TrothTypes.sol";

/// @title Round arithmetic on a pod's clock
/// @notice The pod clock counts seconds since `start`, stopped while paused. Round r of an era opens at
/// `fromClock + (r − fromRound)·cadence` and closes `grace` after the next round opens. An amendment starts a new era
/// at the next round; older eras are kept so open rounds keep the terms they opened with. Amendments never let a round
/// close before the one before it, so the closed rounds are always a prefix 0..closed−1.
library Schedule {
    /// @dev Pod clock at `timestamp`: negative before round 0 opens.
    function clock(PodState memory p, uint256 timestamp) internal pure returns (int256) {
        uint256 effective = p.pausedAt != 0 ? p.pausedAt : timestamp;
        return int256(effective) - int256(uint256(p.start)) - int256(uint256(p.pausedTotal));
    }

    /// @dev The era round `round` belongs to: the current one, or one of `history` (the earlier eras, oldest first).
    function eraOf(PodState memory p, Era[] memory history, uint8 round) internal pure returns (Era memory era)
    {
        if (round >= p.fromRound) return current(p);
        for (uint256 i = history.length; i > 0; --i) {
            era = history[i - 1];
            if (round >= era.fromRound) return era;
        }
    }

    function current(PodState memory p) internal pure returns (Era memory) {
        return Era({
            fromRound: p.fromRound, fromClock: p.fromClock, cadence: p.cadence, grace: p.grace, quorum: p.quorum
        });
    }

    /// @dev When `round` opens, on the pod clock.
    function opens(Era memory era, uint8 round) internal pure returns (uint256) {
        return opensAt(era.fromRound, era.fromClock, era.cadence, round);
    }

    /// @dev When `round` opens, on the pod clock, for an era given by its fields (`round` ≥ `fromRound`).
    function opensAt(uint256 fromRound, uint256 fromClock, uint256 cadence, uint256 round)
        internal
        pure
        returns (uint256)
    {
        return fromClock + (round - fromRound) * cadence;
    }

    /// @dev How many rounds of an era (counted from its first) have closed by pod time `t`: round r of the era closes
    /// at fromClock + (r − fromRound + 1)·cadence + grace.
    function closedInEra(uint256 fromClock, uint256 cadence, uint256 grace, uint256 t) internal pure returns (uint256) {
        return t < fromClock + grace ? 0 : (t - fromClock - grace) / cadence;
    }

    /// @dev When `round` closes, on the pod clock (the first second it is no longer open).
    function closes(Era memory era, uint8 round) internal pure returns (uint256) {
        return opens(era, round) + era.cadence + era.grace;
    }

    /// @dev The latest round that has opened by pod clock `now_`; `started` is false before round 0 opens.
    function currentRound(PodState memory p, Era[] memory history, int256 now_)
        internal
        pure
        returns (bool started, uint8 round)
    {
        if (now_ < 0) return (false, 0);
        uint256 t = uint256(now_);
        Era memory era = current(p);
        for (uint256 i = history.length + 1; i > 0; --i) {
            if (i <= history.length) era = history[i - 1];
            if (t >= era.fromClock) {
                uint256 r = era.fromRound + (t - era.fromClock) / era.cadence;
                return (true, r >= p.rounds ? p.rounds - 1 : uint8(r));
            }
        }
        return (true, 0);
    }

    /// @dev How many rounds have closed by pod clock `now_` (they are rounds 0..n−1).
    function closedRounds(PodState memory p, Era[] memory history, int256 now_)
        internal
        pure
        returns (uint8)
    {
        if (now_ < 0) return 0;
        uint256 t = uint256(now_);
        uint256 end = p.rounds;
        Era memory era = current(p);
        for (uint256 i = history.length + 1; i > 0; --i) {
            if (i <= history.length) era = history[i - 1];
            uint256 n = closedInEra(era.fromClock, era.cadence, era.grace, t);
            if (n > 0) {
                uint256 closed = era.fromRound + n;
                return uint8(closed < end ? closed : end);
            }
            end = era.fromRound;
        }
        return 0;
    }
}
