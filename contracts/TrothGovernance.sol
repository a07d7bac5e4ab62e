// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {TrothBase} from "./base/TrothBase.sol";
import {Schedule} from "./libraries/Schedule.sol";
import {TrothHashes} from "./libraries/TrothHashes.sol";
import {Amendment, Era, Member, MemberStatus, Newcomer, PodState, Signature} from "./types/TrothTypes.sol";

/// @title Troth governance module
/// @notice The consent-gated changes to a live pod (pause, resume, amend, add and replace members). Troth forwards
/// these calls here by delegatecall, so they run in Troth's storage with Troth's caller; called directly, this contract
/// has no pods and every call reverts. Split out to keep Troth under the contract size limit. See ITroth for each
/// function's documentation.
contract TrothGovernance is TrothBase {
    function pause(uint256 podId, uint256 deadline, Signature[] calldata consents) external {
        PodState memory p = _requireLive(podId);
        if (p.pausedAt != 0) revert PodIsPaused(podId);
        bytes32 digest = _hashTypedDataV4(TrothHashes.hashPause(podId, _useNonce(podId), deadline));
        _requireConsents(podId, p, digest, deadline, consents, address(0), address(0));
        p.pausedAt = SafeCast.toUint40(_time());
        _pods[podId] = p;
        emit PodPaused(podId, p.pausedAt);
        _podMetadataUpdated(podId);
    }

    function resume(uint256 podId, uint256 deadline, Signature[] calldata consents) external {
        PodState memory p = _requirePod(podId);
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
        external
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
        external
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
    ) external returns (uint256 tokenId) {
        PodState memory p = _requireLive(podId);
        Member memory r = _members[podId][replaced];
        if (r.status != MemberStatus.Active) revert PodNotMember(podId, replaced);
        _requireNewcomer(podId, newcomer.member);
        bytes32 digest = _hashTypedDataV4(
            TrothHashes.hashReplaceMember(podId, replaced, newcomer, _useNonce(podId), deadline)
        );
        _requireConsents(podId, p, digest, deadline, consents, replaced, newcomer.member);
        uint256 replacedTokenId = _endSpan(podId, p, replaced, r, MemberStatus.Replaced);
        tokenId = _admit(podId, p, newcomer, replacedTokenId);
    }
}
