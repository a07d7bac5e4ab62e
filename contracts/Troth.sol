// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {TrothBase} from "./base/TrothBase.sol";
import {ITroth} from "./interfaces/ITroth.sol";
import {ITrothLens} from "./interfaces/ITrothLens.sol";
import {Continuity} from "./libraries/Continuity.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TrothHashes} from "./libraries/TrothHashes.sol";
import {TrothGovernance} from "./TrothGovernance.sol";
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

    /// @param governance The governance module (same code for every Troth deployment; it keeps no state of its own).
    constructor(TrothGovernance governance) {
        _governance = address(governance);
        _lens = new TrothLens(this);
    }

    // ─── Creating a pod ────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ITroth
    function createPod(Covenant calldata covenant, bytes[] calldata signatures) external returns (uint256 podId) {
        _validateCovenant(covenant);
        uint256 n = covenant.members.length;
        if (signatures.length != n) revert ConsentCountMismatch(n, signatures.length);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hash(covenant));
        for (uint256 i; i < n; ++i) {
            address member = covenant.members[i];
            if (!_isValidConsent(member, digest, signatures[i])) revert ConsentInvalidSignature(member, digest);
        }
        podId = _createPod(covenant, digest);
    }

    /// @inheritdoc ITroth
    function acceptCovenant(Covenant calldata covenant) external returns (uint256 podId, bool created) {
        _validateCovenant(covenant);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hash(covenant));
        podId = _podIdOf(digest);
        if (_pods[podId].start != 0) revert PodAlreadyExists(podId);
        bool isMember;
        bool everyoneElse = true;
        for (uint256 i; i < covenant.members.length; ++i) {
            address member = covenant.members[i];
            if (member == msg.sender) isMember = true;
            else if (!_approvedHashes[member][digest]) everyoneElse = false;
        }
        if (!isMember) revert PodNotMember(podId, msg.sender);
        _approvedHashes[msg.sender][digest] = true;
        emit CovenantAccepted(podId, msg.sender);
        if (everyoneElse) {
            _createPod(covenant, digest);
            created = true;
        }
    }

    /// @inheritdoc ITroth
    function approveHash(bytes32 digest) external {
        _approvedHashes[msg.sender][digest] = true;
        emit HashApproved(msg.sender, digest);
    }

    // ─── Rounds ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ITroth
    function checkIn(uint256 tokenId, uint8 round, bytes32 reportDigest, Signature[] calldata witnesses)
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
        Signature[] calldata witnesses
    ) external returns (bool witnessed) {
        address holder = _requireOwned(tokenId);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashCheckIn(tokenId, round, reportDigest));
        if (!_isValidConsent(holder, digest, memberSignature)) revert ConsentInvalidSignature(holder, digest);
        return _checkIn(holder, tokenId, round, reportDigest, witnesses);
    }

    /// @inheritdoc ITroth
    function witness(uint256 tokenId, uint8 round, bytes32 reportDigest) external returns (bool witnessed) {
        (uint256 podId, address holder, Member memory m,, uint256 quorum) = _pendingRound(tokenId, round, reportDigest);
        // With a quorum of one, any earlier partial witnesses would already have completed the round.
        uint256 seen = quorum > 1 ? _pendingWitnesses[tokenId][round] : 0;
        seen |= _requireWitness(podId, tokenId, round, holder, msg.sender, seen);
        witnessed = Continuity.popcount(seen) >= quorum;
        _settle(podId, tokenId, round, holder, m, seen, witnessed);
        emit CheckInWitnessed(tokenId, round, msg.sender, witnessed);
    }

    /// @inheritdoc ITroth
    function witnessBySig(uint256 tokenId, uint8 round, Signature[] calldata witnesses)
        external
        returns (bool witnessed)
    {
        bytes32 reportDigest = _pendingReports[tokenId][round];
        (uint256 podId, address holder, Member memory m,, uint256 quorum) =
            _pendingRound(tokenId, round, reportDigest);
        (uint256 seen, address[] memory signers) = _verifyWitnesses(
            podId, tokenId, round, reportDigest, holder, witnesses, _pendingWitnesses[tokenId][round]
        );
        witnessed = Continuity.popcount(seen) >= quorum;
        _settle(podId, tokenId, round, holder, m, seen, witnessed);
        for (uint256 i; i < signers.length; ++i) {
            emit CheckInWitnessed(tokenId, round, signers[i], witnessed);
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
        return _podIdOf(_hashTypedDataV4(TrothHashes.hash(covenant)));
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

    function _podIdOf(bytes32 covenantDigest) private pure returns (uint256) {
        // 248 bits, so a token id `podId << 8 | index` fits in 256.
        return uint256(covenantDigest) >> 8;
    }

    function _validateCovenant(Covenant calldata c) private view {
        uint256 n = c.members.length;
        if (n < MIN_MEMBERS || n > MAX_MEMBERS) revert PodInvalidMemberCount(n);
        if (c.commitmentDigests.length != n) revert PodCommitmentCountMismatch(n, c.commitmentDigests.length);
        if (c.rounds == 0 || c.rounds > MAX_ROUNDS) revert PodInvalidRounds(c.rounds);
        _validateTerms(c.cadence, c.grace, c.quorum, n);
        uint256 firstClose = uint256(c.start) + c.cadence + c.grace;
        if (firstClose <= _time()) revert PodStartTooLate(c.start, firstClose);
        if (_time() > c.deadline) revert ConsentExpired(c.deadline, _time());
        for (uint256 i; i < n; ++i) {
            address member = c.members[i];
            if (member == address(0)) revert PodInvalidMember(member);
            for (uint256 j; j < i; ++j) {
                if (c.members[j] == member) revert PodDuplicateMember(member);
            }
        }
    }



    function _createPod(Covenant calldata c, bytes32 digest) private returns (uint256 podId) {
        podId = _podIdOf(digest);
        if (_pods[podId].start != 0) revert PodAlreadyExists(podId);
        uint256 n = c.members.length;
        uint8 cycle = 1;
        if (c.previousPod != 0) {
            PodState memory previous = _requirePod(c.previousPod);
            if (!_hasEnded(c.previousPod, previous)) revert PodNotEnded(c.previousPod);
            cycle = _cycleOf(c.previousPod) + 1;
            _lineages[podId] = PodLineage({previousPod: uint248(c.previousPod), cycle: cycle});
        }
        _pods[podId] = PodState({
            start: c.start,
            pausedAt: 0,
            pausedTotal: 0,
            rounds: c.rounds,
            memberCount: uint8(n),
            activeCount: uint8(n),
            eraCount: 0,
            fromRound: 0,
            fromClock: 0,
            cadence: c.cadence,
            grace: c.grace,
            quorum: c.quorum
        });
        _digests[podId] = PodDigests({covenant: c.covenantDigest, keyring: c.keyringDigest});
        for (uint256 i; i < n; ++i) {
            _enrol(podId, c.previousPod, c.members[i], uint8(i), c.commitmentDigests[i]);
        }
        emit PodCreated(
            podId,
            c.previousPod,
            c.members,
            c.commitmentDigests,
            c.start,
            c.cadence,
            c.grace,
            c.rounds,
            c.quorum,
            cycle,
            c.covenantDigest,
            c.keyringDigest
        );
    }

    /// @dev Records a founding member and mints their token; a renewal continues the member's lineage.
    function _enrol(uint256 podId, uint256 previousPod, address account, uint8 index, bytes32 commitmentDigest)
        private
    {
        uint8 memberCycle = 1;
        uint8 previousIndex;
        if (previousPod != 0) {
            Member memory before = _members[previousPod][account];
            if (before.status != MemberStatus.Active) revert PodNotRenewable(previousPod, account);
            memberCycle = before.cycle + 1;
            previousIndex = before.index;
        }
        _members[podId][account] = Member({
            witnessed: 0,
            reported: 0,
            restarts: 0,
            index: index,
            status: MemberStatus.Active,
            joinedRound: 0,
            endRound: 0,
            restartFrom: 0,
            cycle: memberCycle,
            previousIndex: previousIndex
        });
        _mintCommitment(account, (podId << 8) | index, commitmentDigest);
    }



























    // ─── Internal: rounds ──────────────────────────────────────────────────────────────────────────────────────

    function _checkIn(
        address holder,
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        Signature[] calldata witnesses
    ) private returns (bool witnessed) {
        uint256 podId = tokenId >> 8;
        Member memory m = _requireHolder(podId, tokenId, holder);
        PodState memory p = _pods[podId];
        uint256 quorum = _requireOpen(podId, tokenId, round, p, m);
        uint64 bit = uint64(1) << round;
        if (m.reported & bit != 0) revert CheckInAlreadyReported(tokenId, round);

        (uint256 seen, address[] memory signers) =
            _verifyWitnesses(podId, tokenId, round, reportDigest, holder, witnesses, 0);
        witnessed = signers.length >= quorum;
        m.reported |= bit;
        if (witnessed) {
            m.witnessed |= bit;
        } else {
            // Only a check-in still waiting for witnesses keeps its digest in storage; the event carries it always.
            _pendingReports[tokenId][round] = reportDigest;
            if (seen != 0) _pendingWitnesses[tokenId][round] = seen;
        }
        _members[podId][holder] = m;
        emit CheckedIn(tokenId, round, reportDigest, signers, witnessed);
        emit MetadataUpdate(tokenId);
    }

    /// @dev Loads the holder's record of a check-in waiting for witnesses, with its pod and quorum.
    function _pendingRound(uint256 tokenId, uint8 round, bytes32 reportDigest)
        private
        view
        returns (uint256 podId, address holder, Member memory m, PodState memory p, uint256 quorum)
    {
        holder = _requireOwned(tokenId);
        podId = tokenId >> 8;
        m = _members[podId][holder];
        if (m.status != MemberStatus.Active) revert CommitmentInactive(tokenId);
        p = _pods[podId];
        quorum = _requireOpen(podId, tokenId, round, p, m);
        uint64 bit = uint64(1) << round;
        if (m.reported & bit == 0 || m.witnessed & bit != 0) revert CheckInNotPending(tokenId, round);
        bytes32 reported = _pendingReports[tokenId][round];
        if (reported != reportDigest) revert CheckInReportMismatch(tokenId, round, reported, reportDigest);
    }

    /// @dev Records witnesses of a pending check-in; once quorum is reached, marks the round and frees its storage.
    function _settle(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        address holder,
        Member memory m,
        uint256 seen,
        bool witnessed
    ) private {
        if (!witnessed) {
            _pendingWitnesses[tokenId][round] = seen;
            return;
        }
        m.witnessed |= uint64(1) << round;
        _members[podId][holder] = m;
        delete _pendingReports[tokenId][round];
        if (seen & (seen - 1) != 0) delete _pendingWitnesses[tokenId][round];
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

    /// @dev Reverts unless `round` is open for this member; returns the quorum the round needs.
    function _requireOpen(uint256 podId, uint256 tokenId, uint8 round, PodState memory p, Member memory m)
        private
        view
        returns (uint256 quorum)
    {
        if (p.pausedAt != 0) revert PodIsPaused(podId);
        if (p.activeCount < MIN_MEMBERS) revert PodNotLive(podId);
        if (round < m.joinedRound || round >= p.rounds) revert CheckInRoundNotOpen(tokenId, round);
        // The hot path reads no history: only a round opened under earlier terms needs it.
        Era memory era =
            round >= p.fromRound ? Schedule.current(p) : Schedule.eraOf(p, _history(podId, p), round);
        if (!Schedule.isOpen(era, round, _clock(p))) revert CheckInRoundNotOpen(tokenId, round);
        return _quorum(p, era);
    }

    /// @dev The quorum of a round: its era's, shrunk to the witnesses that remain.
    function _quorum(PodState memory p, Era memory era) private pure returns (uint256) {
        uint256 witnesses = p.activeCount > 0 ? p.activeCount - 1 : 0;
        return Math.min(era.quorum, witnesses);
    }

    /// @dev Checks each witness signature; returns the witnesses' member-index bits added to `seen`.
    function _verifyWitnesses(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        address holder,
        Signature[] calldata witnesses,
        uint256 seen
    ) private view returns (uint256, address[] memory signers) {
        signers = new address[](witnesses.length);
        if (witnesses.length == 0) return (seen, signers);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashWitness(tokenId, round, reportDigest));
        for (uint256 i; i < witnesses.length; ++i) {
            address signer = witnesses[i].signer;
            seen |= _requireWitness(podId, tokenId, round, holder, signer, seen);
            if (!_isValidConsent(signer, digest, witnesses[i].signature)) {
                revert WitnessInvalidSignature(tokenId, round, signer);
            }
            signers[i] = signer;
        }
        return (seen, signers);
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
