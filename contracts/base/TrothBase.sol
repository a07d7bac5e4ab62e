// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IERC5192} from "../interfaces/IERC5192.sol";
import {ITrothErrors, ITrothEvents} from "../interfaces/ITroth.sol";
import {MemberFlags} from "../libraries/MemberFlags.sol";
import {PackedSlots} from "../libraries/PackedSlots.sol";
import {Schedule} from "../libraries/Schedule.sol";
import {
    Claim, Era, Member, MemberStatus, Newcomer, PodLineage, PodState, Signature
} from "../types/TrothTypes.sol";
import {KeyRegistry} from "./KeyRegistry.sol";

/// @title Storage and shared rules of Troth
/// @notice Both the Troth contract and its governance module (which runs by delegatecall in Troth's storage) inherit
/// this and nothing else with state, so their storage layouts are the same by construction. Neither may declare
/// storage of its own.
abstract contract TrothBase is ITrothErrors, ITrothEvents, IERC5192, IERC4906, ERC721, EIP712, KeyRegistry {
    uint256 internal constant MIN_MEMBERS = 2;
    uint256 internal constant MAX_MEMBERS = 8;
    uint32 internal constant MIN_CADENCE = 1 days;
    /// @dev A quarter (the longest, 92 days): after two cycles a pod may keep the thread meeting quarterly.
    uint32 internal constant MAX_CADENCE = 92 days;
    uint8 internal constant MAX_ROUNDS = 64;
    /// @dev How far before its creation a pod's start may lie: signatures are gathered before the pod is created, and
    /// the SDK's default start is the moment the covenant is drafted.
    uint256 internal constant START_TOLERANCE = 1 hours;
    /// @dev The shortest objection window of a claim; a pod's cadence lengthens it.
    uint256 internal constant MIN_CLAIM_WINDOW = 2 days;

    struct PodDigests {
        bytes32 covenant;
        bytes32 keyring;
    }

    // Internal rather than private: the governance module writes the same slots through delegatecall.
    mapping(uint256 podId => PodState) internal _pods;
    mapping(uint256 podId => mapping(uint256 index => Era)) internal _eras;
    mapping(uint256 podId => PodLineage) internal _lineages;
    mapping(uint256 podId => PodDigests) internal _digests;
    mapping(uint256 podId => uint32) internal _nonces;
    mapping(uint256 podId => mapping(address account => Member)) internal _members;
    mapping(uint256 tokenId => bytes32) internal _commitmentDigests;
    mapping(uint256 tokenId => mapping(uint256 round => bytes32)) internal _pendingReports;
    mapping(uint256 tokenId => mapping(uint256 round => uint256 witnessIndexes)) internal _pendingWitnesses;
    mapping(address signer => mapping(bytes32 digest => bool)) internal _approvedHashes;
    mapping(uint256 tokenId => Claim) internal _claims;
    /// @dev Every pod in creation order (pod ids are covenant hashes): the lens finds an account's pods here, so no
    /// reader has to scan the chain's logs from the deployment block.
    uint256[] internal _podIds;

    /// @dev Set only while a completed recovery moves a token: the one transfer `_update` lets through.
    bool internal transient _recovering;

    constructor() ERC721("Troth Commitment", "TROTH") EIP712("Troth", "1") {}

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual override(ERC721, IERC165) returns (bool) {
        return interfaceId == type(IERC5192).interfaceId || interfaceId == bytes4(0x49064906)
            || super.supportsInterface(interfaceId);
    }

    /// @dev The one place that makes commitments soulbound: minting and burning pass, every transfer reverts.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        // A transfer always names who authorises it; reject it before OpenZeppelin checks approvals.
        if (to != address(0) && auth != address(0)) revert CommitmentSoulbound(tokenId);
        from = super._update(to, tokenId, auth);
        // Any internal path that moves a held token without naming `auth` is caught here, except a completed recovery.
        if (from != address(0) && to != address(0) && !_recovering) revert CommitmentSoulbound(tokenId);
    }

    /// @dev Nobody can be approved to move a soulbound token (burning clears approvals with `to` zero).
    function _approve(address to, uint256 tokenId, address auth, bool emitEvent) internal override {
        if (to != address(0) || emitEvent) revert CommitmentApprovalDisabled();
        super._approve(to, tokenId, auth, emitEvent);
    }

    /// @dev Operators are never approved.
    function _setApprovalForAll(address, address, bool) internal pure override {
        revert CommitmentApprovalDisabled();
    }

    /// @dev The current time; overridden by tests that need to control it.
    function _time() internal view virtual returns (uint256) {
        return block.timestamp;
    }

    function _validateTerms(uint32 cadence, uint32 grace, uint8 quorum, uint256 activeMembers) internal pure {
        if (cadence < MIN_CADENCE || cadence > MAX_CADENCE) revert PodInvalidCadence(cadence);
        if (grace > cadence) revert PodInvalidGrace(grace, cadence);
        if (quorum == 0 || quorum >= activeMembers) revert PodInvalidQuorum(quorum, activeMembers - 1);
    }

    function _mintCommitment(address account, uint256 tokenId, bytes32 commitmentDigest) internal {
        if (commitmentDigest != bytes32(0)) _commitmentDigests[tokenId] = commitmentDigest;
        _mint(account, tokenId);
        emit Locked(tokenId);
    }

    /// @dev Adds a member to a live pod from the current round on, with the new key envelopes.
    function _admit(uint256 podId, PodState memory p, Newcomer memory newcomer, uint256 replacedTokenId)
        internal
        returns (uint256 tokenId)
    {
        if (p.memberCount == type(uint8).max) revert PodInvalidMemberCount(uint256(p.memberCount) + 1);
        (bool started, uint8 current) = Schedule.currentRound(p, _history(podId, p), _clock(p));
        uint8 index = p.memberCount;
        ++p.memberCount;
        ++p.activeCount;
        _pods[podId] = p;
        uint8 joinedRound = started ? current : 0;
        _members[podId][newcomer.member] = Member({
            witnessed: 0,
            reported: 0,
            restarts: 0,
            flags: 0,
            index: index,
            status: MemberStatus.Active,
            joinedRound: joinedRound,
            endRound: 0,
            restartFrom: joinedRound,
            cycle: 1,
            previousIndex: 0,
            pendingRound: 0,
            pendingQuorum: 0,
            pendingClosesAt: 0
        });
        tokenId = (podId << 8) | index;
        _mintCommitment(newcomer.member, tokenId, newcomer.commitmentDigest);
        emit MemberAdded(podId, tokenId, newcomer.member, newcomer.commitmentDigest, joinedRound, replacedTokenId);
        _setKeyring(podId, newcomer.keyringDigest);
        _podMetadataUpdated(podId);
    }

    /// @dev Closes a member's span: rounds that had closed, and any witnessed since, stay theirs.
    function _endSpan(
        uint256 podId,
        PodState memory p,
        address account,
        Member memory m,
        MemberStatus status,
        uint256 closed
    ) internal returns (uint256 tokenId) {
        uint256 end = closed;
        if (m.witnessed != 0) end = Math.max(end, Math.log2(m.witnessed) + 1);
        m.endRound = uint8(Math.max(end, m.joinedRound));
        m.status = status;
        tokenId = (podId << 8) | m.index;
        if (m.flags & MemberFlags.CLAIMED != 0) {
            m.flags &= ~uint8(MemberFlags.CLAIMED);
            _cancelClaim(podId, tokenId, account);
        }
        _members[podId][account] = m;
        --p.activeCount;
        emit MemberLeft(podId, tokenId, account, m.endRound, status);
        _podMetadataUpdated(podId);
    }

    /// @dev Publishes new key envelopes for the pod.
    function _setKeyring(uint256 podId, bytes32 keyringDigest) internal {
        bytes32 previous = _digests[podId].keyring;
        _digests[podId].keyring = keyringDigest;
        emit KeyringRotated(podId, previous, keyringDigest, msg.sender);
    }

    /// @dev The claimed member acted (or left): the claim on their commitment is gone. The caller clears the flag.
    function _cancelClaim(uint256 podId, uint256 tokenId, address member) internal {
        delete _claims[tokenId];
        emit ClaimCancelled(podId, tokenId, member);
    }

    /// @dev The member word `m` of `account` with its claim (if any) cancelled: any action of a member answers a claim
    /// on them. The caller stores the word.
    function _answerClaim(uint256 podId, uint256 tokenId, address account, uint256 m) internal returns (uint256) {
        if (!PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) return m;
        _cancelClaim(podId, tokenId, account);
        return m & ~(MemberFlags.CLAIMED << PackedSlots.FLAGS);
    }

    function _requireNewcomer(uint256 podId, address account) internal view {
        if (account == address(0)) revert PodInvalidMember(account);
        if (_members[podId][account].status != MemberStatus.None) revert PodAlreadyMember(podId, account);
    }

    function _requirePod(uint256 podId) internal view returns (PodState memory p) {
        p = _pods[podId];
        if (p.start == 0) revert PodNonexistent(podId);
    }

    /// @dev A pod that exists, has not ended and still has two active members.
    function _requireLive(uint256 podId) internal view returns (PodState memory p) {
        p = _requirePod(podId);
        if (_hasEnded(podId, p)) revert PodNotLive(podId);
    }

    /// @dev Ended: fewer than two active members remain, or the last round has closed (`Continuity.hasEnded`,
    /// answered here from the pod's word without loading its history when the current terms suffice).
    function _hasEnded(uint256 podId, PodState memory p) internal view returns (bool) {
        return p.activeCount < MIN_MEMBERS || _closedRounds(podId) == p.rounds;
    }

    function _cycleOf(uint256 podId) internal view returns (uint8) {
        uint8 cycle = _lineages[podId].cycle;
        return cycle == 0 ? 1 : cycle;
    }

    function _useNonce(uint256 podId) internal returns (uint32) {
        return _nonces[podId]++;
    }

    /// @dev Consent of every active member in token order (but `skip`), then of `newcomer` if any; returns how many
    /// members (not counting the newcomer) consented. Consenting is an action: it answers a claim standing on the
    /// member. Active members are counted from their records, not from `activeCount`: a member who left a pod after it
    /// ended is still counted there (an ended pod keeps its counts) but can no longer consent.
    function _requireConsents(
        uint256 podId,
        PodState memory p,
        bytes32 digest,
        uint256 deadline,
        Signature[] calldata consents,
        address skip,
        address newcomer
    ) internal returns (uint256 members) {
        if (_time() > deadline) revert ConsentExpired(deadline, _time());
        uint256[] memory seats = new uint256[](p.memberCount);
        for (uint256 i; i < p.memberCount; ++i) {
            address account = _ownerOf((podId << 8) | i);
            if (account == address(0) || account == skip) continue;
            if (_members[podId][account].status == MemberStatus.Active) seats[members++] = i;
        }
        uint256 expected = members + (newcomer != address(0) ? 1 : 0);
        if (consents.length != expected) revert ConsentCountMismatch(expected, consents.length);
        for (uint256 k; k < members; ++k) {
            uint256 tokenId = (podId << 8) | seats[k];
            address account = _ownerOf(tokenId);
            _requireConsent(account, digest, consents[k]);
            Member storage record = _members[podId][account];
            uint256 m = PackedSlots.load(record);
            if (PackedSlots.hasFlag(m, MemberFlags.CLAIMED)) PackedSlots.store(record, _answerClaim(podId, tokenId, account, m));
        }
        if (newcomer != address(0)) _requireConsent(newcomer, digest, consents[members]);
    }

    function _requireConsent(address expected, bytes32 digest, Signature calldata consent) internal view {
        if (consent.signer != expected) revert ConsentWrongSigner(expected, consent.signer);
        if (!_isValidConsent(expected, digest, consent.signature)) revert ConsentInvalidSignature(expected, digest);
    }

    /// @dev EOA or ERC-1271 signature; an empty one counts when the signer approved the digest on-chain.
    function _isValidConsent(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (signature.length == 0) return _approvedHashes[signer][digest];
        if (signature.length == 65) {
            // ECDSA first: it costs no look-up of the signer's code, which most signers (EOAs) do not have. A
            // malleable twin of a signature recovers the same signer, which is harmless here: signatures are never
            // used as identifiers, and replay is prevented by state (rounds, nonces, pod ids).
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                r := calldataload(signature.offset)
                s := calldataload(add(signature.offset, 0x20))
                v := byte(0, calldataload(add(signature.offset, 0x40)))
            }
            address recovered = ecrecover(digest, v, r, s);
            if (recovered == signer && recovered != address(0)) return true;
        }
        // Otherwise a contract wallet may vouch for the signature (ERC-1271).
        return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }

    function _podMetadataUpdated(uint256 podId) internal {
        emit BatchMetadataUpdate(podId << 8, (podId << 8) | 0xff);
    }

    /// @dev The pod's earlier eras, read only when a round before the current era needs them.
    function _history(uint256 podId, PodState memory p) internal view returns (Era[] memory history) {
        history = new Era[](p.eraCount);
        for (uint256 i; i < p.eraCount; ++i) {
            history[i] = _eras[podId][i];
        }
    }

    /// @dev The era that holds `round`, among the pod's `count` earlier eras, searched from the newest: a round under
    /// older terms almost always belongs to the era just before the current one, so one slot is read, not all.
    function _earlierEra(uint256 podId, uint256 count, uint8 round) internal view returns (Era memory era) {
        for (uint256 i = count; i > 0; --i) {
            era = _eras[podId][i - 1];
            if (round >= era.fromRound) return era;
        }
    }

    /// @dev The pod clock now.
    function _clock(PodState memory p) internal view returns (int256) {
        return Schedule.clock(p, _time());
    }

    /// @dev How many rounds of the pod have closed: from the pod's word when the current era answers, else in full.
    function _closedRounds(uint256 podId) internal view returns (uint256) {
        uint256 p = PackedSlots.load(_pods[podId]);
        uint256 zero = PackedSlots.u40(p, PackedSlots.START) + PackedSlots.u32(p, PackedSlots.PAUSED_TOTAL);
        uint256 pausedAt = PackedSlots.u40(p, PackedSlots.PAUSED_AT);
        uint256 now_ = pausedAt != 0 ? pausedAt : _time();
        uint256 fromRound = PackedSlots.u8(p, PackedSlots.FROM_ROUND);
        if (now_ >= zero) {
            uint256 n = Schedule.closedInEra(
                PackedSlots.u32(p, PackedSlots.FROM_CLOCK),
                PackedSlots.u32(p, PackedSlots.CADENCE),
                PackedSlots.u32(p, PackedSlots.GRACE),
                now_ - zero
            );
            if (n > 0 || fromRound == 0) return Math.min(fromRound + n, PackedSlots.u8(p, PackedSlots.ROUNDS));
        }
        PodState memory state = _pods[podId];
        return Schedule.closedRounds(state, _history(podId, state), _clock(state));
    }
}
