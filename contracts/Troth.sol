// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {TrothBase} from "./base/TrothBase.sol";
import {ITroth} from "./interfaces/ITroth.sol";
import {ITrothLens} from "./interfaces/ITrothLens.sol";
import {Continuity} from "./libraries/Continuity.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TrothHashes} from "./libraries/TrothHashes.sol";
import {WitnessList} from "./libraries/WitnessList.sol";
import {TrothLens} from "./TrothLens.sol";
import {
    Amendment,
    Covenant,
    Era,
    Member,
    MemberStatus,
    Newcomer,
    PodLineage,
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
        (uint256 podId, address holder, Member memory m, uint256 quorum, bool cached) = _pending(tokenId, round);
        bytes32 reported = _pendingReports[tokenId][round];
        if (reported != reportDigest) revert CheckInReportMismatch(tokenId, round, reported, reportDigest);
        // With a quorum of one no partial witnesses can be stored: any would already have completed the round.
        uint256 before = quorum > 1 ? _pendingWitnesses[tokenId][round] : 0;
        uint256 seen = before | _requireWitness(podId, tokenId, round, holder, msg.sender, before);
        witnessed = _reachesQuorum(podId, tokenId, round, m, seen, quorum, cached);
        _settle(podId, tokenId, round, holder, m, seen, before != 0, witnessed);
        emit CheckInWitnessed(tokenId, round, msg.sender, witnessed);
    }

    /// @inheritdoc ITroth
    function witnessBySig(uint256 tokenId, uint8 round, bytes calldata witnesses) external returns (bool witnessed) {
        (uint256 podId, address holder, Member memory m, uint256 quorum, bool cached) = _pending(tokenId, round);
        uint256 before = _pendingWitnesses[tokenId][round];
        (uint256 seen,) =
            _verifyWitnesses(podId, tokenId, round, _pendingReports[tokenId][round], holder, witnesses, before);
        witnessed = _reachesQuorum(podId, tokenId, round, m, seen, quorum, cached);
        _settle(podId, tokenId, round, holder, m, seen, before != 0, witnessed);
        uint256 added = seen & ~before;
        for (uint256 i; added >> i != 0; ++i) {
            if ((added >> i) & 1 == 1) emit CheckInWitnessed(tokenId, round, _ownerOf((podId << 8) | i), witnessed);
        }
    }

    /// @inheritdoc ITroth
    function restart(uint256 tokenId, bytes32 commitmentDigest) external {
        uint256 podId = tokenId >> 8;
        Member memory m = _requireHolder(podId, tokenId, msg.sender);
        PodState memory p = _pods[podId];
        uint8 closed = Schedule.closedRounds(p, _history(podId, p), _clock(p));
        uint256 missed = Continuity.missedRounds(m, Continuity.spanEnd(m, p.rounds), closed) >> m.restartFrom;
        if (missed == 0) revert RestartWithoutMiss(tokenId);
        m.restartFrom = closed;
        ++m.restarts;
        _members[podId][msg.sender] = m;
        if (commitmentDigest != bytes32(0)) _commitmentDigests[tokenId] = commitmentDigest;
        emit Restarted(tokenId, closed, m.restarts, commitmentDigest);
        emit MetadataUpdate(tokenId);
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
    function leave(uint256 tokenId) external {
        uint256 podId = tokenId >> 8;
        Member memory m = _requireHolder(podId, tokenId, msg.sender);
        PodState memory p = _pods[podId];
        _endSpan(podId, p, msg.sender, m, MemberStatus.Left);
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
        _requirePod(podId);
        if (_members[podId][msg.sender].status != MemberStatus.Active) revert PodNotMember(podId, msg.sender);
        _digests[podId].keyring = keyringDigest;
        emit KeyringRotated(podId, keyringDigest, msg.sender);
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
    function tokenOf(uint256 podId, address account) external view returns (uint256) {
        Member memory m = _members[podId][account];
        return m.status == MemberStatus.None ? 0 : (podId << 8) | m.index;
    }

    /// @inheritdoc ITroth
    function isHashApproved(address signer, bytes32 digest) external view returns (bool) {
        return _approvedHashes[signer][digest];
    }

    /// @inheritdoc ITroth
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ITroth
    function typehashes() external pure returns (bytes32[8] memory) {
        return [
            TrothHashes.COVENANT_TYPEHASH,
            TrothHashes.CHECK_IN_TYPEHASH,
            TrothHashes.WITNESS_TYPEHASH,
            TrothHashes.PAUSE_TYPEHASH,
            TrothHashes.RESUME_TYPEHASH,
            TrothHashes.AMEND_TYPEHASH,
            TrothHashes.ADD_MEMBER_TYPEHASH,
            TrothHashes.REPLACE_MEMBER_TYPEHASH
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

    function _checkIn(address holder, uint256 tokenId, uint8 round, bytes32 reportDigest, bytes calldata witnesses)
        private
        returns (bool witnessed)
    {
        uint256 podId = tokenId >> 8;
        Member memory m = _requireHolder(podId, tokenId, holder);
        PodState memory p = _pods[podId];
        if (p.pausedAt != 0) revert PodIsPaused(podId);
        (uint256 quorum, uint256 closesAt) = _requireOpen(podId, tokenId, round, p, m);
        uint64 bit = uint64(1) << round;
        if (m.reported & bit != 0) revert CheckInAlreadyReported(tokenId, round);

        (uint256 seen, uint256 count) = _verifyWitnesses(podId, tokenId, round, reportDigest, holder, witnesses, 0);
        witnessed = count >= quorum;
        m.reported |= bit;
        if (witnessed) {
            m.witnessed |= bit;
        } else {
            // Only a check-in still waiting for witnesses keeps its digest in storage; the event always carries it.
            _pendingReports[tokenId][round] = reportDigest;
            if (seen != 0) _pendingWitnesses[tokenId][round] = seen;
            m.pendingRound = round;
            m.pendingQuorum = uint8(quorum);
            m.pendingClosesAt = uint40(closesAt);
        }
        _members[podId][holder] = m;
        emit CheckedIn(tokenId, round, reportDigest, seen, witnessed);
        emit MetadataUpdate(tokenId);
    }

    /// @dev The holder's record of a check-in waiting for witnesses, and its quorum: from the cache in the record when
    /// the round is sure to be open (`cached`), otherwise from the pod, which also proves the round is still open. A
    /// paused pod's clock stands still, so a check-in made before the pause can still be witnessed.
    function _pending(uint256 tokenId, uint8 round)
        private
        view
        returns (uint256 podId, address holder, Member memory m, uint256 quorum, bool cached)
    {
        holder = _requireOwned(tokenId);
        podId = tokenId >> 8;
        m = _members[podId][holder];
        if (m.status != MemberStatus.Active) revert CommitmentInactive(tokenId);
        uint64 bit = uint64(1) << round;
        if (m.reported & bit == 0 || m.witnessed & bit != 0) revert CheckInNotPending(tokenId, round);
        cached = m.pendingRound == round && _time() < m.pendingClosesAt;
        if (cached) quorum = m.pendingQuorum;
        else (quorum,) = _requireOpen(podId, tokenId, round, _pods[podId], m);
    }

    /// @dev Whether the witnesses in `seen` reach the round's quorum. A cached quorum can only be stale by being too
    /// high (members who left shrink it), so a shortfall is checked again against the pod.
    function _reachesQuorum(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        Member memory m,
        uint256 seen,
        uint256 quorum,
        bool cached
    ) private view returns (bool) {
        uint256 count = Continuity.popcount(seen);
        if (count >= quorum) return true;
        if (!cached) return false;
        (uint256 current,) = _requireOpen(podId, tokenId, round, _pods[podId], m);
        return count >= current;
    }

    /// @dev Records the witnesses of a pending check-in; once quorum is reached, marks the round and frees its slots.
    function _settle(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        address holder,
        Member memory m,
        uint256 seen,
        bool hadWitnesses,
        bool witnessed
    ) private {
        if (!witnessed) {
            _pendingWitnesses[tokenId][round] = seen;
            return;
        }
        m.witnessed |= uint64(1) << round;
        _members[podId][holder] = m;
        delete _pendingReports[tokenId][round];
        if (hadWitnesses) delete _pendingWitnesses[tokenId][round];
        emit MetadataUpdate(tokenId);
    }

    /// @dev The holder's record, if `holder` holds `tokenId` and is still an active member.
    function _requireHolder(uint256 podId, uint256 tokenId, address holder) private view returns (Member memory m) {
        m = _members[podId][holder];
        if (m.status == MemberStatus.None || m.index != uint8(tokenId)) {
            _requireOwned(tokenId);
            revert CommitmentNotOwner(tokenId, holder);
        }
        if (m.status != MemberStatus.Active) revert CommitmentInactive(tokenId);
    }

    /// @dev Reverts unless `round` is open for this member; returns the round's quorum and closing time (unix).
    function _requireOpen(uint256 podId, uint256 tokenId, uint8 round, PodState memory p, Member memory m)
        private
        view
        returns (uint256 quorum, uint256 closesAt)
    {
        if (p.activeCount < MIN_MEMBERS) revert PodNotLive(podId);
        if (round < m.joinedRound || round >= p.rounds) revert CheckInRoundNotOpen(tokenId, round);
        // The hot path reads no history: only a round opened under earlier terms needs it.
        Era memory era = round >= p.fromRound ? Schedule.current(p) : Schedule.eraOf(p, _history(podId, p), round);
        if (!Schedule.isOpen(era, round, _clock(p))) revert CheckInRoundNotOpen(tokenId, round);
        uint256 witnesses = p.activeCount - 1;
        quorum = era.quorum < witnesses ? era.quorum : witnesses;
        closesAt = uint256(p.start) + p.pausedTotal + Schedule.closes(era, round);
    }

    /// @dev Checks a packed witness list (see `WitnessList`) for (token, round, report); returns the witnesses'
    /// member-index bits added to `seen`, and how many entries there were.
    function _verifyWitnesses(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        address holder,
        bytes calldata list,
        uint256 seen
    ) private view returns (uint256, uint256 count) {
        if (list.length == 0) return (seen, 0);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashWitness(tokenId, round, reportDigest));
        uint256 offset;
        while (offset < list.length) {
            (address signer, bytes calldata signature, uint256 end) = WitnessList.read(list, offset);
            seen |= _requireWitness(podId, tokenId, round, holder, signer, seen);
            if (!_isValidConsent(signer, digest, signature)) revert WitnessInvalidSignature(tokenId, round, signer);
            offset = end;
            ++count;
        }
        return (seen, count);
    }

    /// @dev Reverts unless `account` may witness this check-in now; returns its member-index bit.
    function _requireWitness(uint256 podId, uint256 tokenId, uint8 round, address holder, address account, uint256 seen)
        private
        view
        returns (uint256 bit)
    {
        if (account == holder) revert WitnessSelf(tokenId, account);
        Member memory w = _members[podId][account];
        if (w.status == MemberStatus.None) revert WitnessNotMember(podId, account);
        if (w.status != MemberStatus.Active) revert WitnessInactive(podId, account);
        bit = uint256(1) << w.index;
        if (seen & bit != 0) revert WitnessDuplicate(tokenId, round, account);
    }
}
