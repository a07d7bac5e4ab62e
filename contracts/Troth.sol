// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {TrothBase} from "./base/TrothBase.sol";
import {ITroth} from "./interfaces/ITroth.sol";
import {ITrothLens} from "./interfaces/ITrothLens.sol";
import {Continuity} from "./libraries/Continuity.sol";
import {MemberFlags} from "./libraries/MemberFlags.sol";
import {PackedSlots} from "./libraries/PackedSlots.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TrothHashes} from "./libraries/TrothHashes.sol";
import {WitnessList} from "./libraries/WitnessList.sol";
import {TrothLens} from "./TrothLens.sol";
import {
    Amendment,
    Claim,
    Covenant,
    Era,
    Member,
    MemberStatus,
    Newcomer,
    NoteKind,
    PodRecord,
    PodState,
    Signature
} from "./types/TrothTypes.sol";

/// @title Troth
/// @notice Accountability pods: soulbound commitments (ERC-721 + ERC-5192) whose rounds are checked in by their holder
/// and witnessed by quorum other members. See `docs/protocol.md` for the rules as built.
contract Troth is ITroth, TrothBase {
    ITrothLens private immutable _lens;
    address private immutable _governance;

    /// @param governance The TrothGovernance module (same code for every deployment; it keeps no state of its own).
    constructor(address governance) {
        _governance = governance;
        _lens = new TrothLens(this);
    }

    // ─── Creating a pod (runs in the governance module) ────────────────────────────────────────────────────────

    /// @inheritdoc ITroth
    function createPod(Covenant calldata, bytes[] calldata) external returns (uint256) {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function acceptCovenant(Covenant calldata) external returns (uint256, bool) {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function approveHash(bytes32 digest) external {
        _approvedHashes[msg.sender][digest] = true;
        emit HashApproved(msg.sender, digest);
    }

    /// @inheritdoc ITroth
    function revokeHash(bytes32 digest) external {
        delete _approvedHashes[msg.sender][digest];
        emit HashRevoked(msg.sender, digest);
    }

    // ─── Rounds ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ITroth
    function checkIn(uint256 tokenId, uint8 round, bytes32 reportDigest, bytes calldata witnesses)
        external
        returns (bool witnessed)
    {
        return _checkIn(msg.sender, tokenId, round, reportDigest, witnesses);
    }

    /// @inheritdoc ITroth
    function checkInBySig(
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        bytes calldata memberSignature,
        bytes calldata witnesses
    ) external returns (bool witnessed) {
        address holder = _requireOwned(tokenId);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashCheckIn(tokenId, round, reportDigest));
        if (!_isValidConsent(holder, digest, memberSignature)) revert ConsentInvalidSignature(holder, digest);
        return _checkIn(holder, tokenId, round, reportDigest, witnesses);
    }

    /// @inheritdoc ITroth
    function witness(uint256 tokenId, uint8 round, bytes32 reportDigest) external returns (bool witnessed) {
        (uint256 podId, Member storage record, uint256 m, address holder, uint256 quorum, bool cached) =
            _pending(tokenId, round);
        bytes32 reported = _pendingReports[tokenId][round];
        if (reported != reportDigest) revert CheckInReportMismatch(tokenId, round, reported, reportDigest);
        // A cached quorum of one means none are stored (any would have completed the round); otherwise read them.
        uint256 before = quorum > 1 || !cached ? _pendingWitnesses[tokenId][round] : 0;
        uint256 bit = _witnessBit(podId, tokenId, holder, msg.sender);
        // Witnesses recorded earlier count only while they are still active members.
        uint256 counted = before != 0 ? _activeBits(podId, before) : 0;
        if (before & bit == 0) {
            witnessed = _reachesQuorum(podId, tokenId, round, m, Continuity.popcount(counted | bit), quorum, cached);
        } else {
            // A witness already recorded may attest again only to settle a check-in whose recorded witnesses meet a
            // quorum that shrank since (members left); otherwise the round would close unwitnessed.
            (uint256 current,,) = _requireOpen(podId, tokenId, round, PackedSlots.load(_pods[podId]), m);
            if (Continuity.popcount(counted) < current) revert WitnessDuplicate(tokenId, round, msg.sender);
            witnessed = true;
        }
        _settle(record, m, tokenId, round, before | bit, before != 0, witnessed);
        emit CheckInWitnessed(tokenId, round, msg.sender, witnessed);
    }

    /// @inheritdoc ITroth
    function witnessBySig(uint256 tokenId, uint8 round, bytes calldata witnesses) external returns (bool witnessed) {
        (uint256 podId, Member storage record, uint256 m, address holder, uint256 quorum, bool cached) =
            _pending(tokenId, round);
        return _addWitnesses(
            podId, record, m, tokenId, round, holder, _pendingReports[tokenId][round], witnesses, quorum, cached
        );
    }

    /// @inheritdoc ITroth
    function restart(uint256 tokenId, bytes32 commitmentDigest) external {
        uint256 podId = tokenId >> 8;
        Member storage record = _members[podId][msg.sender];
        uint256 m = PackedSlots.load(record);
        _requireHolder(m, tokenId, msg.sender);
        uint256 closed = _closedRounds(podId);
        uint256 p = PackedSlots.load(_pods[podId]);
        if (closed == PackedSlots.u8(p, PackedSlots.ROUNDS) || PackedSlots.u8(p, PackedSlots.ACTIVE_COUNT) < MIN_MEMBERS) {
            revert PodNotLive(podId);
        }
        m = _answerClaim(podId, tokenId, msg.sender, m);
        // The member is active, so the span runs from the round they joined to the end of the cycle.
        uint256 from = Math.max(PackedSlots.u8(m, PackedSlots.JOINED_ROUND), PackedSlots.u8(m, PackedSlots.RESTART_FROM));
        uint256 unanswered = from < closed ? ((uint256(1) << closed) - (uint256(1) << from)) & ~uint256(uint64(m)) : 0;
        if (unanswered == 0) revert RestartWithoutMiss(tokenId);
        uint256 restarts = PackedSlots.u8(m, PackedSlots.RESTARTS) + 1;
        m = (m & ~(uint256(0xff) << PackedSlots.RESTARTS) & ~(uint256(0xff) << PackedSlots.RESTART_FROM))
            | (restarts << PackedSlots.RESTARTS) | (closed << PackedSlots.RESTART_FROM);
        PackedSlots.store(record, m);
        if (commitmentDigest != bytes32(0)) _commitmentDigests[tokenId] = commitmentDigest;
        emit Restarted(tokenId, uint8(closed), uint16(restarts), commitmentDigest);
        emit MetadataUpdate(tokenId);
    }

    /// @inheritdoc ITroth
    function note(uint256 tokenId, uint8 round, bytes32 digest, NoteKind kind) external {
        if (digest == bytes32(0)) revert NoteEmpty(tokenId, round);
        uint256 podId = tokenId >> 8;
        Member storage record = _members[podId][msg.sender];
        uint256 m = PackedSlots.load(record);
        if (PackedSlots.u8(m, PackedSlots.STATUS) != uint256(MemberStatus.Active)) revert PodNotMember(podId, msg.sender);
        // The record of the token the note is about: the author's own, or the partner's a reply answers.
        uint256 about = m;
        if (kind == NoteKind.Note) {
            if (PackedSlots.u8(m, PackedSlots.INDEX) != uint8(tokenId)) revert CommitmentNotOwner(tokenId, msg.sender);
        } else {
            address holder = _ownerOf(tokenId);
            if (holder == msg.sender) revert WitnessSelf(tokenId, msg.sender);
            about = PackedSlots.load(_members[podId][holder]);
            _requireHolder(about, tokenId, holder);
        }
        _requireOpen(podId, tokenId, round, PackedSlots.load(_pods[podId]), about);
        if (PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) {
            PackedSlots.store(record, _answerClaim(podId, (podId << 8) | PackedSlots.u8(m, PackedSlots.INDEX), msg.sender, m));
        }
        emit Noted(podId, tokenId, round, msg.sender, digest, kind);
    }

    // ─── Life of a pod ─────────────────────────────────────────────────────────────────────────────────────────
    // Consent-gated changes run in the governance module, in this contract's storage.

    /// @inheritdoc ITroth
    function pause(uint256, uint256, Signature[] calldata) external {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function resume(uint256, uint256, Signature[] calldata) external {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function amend(uint256, Amendment calldata, uint256, Signature[] calldata) external {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function addMember(uint256, Newcomer calldata, uint256, Signature[] calldata) external returns (uint256) {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function replaceMember(uint256, address, Newcomer calldata, uint256, Signature[] calldata)
        external
        returns (uint256)
    {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function proposeReplacement(uint256, address, Newcomer calldata, uint256, Signature[] calldata)
        external
        returns (uint40)
    {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function requestRecovery(uint256, address, bytes32, uint256, Signature[] calldata) external returns (uint40) {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function completeClaim(uint256) external returns (uint256) {
        _delegateToGovernance();
    }

    /// @inheritdoc ITroth
    function cancelClaim(uint256 tokenId) external {
        uint256 podId = tokenId >> 8;
        Member storage record = _members[podId][msg.sender];
        uint256 m = PackedSlots.load(record);
        _requireHolder(m, tokenId, msg.sender);
        if (!PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) revert ClaimNotFound(tokenId);
        PackedSlots.store(record, _answerClaim(podId, tokenId, msg.sender, m));
    }

    /// @inheritdoc ITroth
    function leave(uint256 tokenId) external {
        uint256 podId = tokenId >> 8;
        Member memory record = _members[podId][msg.sender];
        _requireHolder(PackedSlots.load(_members[podId][msg.sender]), tokenId, msg.sender);
        PodState memory p = _pods[podId];
        uint256 closed = _closedRounds(podId);
        bool ended = closed == p.rounds || p.activeCount < MIN_MEMBERS;
        // A member who leaves a pod that has ended was active at its end: they keep the right to renew it.
        if (ended) record.flags |= uint8(MemberFlags.LEFT_AFTER_END);
        _endSpan(podId, p, msg.sender, record, MemberStatus.Left, closed);
        // Leaving a pod that has ended records the member's choice but leaves the pod as it ended: its counts, its
        // status and the partners' completions and graduations stay.
        if (ended) return;
        // Fewer possible witnesses than the quorum asks for: shrink it to what remains and say so.
        uint8 witnesses = p.activeCount > 0 ? p.activeCount - 1 : 0;
        if (p.quorum > witnesses) {
            p.quorum = witnesses;
            emit PodAtRisk(podId, p.activeCount, witnesses);
        }
        _pods[podId] = p;
    }

    /// @inheritdoc ITroth
    function rotateKeyring(uint256 podId, bytes32 keyringDigest) external {
        _requireLive(podId);
        Member storage record = _members[podId][msg.sender];
        uint256 m = PackedSlots.load(record);
        if (PackedSlots.u8(m, PackedSlots.STATUS) != uint256(MemberStatus.Active)) revert PodNotMember(podId, msg.sender);
        if (PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) {
            PackedSlots.store(record, _answerClaim(podId, (podId << 8) | PackedSlots.u8(m, PackedSlots.INDEX), msg.sender, m));
        }
        _setKeyring(podId, keyringDigest);
    }

    /// @inheritdoc ITroth
    function burn(uint256 tokenId) external {
        address holder = _requireOwned(tokenId);
        if (holder != msg.sender) revert CommitmentNotOwner(tokenId, msg.sender);
        uint256 podId = tokenId >> 8;
        if (_members[podId][holder].status == MemberStatus.Active) {
            PodState memory p = _pods[podId];
            if (!_hasEnded(podId, p)) revert CommitmentNotBurnable(tokenId);
        }
        // Nothing can act on a burned commitment any more; the record stays, so the member still counts as one who was
        // there (no rejoining as a stranger; renewal stays open to who stayed to the end).
        Member storage record = _members[podId][holder];
        if (record.status == MemberStatus.Active) {
            uint256 m = _answerClaim(podId, tokenId, holder, PackedSlots.load(record));
            PackedSlots.store(record, m);
            record.status = MemberStatus.Burned;
        }
        _burn(tokenId);
    }

    // ─── Raw state ─────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ITroth
    function lens() external view returns (address) {
        return address(_lens);
    }

    /// @inheritdoc ITroth
    function podIdOf(Covenant calldata covenant) external view returns (uint256) {
        return uint256(_hashTypedDataV4(TrothHashes.hash(covenant))) >> 8;
    }

    /// @inheritdoc ITroth
    function podState(uint256 podId) external view returns (PodState memory) {
        return _requirePod(podId);
    }

    /// @inheritdoc ITroth
    function eras(uint256 podId) external view returns (Era[] memory) {
        return _history(podId, _requirePod(podId));
    }

    /// @inheritdoc ITroth
    function podRecord(uint256 podId) external view returns (PodRecord memory) {
        _requirePod(podId);
        return PodRecord({
            previousPod: _lineages[podId].previousPod,
            cycle: _cycleOf(podId),
            nonce: _nonces[podId],
            covenantDigest: _digests[podId].covenant,
            keyringDigest: _digests[podId].keyring
        });
    }

    /// @inheritdoc ITroth
    function memberRecord(uint256 podId, address account) external view returns (Member memory) {
        return _members[podId][account];
    }

    /// @inheritdoc ITroth
    function holderOf(uint256 tokenId) external view returns (address) {
        return _ownerOf(tokenId);
    }

    /// @inheritdoc ITroth
    function commitmentDigestOf(uint256 tokenId) external view returns (bytes32) {
        return _commitmentDigests[tokenId];
    }

    /// @inheritdoc ITroth
    function pendingReport(uint256 tokenId, uint8 round)
        external
        view
        returns (bytes32 reportDigest, uint256 witnessIndexes)
    {
        return (_pendingReports[tokenId][round], _pendingWitnesses[tokenId][round]);
    }

    /// @inheritdoc ITroth
    function podIds(uint256 offset, uint256 count) external view returns (uint256 total, uint256[] memory ids) {
        total = _podIds.length;
        uint256 end = offset < total ? (count < total - offset ? offset + count : total) : offset;
        ids = new uint256[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            ids[i - offset] = _podIds[i];
        }
    }

    /// @inheritdoc ITroth
    function tokenOf(uint256 podId, address account) external view returns (uint256) {
        Member memory m = _members[podId][account];
        if (m.status == MemberStatus.None) return 0;
        uint256 tokenId = (podId << 8) | m.index;
        // A burned token is held by nobody.
        return _ownerOf(tokenId) == account ? tokenId : 0;
    }

    /// @inheritdoc ITroth
    function isHashApproved(address signer, bytes32 digest) external view returns (bool) {
        return _approvedHashes[signer][digest];
    }

    /// @inheritdoc ITroth
    function claimOf(uint256 tokenId) external view returns (Claim memory) {
        return _claims[tokenId];
    }

    /// @inheritdoc ITroth
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ITroth
    function typehashes() external pure returns (bytes32[10] memory) {
        return [
            TrothHashes.COVENANT_TYPEHASH,
            TrothHashes.CHECK_IN_TYPEHASH,
            TrothHashes.WITNESS_TYPEHASH,
            TrothHashes.PAUSE_TYPEHASH,
            TrothHashes.RESUME_TYPEHASH,
            TrothHashes.AMEND_TYPEHASH,
            TrothHashes.ADD_MEMBER_TYPEHASH,
            TrothHashes.REPLACE_MEMBER_TYPEHASH,
            TrothHashes.REPLACE_ABSENT_MEMBER_TYPEHASH,
            TrothHashes.RECOVER_TYPEHASH
        ];
    }

    /// @inheritdoc ITroth
    function hashCovenant(Covenant calldata covenant) external view returns (bytes32) {
        return _hashTypedDataV4(TrothHashes.hash(covenant));
    }

    // ─── ERC-721, ERC-5192, ERC-4906 ───────────────────────────────────────────────────────────────────────────

    /// @notice On-chain JSON with an SVG ring of the cycle's rounds, derived from adherence only (drawn by the lens).
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _lens.tokenURI(tokenId);
    }

    /// @dev Forwards this call to the governance module and returns (or reverts) with whatever it returned.
    function _delegateToGovernance() private {
        address governance = _governance;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), governance, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    // ─── Internal: pods ────────────────────────────────────────────────────────────────────────────────────────

    // ─── Internal: rounds ──────────────────────────────────────────────────────────────────────────────────────
    // The check-in and witness paths run every round for every member, so they handle the member and pod records
    // as single words (layouts in `PackedSlots`) rather than copying every field through memory.

    function _checkIn(address holder, uint256 tokenId, uint8 round, bytes32 reportDigest, bytes calldata witnesses)
        private
        returns (bool witnessed)
    {
        uint256 podId = tokenId >> 8;
        Member storage record = _members[podId][holder];
        uint256 m = PackedSlots.load(record);
        _requireHolder(m, tokenId, holder);
        if (PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) {
            m = _answerClaim(podId, tokenId, holder, m);
            PackedSlots.store(record, m);
        }
        uint256 p = PackedSlots.load(_pods[podId]);
        if (PackedSlots.u40(p, PackedSlots.PAUSED_AT) != 0) revert PodIsPaused(podId);
        (uint256 quorum, uint256 closesAt, bool capped) = _requireOpen(podId, tokenId, round, p, m);
        uint256 reportedBit = uint256(1) << (PackedSlots.REPORTED + round);
        if (m & reportedBit != 0) {
            // The same report again adds the witnesses it brings, so a copy sent first (a front-runner relaying the
            // holder's signature with fewer witnesses) can never strip any. Another report, or a witnessed round, is a
            // second check-in.
            if ((m >> round) & 1 == 1 || _pendingReports[tokenId][round] != reportDigest) {
                revert CheckInAlreadyReported(tokenId, round);
            }
            return _addWitnesses(podId, record, m, tokenId, round, holder, reportDigest, witnesses, quorum, false);
        }
        if (reportDigest == bytes32(0)) revert CheckInEmptyReport(tokenId, round);

        (uint256 seen, uint256 count) = _verifyWitnesses(podId, tokenId, round, reportDigest, holder, witnesses, 0);
        witnessed = count >= quorum;
        m |= reportedBit;
        if (witnessed) {
            m |= uint256(1) << round;
        } else {
            // Only a check-in still waiting for witnesses keeps its digest in storage; the event always carries it.
            _pendingReports[tokenId][round] = reportDigest;
            if (seen != 0) _pendingWitnesses[tokenId][round] = seen;
            // The cache may only ever be too high (leaves shrink a quorum): a quorum capped by the members present
            // now could grow back as partners join, so it is not cached (a zero closing time never matches).
            m = (m & ~(type(uint256).max << PackedSlots.PENDING_ROUND)) | (uint256(round) << PackedSlots.PENDING_ROUND)
                | (quorum << PackedSlots.PENDING_QUORUM) | ((capped ? 0 : closesAt) << PackedSlots.PENDING_CLOSES_AT);
        }
        PackedSlots.store(record, m);
        emit CheckedIn(tokenId, round, reportDigest, seen, witnessed);
        emit MetadataUpdate(tokenId);
    }

    /// @dev The holder's record of a check-in waiting for witnesses, and its quorum: from the cache in the record when
    /// the round is sure to be open (`cached`), otherwise from the pod, which also proves the round is still open. A
    /// paused pod's clock stands still, so a check-in made before the pause can still be witnessed.
    function _pending(uint256 tokenId, uint8 round)
        private
        view
        returns (uint256 podId, Member storage record, uint256 m, address holder, uint256 quorum, bool cached)
    {
        holder = _requireOwned(tokenId);
        podId = tokenId >> 8;
        record = _members[podId][holder];
        m = PackedSlots.load(record);
        if (PackedSlots.u8(m, PackedSlots.STATUS) != uint256(MemberStatus.Active)) revert CommitmentInactive(tokenId);
        if ((m >> (PackedSlots.REPORTED + round)) & 1 == 0 || (m >> round) & 1 == 1) {
            revert CheckInNotPending(tokenId, round);
        }
        cached = PackedSlots.u8(m, PackedSlots.PENDING_ROUND) == round
            && _time() < PackedSlots.u40(m, PackedSlots.PENDING_CLOSES_AT);
        if (cached) quorum = PackedSlots.u8(m, PackedSlots.PENDING_QUORUM);
        else (quorum,,) = _requireOpen(podId, tokenId, round, PackedSlots.load(_pods[podId]), m);
    }

    /// @dev Adds the witnesses in `list` to a pending check-in (those already recorded are skipped) and settles it
    /// once the active witnesses reach quorum.
    function _addWitnesses(
        uint256 podId,
        Member storage record,
        uint256 m,
        uint256 tokenId,
        uint8 round,
        address holder,
        bytes32 reportDigest,
        bytes calldata list,
        uint256 quorum,
        bool cached
    ) private returns (bool witnessed) {
        uint256 before = _pendingWitnesses[tokenId][round];
        (uint256 seen, uint256 count) = _verifyWitnesses(podId, tokenId, round, reportDigest, holder, list, before);
        // Witnesses recorded earlier count only while they are still active members.
        uint256 counted = before != 0 ? _activeBits(podId, before) : 0;
        witnessed = _reachesQuorum(podId, tokenId, round, m, Continuity.popcount(counted) + count, quorum, cached);
        _settle(record, m, tokenId, round, seen, before != 0, witnessed);
        // With no new witness (a quorum that shrank is met by those recorded), the recorded ones settle it: indexers
        // see the round become witnessed through their events.
        uint256 added = count == 0 && witnessed ? counted : seen & ~before;
        for (uint256 i; added >> i != 0; ++i) {
            if ((added >> i) & 1 == 1) emit CheckInWitnessed(tokenId, round, _ownerOf((podId << 8) | i), witnessed);
        }
    }

    /// @dev The bits of `bits` (member indexes) whose holders are still active members of the pod.
    function _activeBits(uint256 podId, uint256 bits) private view returns (uint256 active) {
        for (uint256 i; bits >> i != 0; ++i) {
            if ((bits >> i) & 1 == 0) continue;
            address account = _ownerOf((podId << 8) | i);
            if (account != address(0) && _members[podId][account].status == MemberStatus.Active) active |= 1 << i;
        }
    }

    /// @dev Whether `count` active witnesses reach the round's quorum. A cached quorum can only be stale by being too
    /// high (members who left shrink it), so a shortfall is checked again against the pod.
    function _reachesQuorum(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        uint256 m,
        uint256 count,
        uint256 quorum,
        bool cached
    ) private view returns (bool) {
        if (count >= quorum) return true;
        if (!cached) return false;
        (uint256 current,,) = _requireOpen(podId, tokenId, round, PackedSlots.load(_pods[podId]), m);
        return count >= current;
    }

    /// @dev Records the witnesses of a pending check-in; once quorum is reached, marks the round and frees its slots.
    function _settle(
        Member storage record,
        uint256 m,
        uint256 tokenId,
        uint8 round,
        uint256 seen,
        bool hadWitnesses,
        bool witnessed
    ) private {
        if (!witnessed) {
            _pendingWitnesses[tokenId][round] = seen;
            return;
        }
        PackedSlots.store(record, m | (uint256(1) << round));
        delete _pendingReports[tokenId][round];
        if (hadWitnesses) delete _pendingWitnesses[tokenId][round];
        emit MetadataUpdate(tokenId);
    }

    /// @dev Reverts unless the record `m` shows `holder` holding `tokenId` as an active member.
    function _requireHolder(uint256 m, uint256 tokenId, address holder) private view {
        uint256 status = PackedSlots.u8(m, PackedSlots.STATUS);
        if (
            status == uint256(MemberStatus.None) || status == uint256(MemberStatus.Burned)
                || PackedSlots.u8(m, PackedSlots.INDEX) != uint8(tokenId)
        ) {
            _requireOwned(tokenId);
            revert CommitmentNotOwner(tokenId, holder);
        }
        if (status != uint256(MemberStatus.Active)) revert CommitmentInactive(tokenId);
    }

    /// @dev Reverts unless `round` is open for the member (record `m`) in the pod (state `p`); returns the round's
    /// quorum, whether it was capped by the witnesses present, and its closing time (unix seconds). A paused pod is
    /// judged at the moment it paused.
    function _requireOpen(uint256 podId, uint256 tokenId, uint8 round, uint256 p, uint256 m)
        private
        view
        returns (uint256 quorum, uint256 closesAt, bool capped)
    {
        uint256 active = PackedSlots.u8(p, PackedSlots.ACTIVE_COUNT);
        if (active < MIN_MEMBERS) revert PodNotLive(podId);
        if (round < PackedSlots.u8(m, PackedSlots.JOINED_ROUND) || round >= PackedSlots.u8(p, PackedSlots.ROUNDS)) {
            revert CheckInRoundNotOpen(tokenId, round);
        }
        uint256 opens;
        uint256 cadence;
        uint256 grace;
        uint256 fromRound = PackedSlots.u8(p, PackedSlots.FROM_ROUND);
        if (round >= fromRound) {
            // The current era, carried in the pod's word: no history to read.
            cadence = PackedSlots.u32(p, PackedSlots.CADENCE);
            grace = PackedSlots.u32(p, PackedSlots.GRACE);
            quorum = PackedSlots.u8(p, PackedSlots.QUORUM);
            opens = Schedule.opensAt(fromRound, PackedSlots.u32(p, PackedSlots.FROM_CLOCK), cadence, round);
        } else {
            Era memory era = _earlierEra(podId, PackedSlots.u8(p, PackedSlots.ERA_COUNT), round);
            (cadence, grace, quorum) = (era.cadence, era.grace, era.quorum);
            opens = Schedule.opens(era, round);
        }
        uint256 zero = PackedSlots.u40(p, PackedSlots.START) + PackedSlots.u32(p, PackedSlots.PAUSED_TOTAL);
        uint256 pausedAt = PackedSlots.u40(p, PackedSlots.PAUSED_AT);
        uint256 now_ = pausedAt != 0 ? pausedAt : _time();
        closesAt = zero + opens + cadence + grace;
        if (now_ < zero + opens || now_ >= closesAt) revert CheckInRoundNotOpen(tokenId, round);
        if (quorum > active - 1) {
            quorum = active - 1;
            capped = true;
        }
    }


    /// @dev Checks a packed witness list (see `WitnessList`) for (token, round, report); returns the witnesses'
    /// member-index bits added to `recorded` (those already recorded are skipped, unchecked) and how many were new.
    function _verifyWitnesses(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        address holder,
        bytes calldata list,
        uint256 recorded
    ) private returns (uint256 seen, uint256 count) {
        seen = recorded;
        if (list.length == 0) return (seen, 0);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashWitness(tokenId, round, reportDigest));
        uint256 offset;
        while (offset < list.length) {
            (address signer, bytes calldata signature, uint256 end) = WitnessList.read(list, offset);
            offset = end;
            uint256 bit = _witnessBit(podId, tokenId, holder, signer);
            if (recorded & bit != 0) continue;
            if (seen & bit != 0) revert WitnessDuplicate(tokenId, round, signer);
            if (!_isValidConsent(signer, digest, signature)) revert WitnessInvalidSignature(tokenId, round, signer);
            seen |= bit;
            ++count;
        }
    }

    /// @dev Reverts unless `account` is an active member other than the holder; returns its member-index bit.
    /// Witnessing is an action: it answers a claim standing on the witness.
    function _witnessBit(uint256 podId, uint256 tokenId, address holder, address account) private returns (uint256) {
        if (account == holder) revert WitnessSelf(tokenId, account);
        Member storage record = _members[podId][account];
        uint256 w = PackedSlots.load(record);
        uint256 status = PackedSlots.u8(w, PackedSlots.STATUS);
        if (status == uint256(MemberStatus.None)) revert WitnessNotMember(podId, account);
        if (status != uint256(MemberStatus.Active)) revert WitnessInactive(podId, account);
        uint256 index = PackedSlots.u8(w, PackedSlots.INDEX);
        if (PackedSlots.hasFlag(w, MemberFlags.CLAIMED)) {
            PackedSlots.store(record, _answerClaim(podId, (podId << 8) | index, account, w));
        }
        return uint256(1) << index;
    }
}
