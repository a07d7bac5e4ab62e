// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Era, Member, MemberStatus, PodState, RoundState} from "../types/TrothTypes.sol";
import {Schedule} from "./Schedule.sol";

/// @title What a member's record means over time
/// @notice Misses are never stored: a round of the member's span that closed without quorum is a miss.
library Continuity {
    /// @dev A pod has ended when its last round has closed, or when fewer than two active members remain.
    function hasEnded(PodState memory p, Era[] memory history, int256 now_) internal pure returns (bool) {
        return p.activeCount < 2 || Schedule.closedRounds(p, history, now_) == p.rounds;
    }

    /// @dev Exclusive end of a member's span: the cycle's end while active (or burned, which only a member still
    /// active when the pod ended can do), the recorded end after leaving.
    function spanEnd(Member memory m, uint8 rounds) internal pure returns (uint8) {
        uint8 end = m.status == MemberStatus.Active || m.status == MemberStatus.Burned ? rounds : m.endRound;
        return end < m.joinedRound ? m.joinedRound : end;
    }

    function roundState(
        PodState memory p,
        Era[] memory history,
        Member memory m,
        uint8 end,
        uint8 round,
        int256 now_
    ) internal pure returns (RoundState) {
        if ((m.witnessed >> round) & 1 == 1) return RoundState.Witnessed;
        if (round < m.joinedRound || round >= end) return RoundState.Outside;
        Era memory era = Schedule.eraOf(p, history, round);
        if (now_ < 0 || uint256(now_) < Schedule.opens(era, round)) return RoundState.Upcoming;
        if (uint256(now_) >= Schedule.closes(era, round)) return RoundState.Missed;
        if (p.pausedAt != 0) return RoundState.Paused;
        return (m.reported >> round) & 1 == 1 ? RoundState.Reported : RoundState.Open;
    }

    /// @dev A cycle lived: at least half of the rounds of the member's span [joined, end) were witnessed. Completed and
    /// Graduated need it, so a cycle that nobody witnessed (or one that ended as soon as it began) earns neither.
    function lived(uint64 witnessed, uint8 joined, uint8 end) internal pure returns (bool) {
        if (end <= joined) return false;
        uint256 span = uint256(end) - joined;
        uint256 inSpan = (uint256(witnessed) >> joined) & ((uint256(1) << span) - 1);
        return 2 * popcount(inSpan) >= span;
    }

    function popcount(uint256 x) internal pure returns (uint256 count) {
        for (; x != 0; x &= x - 1) {
            ++count;
        }
    }
}
