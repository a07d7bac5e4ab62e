// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {TrothBase} from "./base/TrothBase.sol";
import {Continuity} from "./libraries/Continuity.sol";
import {MemberFlags} from "./libraries/MemberFlags.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TrothHashes} from "./libraries/TrothHashes.sol";
import {
    Amendment,
    Claim,
    ClaimKind,
    Covenant,
    Era,
    Member,
    MemberStatus,
    Newcomer,
    PodLineage,
    PodState,
    Signature
} from "./types/TrothTypes.sol";

/// @title Troth governance module
/// @notice The consent-gated changes to a live pod (pause, resume, amend, add and replace members). Troth forwards
/// these calls here by delegatecall, so they run in Troth's storage with Troth's caller; called directly, this contract
/// has no pods and every call reverts. Split out to keep Troth under the contract size limit. See ITroth for each
/// function's documentation.
contract TrothGovernance is TrothBase {
    /// @dev This module's own address: code running at it was called directly, not by Troth's delegatecall.
    address private immutable _self = address(this);

    /// @dev Every entry point runs only inside Troth (by delegatecall); called directly it would keep pods and mint
    /// tokens in this module's own, unrelated storage.
    modifier onlyDelegated() {
        if (address(this) == _self) revert GovernanceNotDelegated();
        _;
    }

    /// @notice Called at its own address, the module is no token contract: it answers ERC-165 for ERC-165 alone, so no
    /// explorer or wallet lists a phantom collection here. (Troth answers for itself; this is never delegated to.)
    function supportsInterface(bytes4 interfaceId) public pure override returns (bool) {
        return interfaceId == type(IERC165).interfaceId;
    }

    function createPod(Covenant calldata covenant, bytes[] calldata signatures) external onlyDelegated returns (uint256 podId) {
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

    function acceptCovenant(Covenant calldata covenant) external onlyDelegated returns (uint256 podId, bool created) {
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

    function _podIdOf(bytes32 covenantDigest) internal pure returns (uint256) {
        // 248 bits, so a token id `podId << 8 | index` fits in 256.
        return uint256(covenantDigest) >> 8;
    }

    function _validateCovenant(Covenant calldata c) internal view {
        uint256 n = c.members.length;
        if (n < MIN_MEMBERS || n > MAX_MEMBERS) revert PodInvalidMemberCount(n);
        if (c.commitmentDigests.length != n) revert PodCommitmentCountMismatch(n, c.commitmentDigests.length);
        if (c.rounds == 0 || c.rounds > MAX_ROUNDS) revert PodInvalidRounds(c.rounds);
        _validateTerms(c.cadence, c.grace, c.quorum, n);
        // No back-dated cycles: a pod's rounds are lived after it exists (round 0 is then always still open, since a
        // cadence is longer than the tolerance).
        if (uint256(c.start) + START_TOLERANCE < _time()) revert PodStartInPast(c.start, _time() - START_TOLERANCE);
        if (_time() > c.deadline) revert ConsentExpired(c.deadline, _time());
        for (uint256 i; i < n; ++i) {
            address member = c.members[i];
            if (member == address(0)) revert PodInvalidMember(member);
            for (uint256 j; j < i; ++j) {
                if (c.members[j] == member) revert PodDuplicateMember(member);
            }
        }
    }

    function _createPod(Covenant calldata c, bytes32 digest) internal returns (uint256 podId) {
        podId = _podIdOf(digest);
        if (_pods[podId].start != 0) revert PodAlreadyExists(podId);
        _podIds.push(podId);
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
        internal
    {
        uint8 memberCycle = 1;
        uint8 previousIndex;
        uint8 flags;
        if (previousPod != 0) {
            Member memory before = _members[previousPod][account];
            // Active when the pod ended, whatever happened after: still active, burned the token after the end (burning
            // is allowed only then), or left after the end.
            if (
                before.status != MemberStatus.Active && before.status != MemberStatus.Burned
                    && before.flags & MemberFlags.LEFT_AFTER_END == 0
            ) revert PodNotRenewable(previousPod, account);
            if (before.flags & MemberFlags.RENEWED != 0) revert PodAlreadyRenewed(previousPod, account);
            _members[previousPod][account].flags = before.flags | uint8(MemberFlags.RENEWED);
            memberCycle = before.cycle + 1;
            previousIndex = before.index;
            // The previous cycle was lived (a graduation needs two): it ended with the pod whole and at least half of
            // the member's rounds witnessed.
            PodState memory previous = _pods[previousPod];
            if (
                previous.activeCount >= MIN_MEMBERS
                    && Continuity.lived(before.witnessed, before.joinedRound, Continuity.spanEnd(before, previous.rounds))
            ) flags = uint8(MemberFlags.PREVIOUS_COMPLETED);
        }
        _members[podId][account] = Member({
            witnessed: 0,
            reported: 0,
            restarts: 0,
            flags: flags,
            index: index,
            status: MemberStatus.Active,
            joinedRound: 0,
            endRound: 0,
            restartFrom: 0,
            cycle: memberCycle,
            previousIndex: previousIndex,
            pendingRound: 0,
            pendingQuorum: 0,
            pendingClosesAt: 0
        });
        _mintCommitment(account, (podId << 8) | index, commitmentDigest);
    }

    function pause(uint256 podId, uint256 deadline, Signature[] calldata consents) external onlyDelegated {
        PodState memory p = _requireLive(podId);
        if (p.pausedAt != 0) revert PodIsPaused(podId);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashPause(podId, _useNonce(podId), deadline));
        _requireConsents(podId, p, digest, deadline, consents, address(0), address(0));
        p.pausedAt = SafeCast.toUint40(_time());
        _pods[podId] = p;
        emit PodPaused(podId, p.pausedAt);
        _podMetadataUpdated(podId);
    }

    function resume(uint256 podId, uint256 deadline, Signature[] calldata consents) external onlyDelegated {
        PodState memory p = _requireLive(podId);
        if (p.pausedAt == 0) revert PodNotPaused(podId);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashResume(podId, _useNonce(podId), deadline));
        _requireConsents(podId, p, digest, deadline, consents, address(0), address(0));
        uint32 pausedFor = SafeCast.toUint32(_time() - p.pausedAt);
        p.pausedTotal += pausedFor;
        p.pausedAt = 0;
        _pods[podId] = p;
        emit PodResumed(podId, SafeCast.toUint40(_time()), pausedFor);
        _podMetadataUpdated(podId);
    }

    function amend(uint256 podId, Amendment calldata amendment, uint256 deadline, Signature[] calldata consents)
        external onlyDelegated
    {
        PodState memory p = _requireLive(podId);
        _validateTerms(amendment.cadence, amendment.grace, amendment.quorum, p.activeCount);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashAmend(podId, amendment, _useNonce(podId), deadline));
        _requireConsents(podId, p, digest, deadline, consents, address(0), address(0));

        (bool started, uint8 current) = Schedule.currentRound(p, _history(podId, p), _clock(p));
        uint8 next = started ? current + 1 : 0;
        uint32 previousGrace;
        if (next > p.fromRound) {
            // Keep the current era for the rounds already open; the new terms start at `next`.
            Era memory era = Schedule.current(p);
            _eras[podId][p.eraCount] = era;
            ++p.eraCount;
            p.fromClock = SafeCast.toUint32(Schedule.opens(era, next));
            p.fromRound = next;
            previousGrace = era.grace;
        } else if (p.eraCount > 0) {
            // An amendment already scheduled for `next` is replaced; the round before it keeps its own era.
            previousGrace = _eras[podId][p.eraCount - 1].grace;
        }
        if (previousGrace > uint256(amendment.cadence) + amendment.grace) {
            revert PodAmendmentReordersRounds(previousGrace, amendment.cadence, amendment.grace);
        }
        p.cadence = amendment.cadence;
        p.grace = amendment.grace;
        p.quorum = amendment.quorum;
        _pods[podId] = p;
        _digests[podId].covenant = amendment.covenantDigest;
        emit PodAmended(
            podId, next, amendment.cadence, amendment.grace, amendment.quorum, amendment.covenantDigest
        );
        _podMetadataUpdated(podId);
    }

    function addMember(uint256 podId, Newcomer calldata newcomer, uint256 deadline, Signature[] calldata consents)
        external onlyDelegated
        returns (uint256 tokenId)
    {
        PodState memory p = _requireLive(podId);
        if (p.activeCount >= MAX_MEMBERS) revert PodInvalidMemberCount(p.activeCount + 1);
        _requireNewcomer(podId, newcomer.member);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashAddMember(podId, newcomer, _useNonce(podId), deadline));
        _requireConsents(podId, p, digest, deadline, consents, address(0), newcomer.member);
        tokenId = _admit(podId, p, newcomer, 0);
    }

    function replaceMember(
        uint256 podId,
        address replaced,
        Newcomer calldata newcomer,
        uint256 deadline,
        Signature[] calldata consents
    ) external onlyDelegated returns (uint256 tokenId) {
        PodState memory p = _requireLive(podId);
        Member memory r = _members[podId][replaced];
        if (r.status != MemberStatus.Active) revert PodNotMember(podId, replaced);
        _requireNewcomer(podId, newcomer.member);
        bytes32 digest = _hashTypedDataV4(
            TrothHashes.hashReplaceMember(podId, replaced, newcomer, _useNonce(podId), deadline)
        );
        // Nobody is removed by others: the replaced member consents too (without them, see `proposeReplacement`).
        _requireConsents(podId, p, digest, deadline, consents, address(0), newcomer.member);
        r = _members[podId][replaced]; // consenting answered any claim standing on them
        uint256 replacedTokenId = _endSpan(podId, p, replaced, r, MemberStatus.Replaced, _closedRounds(podId));
        tokenId = _admit(podId, p, newcomer, replacedTokenId);
    }

    // ─── Claims: replacing an absent member, recovering a lost wallet ─────────────────────────────────────────

    function proposeReplacement(
        uint256 podId,
        address replaced,
        Newcomer calldata newcomer,
        uint256 deadline,
        Signature[] calldata consents
    ) external onlyDelegated returns (uint40 notBefore) {
        PodState memory p = _requireLive(podId);
        // The absence rule needs two others besides the absent member: a pod of two changes only with both.
        if (p.activeCount < 3) revert ClaimPodTooSmall(podId, p.activeCount);
        Member memory r = _requireClaimable(podId, replaced);
        uint256 closed = _closedRounds(podId);
        uint256 from = Math.max(r.joinedRound, r.restartFrom);
        if (closed < from + 2 || (r.reported >> (closed - 2)) & 3 != 0) revert ClaimMemberNotAbsent(podId, replaced);
        _requireNewcomer(podId, newcomer.member);
        bytes32 digest = _hashTypedDataV4(
            TrothHashes.hashReplaceAbsentMember(podId, replaced, newcomer, _useNonce(podId), deadline)
        );
        _requireConsents(podId, p, digest, deadline, consents, replaced, newcomer.member);
        notBefore = _makeClaim(
            podId, replaced, r, ClaimKind.Replacement, newcomer.member, newcomer.commitmentDigest, newcomer.keyringDigest
        );
    }

    function requestRecovery(
        uint256 tokenId,
        address account,
        bytes32 keyringDigest,
        uint256 deadline,
        Signature[] calldata consents
    ) external onlyDelegated returns (uint40 notBefore) {
        uint256 podId = tokenId >> 8;
        PodState memory p = _requirePod(podId);
        // Someone other than the new address must vouch for it: a dissolved pod's last member cannot be recovered.
        if (p.activeCount < MIN_MEMBERS) revert ClaimPodTooSmall(podId, p.activeCount);
        address lost = _requireOwned(tokenId);
        Member memory r = _requireClaimable(podId, lost);
        _requireNewcomer(podId, account);
        bytes32 digest =
            _hashTypedDataV4(TrothHashes.hashRecover(podId, lost, account, keyringDigest, _useNonce(podId), deadline));
        // In an ended pod, partners who left after the end no longer vouch: at least one active partner must.
        if (_requireConsents(podId, p, digest, deadline, consents, lost, account) == 0) {
            revert ClaimPodTooSmall(podId, 1);
        }
        notBefore = _makeClaim(podId, lost, r, ClaimKind.Recovery, account, bytes32(0), keyringDigest);
    }

    function completeClaim(uint256 tokenId) external onlyDelegated returns (uint256) {
        uint256 podId = tokenId >> 8;
        Claim memory claim = _claims[tokenId];
        address member = _ownerOf(tokenId);
        Member memory r = _members[podId][member];
        if (claim.kind == ClaimKind.None || r.flags & MemberFlags.CLAIMED == 0 || r.status != MemberStatus.Active) {
            revert ClaimNotFound(tokenId);
        }
        if (_time() < claim.notBefore) revert ClaimWindowOpen(tokenId, claim.notBefore, _time());
        // The claim was built on the pod's keyring of its day; a pod that moved on needs a fresh claim. (The successor
        // is still a stranger to the pod: every way in needs the consent of the claimed member, which cancels it.)
        bytes32 keyring = _digests[podId].keyring;
        if (keyring != claim.previousKeyring) revert ClaimStale(tokenId, claim.previousKeyring, keyring);
        delete _claims[tokenId];
        r.flags &= ~uint8(MemberFlags.CLAIMED);
        if (claim.kind == ClaimKind.Replacement) {
            PodState memory p = _requireLive(podId);
            if (p.activeCount < 3) revert ClaimPodTooSmall(podId, p.activeCount);
            uint256 closed = _closedRounds(podId);
            _endSpan(podId, p, member, r, MemberStatus.Replaced, closed);
            return _admit(
                podId,
                p,
                Newcomer({
                    member: claim.successor,
                    commitmentDigest: claim.commitmentDigest,
                    keyringDigest: claim.keyringDigest
                }),
                tokenId
            );
        }
        // Recovery: the record moves whole (history, streaks, restarts, lineage) and the address left behind can never
        // act in the pod again, nor rejoin it.
        _members[podId][claim.successor] = r;
        delete _members[podId][member];
        _members[podId][member].status = MemberStatus.Recovered;
        _recovering = true;
        _update(claim.successor, tokenId, address(0));
        _recovering = false;
        emit CommitmentRecovered(podId, tokenId, claim.successor, member);
        _setKeyring(podId, claim.keyringDigest);
        emit MetadataUpdate(tokenId);
        return tokenId;
    }

    /// @dev The record of an active member on whom no claim stands. A stale claim (the pod's keyring changed since it
    /// was made, so it can never be completed) gives way to the new one: it is cancelled here, so that a claim nobody
    /// can complete never blocks the seat.
    function _requireClaimable(uint256 podId, address account) private returns (Member memory r) {
        r = _members[podId][account];
        if (r.status != MemberStatus.Active) revert PodNotMember(podId, account);
        if (r.flags & MemberFlags.CLAIMED == 0) return r;
        uint256 tokenId = (podId << 8) | r.index;
        if (_claims[tokenId].previousKeyring == _digests[podId].keyring) revert ClaimPending(tokenId);
        _cancelClaim(podId, tokenId, account);
        r.flags &= ~uint8(MemberFlags.CLAIMED);
    }

    /// @dev Records a claim on `member` and starts its objection window: max(48 h, one cadence).
    function _makeClaim(
        uint256 podId,
        address member,
        Member memory r,
        ClaimKind kind,
        address successor,
        bytes32 commitmentDigest,
        bytes32 keyringDigest
    ) private returns (uint40 notBefore) {
        uint256 tokenId = (podId << 8) | r.index;
        notBefore = SafeCast.toUint40(_time() + Math.max(MIN_CLAIM_WINDOW, _pods[podId].cadence));
        _claims[tokenId] = Claim({
            kind: kind,
            successor: successor,
            notBefore: notBefore,
            commitmentDigest: commitmentDigest,
            keyringDigest: keyringDigest,
            previousKeyring: _digests[podId].keyring
        });
        _members[podId][member].flags = r.flags | uint8(MemberFlags.CLAIMED);
        emit ClaimMade(podId, tokenId, successor, kind, member, notBefore);
    }
}
