// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev One stretch of rounds sharing terms, on the pod clock (seconds since start, paused time excluded).
struct ModelEra {
    uint8 fromRound;
    uint256 fromClock;
    uint256 cadence;
    uint256 grace;
    uint8 quorum;
}

/// @title A reference model of a pod's schedule, written from the protocol's rules rather than from its code
/// @notice Round r of an era opens at `fromClock + (r − fromRound)·cadence` and closes `grace` after the next round
/// opens; an amendment applies from the round after the latest opened one. Everything else is brute force (scan every
/// round), so it shares no arithmetic shortcut with `Schedule`: the current round is the last one whose opening has
/// passed, the closed rounds are counted one by one (so a non-prefix would show), and reordering is checked pair by
/// pair.
library ScheduleModel {
    function eraOf(ModelEra[] memory eras, uint256 round) internal pure returns (ModelEra memory) {
        for (uint256 i = eras.length; i > 0; --i) {
            if (eras[i - 1].fromRound <= round) return eras[i - 1];
        }
        revert("ScheduleModel: no era");
    }

    function opens(ModelEra[] memory eras, uint256 round) internal pure returns (uint256) {
        ModelEra memory era = eraOf(eras, round);
        return era.fromClock + (round - era.fromRound) * era.cadence;
    }

    function closes(ModelEra[] memory eras, uint256 round) internal pure returns (uint256) {
        ModelEra memory era = eraOf(eras, round);
        return opens(eras, round) + era.cadence + era.grace;
    }

    function quorum(ModelEra[] memory eras, uint256 round) internal pure returns (uint8) {
        return eraOf(eras, round).quorum;
    }

    /// @dev Whether `round` is open at pod clock `clock` (whether the clock runs is the caller's concern).
    function isOpen(ModelEra[] memory eras, uint256 round, int256 clock) internal pure returns (bool) {
        if (clock < 0) return false;
        uint256 t = uint256(clock);
        return opens(eras, round) <= t && t < closes(eras, round);
    }

    /// @dev The latest round of the cycle that has opened; `started` is false before round 0 opens.
    function current(ModelEra[] memory eras, uint8 rounds, int256 clock)
        internal
        pure
        returns (bool started, uint8 round)
    {
        if (clock < 0) return (false, 0);
        for (uint8 r; r < rounds; ++r) {
            if (opens(eras, r) <= uint256(clock)) round = r;
        }
        return (true, round);
    }

    /// @dev Every round that has closed, counted one by one: equal to the contract's prefix length only if the
    /// closed rounds really are a prefix.
    function closedCount(ModelEra[] memory eras, uint8 rounds, int256 clock) internal pure returns (uint8 count) {
        if (clock < 0) return 0;
        for (uint8 r; r < rounds; ++r) {
            if (closes(eras, r) <= uint256(clock)) ++count;
        }
    }

    /// @dev Whether no round closes after the round that follows it, over rounds 0..`last`.
    function closesInOrder(ModelEra[] memory eras, uint256 last) internal pure returns (bool) {
        for (uint256 r; r < last; ++r) {
            if (closes(eras, r) > closes(eras, r + 1)) return false;
        }
        return true;
    }

    /// @dev The eras after an amendment lands at pod clock `clock`: new terms from the round after the latest opened
    /// one (from round 0 before the start), replacing an amendment already waiting for that round.
    function amended(
        ModelEra[] memory eras,
        uint8 rounds,
        int256 clock,
        uint256 cadence,
        uint256 grace,
        uint8 quorum_
    ) internal pure returns (ModelEra[] memory next, uint8 fromRound) {
        (bool started, uint8 latest) = current(eras, rounds, clock);
        fromRound = started ? latest + 1 : 0;
        ModelEra memory last = eras[eras.length - 1];
        bool replaces = fromRound <= last.fromRound;
        next = new ModelEra[](replaces ? eras.length : eras.length + 1);
        for (uint256 i; i < eras.length; ++i) {
            next[i] = eras[i];
        }
        next[next.length - 1] = ModelEra({
            fromRound: replaces ? last.fromRound : fromRound,
            fromClock: replaces ? last.fromClock : opens(eras, fromRound),
            cadence: cadence,
            grace: grace,
            quorum: quorum_
        });
    }
}
