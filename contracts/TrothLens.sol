// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ITroth, ITrothErrors} from "./interfaces/ITroth.sol";
import {ITrothLens} from "./interfaces/ITrothLens.sol";
import {Continuity} from "./libraries/Continuity.sol";
import {MemberFlags} from "./libraries/MemberFlags.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TokenArt} from "./libraries/TokenArt.sol";
import {
    CommitmentStatus,
    CommitmentView,
    Era,
    Member,
    MemberStatus,
    MemberView,
    PodRecord,
    PodState,
    PodStatus,
    PodView,
    RoundState,
    RoundWindow
} from "./types/TrothTypes.sol";

/// @title TrothLens
/// @notice Continuity views and token metadata for a Troth contract, computed from its raw state. Troth deploys its
/// own lens; keeping these here keeps the protocol contract under the code size limit.
contract TrothLens is ITrothLens {
    ITroth private immutable _troth;

    /// @dev A pod as the views see it now.
    struct Snapshot {
        uint256 podId;
        PodState p;
        Era[] history;
        int256 now_;
    }

    constructor(ITroth troth_) {
        _troth = troth_;
    }

    /// @inheritdoc ITrothLens
    function troth() external view returns (address) {
        return address(_troth);
    }

    /// @inheritdoc ITrothLens
    function membershipsOf(address account, uint256 offset, uint256 count)
        external
        view
        returns (uint256 total, uint256[] memory tokenIds)
    {
        uint256[] memory ids;
        (total, ids) = _troth.podIds(offset, count);
        tokenIds = new uint256[](ids.length);
        uint256 n;
        for (uint256 i; i < ids.length; ++i) {
            Member memory m = _troth.memberRecord(ids[i], account);
            if (m.status != MemberStatus.None) tokenIds[n++] = (ids[i] << 8) | m.index;
        }
        assembly ("memory-safe") {
            mstore(tokenIds, n)
        }
    }

    /// @inheritdoc ITrothLens
    function pod(uint256 podId) external view returns (PodView memory v) {
        Snapshot memory s = _snapshot(podId);
        PodRecord memory record = _troth.podRecord(podId);
        (v.started, v.currentRound) = Schedule.currentRound(s.p, s.history, s.now_);
        v.podId = podId;
        v.previousPod = record.previousPod;
        v.status = _podStatus(s, v.started);
        v.start = s.p.start;
        v.cadence = s.p.cadence;
        v.grace = s.p.grace;
        v.quorum = s.p.quorum;
        v.rounds = s.p.rounds;
        v.cycle = record.cycle;
        v.memberCount = s.p.memberCount;
        v.activeCount = s.p.activeCount;
        v.pausedAt = s.p.pausedAt;
        v.pausedTotal = s.p.pausedTotal;
        v.nonce = record.nonce;
        v.covenantDigest = record.covenantDigest;
        v.keyringDigest = record.keyringDigest;
    }

    /// @inheritdoc ITrothLens
    function members(uint256 podId) external view returns (MemberView[] memory list) {
        PodState memory p = _troth.podState(podId);
        list = new MemberView[](p.memberCount);
        for (uint256 i; i < p.memberCount; ++i) {
            uint256 tokenId = (podId << 8) | i;
            address account = _troth.holderOf(tokenId);
            // A burned token's holder is forgotten: the account reads as zero with no status.
            if (account == address(0)) {
                list[i].tokenId = tokenId;
                continue;
            }
            Member memory m = _troth.memberRecord(podId, account);
            list[i] = MemberView({account: account, tokenId: tokenId, status: m.status, joinedRound: m.joinedRound});
        }
    }

    /// @inheritdoc ITrothLens
    function roundWindow(uint256 podId, uint8 round) external view returns (RoundWindow memory w) {
        Snapshot memory s = _snapshot(podId);
        if (round >= s.p.rounds) revert ITrothErrors.PodNonexistentRound(podId, round);
        Era memory era = Schedule.eraOf(s.p, s.history, round);
        uint256 base = uint256(s.p.start) + s.p.pausedTotal + (s.p.pausedAt != 0 ? _time() - s.p.pausedAt : 0);
        w.opensAt = SafeCast.toUint40(base + Schedule.opens(era, round));
        w.closesAt = SafeCast.toUint40(base + Schedule.closes(era, round));
        uint256 witnesses = s.p.activeCount > 0 ? s.p.activeCount - 1 : 0;
        w.quorum = uint8(era.quorum < witnesses ? era.quorum : witnesses);
    }

    /// @inheritdoc ITrothLens
    function speakingOrder(uint256 podId, uint8 round) external view returns (address[] memory order) {
        PodState memory p = _troth.podState(podId);
        address[] memory active = new address[](p.activeCount);
        uint256 n;
        for (uint256 i; i < p.memberCount; ++i) {
            address account = _troth.holderOf((podId << 8) | i);
            if (account != address(0) && _troth.memberRecord(podId, account).status == MemberStatus.Active) {
                active[n++] = account;
            }
        }
        order = new address[](n);
        for (uint256 i; i < n; ++i) {
            order[i] = active[(i + round) % n];
        }
    }

    /// @inheritdoc ITrothLens
    function commitment(uint256 tokenId) external view returns (CommitmentView memory c) {
        (c,) = _commitment(tokenId);
    }

    /// @inheritdoc ITrothLens
    function roundStates(uint256 tokenId) external view returns (RoundState[] memory states) {
        (, states) = _commitment(tokenId);
    }

    /// @inheritdoc ITrothLens
    function pendingCheckIn(uint256 tokenId, uint8 round)
        external
        view
        returns (bytes32 reportDigest, address[] memory witnesses)
    {
        uint256 podId = tokenId >> 8;
        address holder = _troth.holderOf(tokenId);
        if (holder == address(0)) revert IERC721Errors.ERC721NonexistentToken(tokenId);
        Member memory m = _troth.memberRecord(podId, holder);
        if ((m.witnessed >> round) & 1 == 1 || (m.reported >> round) & 1 == 0) return (bytes32(0), witnesses);
        uint256 seen;
        (reportDigest, seen) = _troth.pendingReport(tokenId, round);
        witnesses = new address[](Continuity.popcount(seen));
        uint256 n;
        for (uint256 i; seen >> i != 0; ++i) {
            if ((seen >> i) & 1 == 1) witnesses[n++] = _troth.holderOf((podId << 8) | i);
        }
    }

    /// @inheritdoc ITrothLens
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        (CommitmentView memory c, RoundState[] memory states) = _commitment(tokenId);
        return TokenArt.tokenURI(c, states);
    }

    /// @dev The current time; overridden by tests that need to control it.
    function _time() internal view virtual returns (uint256) {
        return block.timestamp;
    }

    function _snapshot(uint256 podId) private view returns (Snapshot memory s) {
        s.podId = podId;
        s.p = _troth.podState(podId);
        s.history = _troth.eras(podId);
        s.now_ = Schedule.clock(s.p, _time());
    }

    function _podStatus(Snapshot memory s, bool started) private pure returns (PodStatus) {
        if (s.p.activeCount < 2) return PodStatus.Dissolved;
        if (Continuity.hasEnded(s.p, s.history, s.now_)) return PodStatus.Ended;
        if (s.p.pausedAt != 0) return PodStatus.Paused;
        return started ? PodStatus.Active : PodStatus.Scheduled;
    }

    function _commitment(uint256 tokenId) private view returns (CommitmentView memory c, RoundState[] memory states) {
        uint256 podId = tokenId >> 8;
        Snapshot memory s = _snapshot(podId);
        if (uint8(tokenId) >= s.p.memberCount) revert IERC721Errors.ERC721NonexistentToken(tokenId);
        c.tokenId = tokenId;
        c.podId = podId;
        c.rounds = s.p.rounds;
        c.podSize = s.p.activeCount;
        c.cadence = s.p.cadence;
        c.account = _troth.holderOf(tokenId);
        states = new RoundState[](s.p.rounds);
        if (c.account == address(0)) {
            c.status = CommitmentStatus.Burned;
            return (c, states);
        }
        Member memory m = _troth.memberRecord(podId, c.account);
        c.cycle = m.cycle;
        if (m.cycle > 1) c.previousTokenId = (_troth.podRecord(podId).previousPod << 8) | m.previousIndex;
        c.commitmentDigest = _troth.commitmentDigestOf(tokenId);
        c.witnessedRounds = m.witnessed;
        c.reportedRounds = m.reported;
        c.joinedRound = m.joinedRound;
        c.endRound = Continuity.spanEnd(m, s.p.rounds);
        c.restarts = m.restarts;
        _count(s, m, c, states);
        c.status = _commitmentStatus(s, m, c, states);
    }

    /// @dev Fills the round states, the counts and the streaks. A streak runs over witnessed rounds; only a miss
    /// breaks it (open, upcoming and paused rounds are not decided yet).
    function _count(Snapshot memory s, Member memory m, CommitmentView memory c, RoundState[] memory states)
        private
        pure
    {
        uint8 closed = Schedule.closedRounds(s.p, s.history, s.now_);
        uint8 run;
        for (uint8 r; r < s.p.rounds; ++r) {
            RoundState state = Continuity.roundState(s.p, s.history, m, c.endRound, r, s.now_);
            states[r] = state;
            if (state == RoundState.Witnessed) {
                ++c.witnessed;
                ++run;
                if (run > c.longestStreak) c.longestStreak = run;
            } else if (state == RoundState.Missed) {
                ++c.missed;
                run = 0;
            } else if (state == RoundState.Open || state == RoundState.Reported) {
                ++c.open;
            } else if (state == RoundState.Upcoming) {
                ++c.upcoming;
            } else if (state == RoundState.Paused) {
                ++c.paused;
            }
            if (state != RoundState.Outside && r < closed) ++c.closed;
        }
        c.currentStreak = run;
    }

    function _commitmentStatus(
        Snapshot memory s,
        Member memory m,
        CommitmentView memory c,
        RoundState[] memory states
    ) private pure returns (CommitmentStatus) {
        if (m.status == MemberStatus.Replaced) return CommitmentStatus.Replaced;
        if (m.status != MemberStatus.Active) return CommitmentStatus.Left;
        if (s.p.activeCount < 2) return CommitmentStatus.Dissolved;
        if (Continuity.hasEnded(s.p, s.history, s.now_)) {
            // Completed means a cycle lived (half of the span witnessed); graduating needs two in a row.
            if (!Continuity.lived(m.witnessed, m.joinedRound, c.endRound)) return CommitmentStatus.Ended;
            return m.cycle >= 2 && m.flags & MemberFlags.PREVIOUS_COMPLETED != 0
                ? CommitmentStatus.Graduated
                : CommitmentStatus.Completed;
        }
        if (s.p.pausedAt != 0) return CommitmentStatus.Paused;
        // Lapsed: the latest decided round of the span was missed, and no restart has answered it yet.
        for (uint256 r = c.endRound; r > c.joinedRound; --r) {
            RoundState state = states[r - 1];
            if (state == RoundState.Witnessed) return CommitmentStatus.Active;
            if (state == RoundState.Missed) {
                return r - 1 >= m.restartFrom ? CommitmentStatus.Lapsed : CommitmentStatus.Active;
            }
        }
        return CommitmentStatus.Active;
    }
}
