// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    Amendment,
    Claim,
    ClaimKind,
    Covenant,
    Era,
    Member,
    MemberStatus,
    Newcomer,
    NoteKind,
    PodRecord,
    PodState,
    Signature
} from "../types/TrothTypes.sol";

/// @title Errors of the Troth protocol (domain-prefixed, with the offending values)
interface ITrothErrors {
    // ─── Errors: covenant and pod parameters ───────────────────────────────────────────────────────────────────

    /// @notice A pod has 2 to 8 members (a live pod at most 8 active ones).
    error PodInvalidMemberCount(uint256 count);
    /// @notice Members and commitment digests must pair up one to one.
    error PodCommitmentCountMismatch(uint256 members, uint256 commitments);
    /// @notice The zero address cannot be a member.
    error PodInvalidMember(address member);
    /// @notice An address appears twice among the members.
    error PodDuplicateMember(address member);
    /// @notice Cadence must be 1 to 92 days, a quarter (in seconds).
    error PodInvalidCadence(uint32 cadence);
    /// @notice Grace must not exceed the cadence.
    error PodInvalidGrace(uint32 grace, uint32 cadence);
    /// @notice A cycle has 1 to 64 rounds.
    error PodInvalidRounds(uint8 rounds);
    /// @notice Quorum must be 1 to (members − 1).
    error PodInvalidQuorum(uint8 quorum, uint256 maxQuorum);
    /// @notice A pod cannot start before the block that creates it (less a tolerance of one hour): `earliest` is the
    /// earliest start accepted now.
    error PodStartInPast(uint40 start, uint256 earliest);
    /// @notice This covenant already created its pod (or was accepted into one).
    error PodAlreadyExists(uint256 podId);
    /// @notice No pod has this id.
    error PodNonexistent(uint256 podId);
    /// @notice The pod's cycle has no such round.
    error PodNonexistentRound(uint256 podId, uint8 round);
    /// @notice The pod is paused: no check-in is accepted until it resumes (check-ins made before can be witnessed).
    error PodIsPaused(uint256 podId);
    /// @notice The pod is not paused.
    error PodNotPaused(uint256 podId);
    /// @notice The pod has ended or dissolved.
    error PodNotLive(uint256 podId);
    /// @notice The pod's last round has not closed yet.
    error PodNotEnded(uint256 podId);
    /// @notice `account` is not an active member of the pod.
    error PodNotMember(uint256 podId, address account);
    /// @notice `account` is, or was, a member of the pod.
    error PodAlreadyMember(uint256 podId, address account);
    /// @notice Shortening a cadence below the current grace would close rounds out of order.
    error PodAmendmentReordersRounds(uint32 currentGrace, uint32 cadence, uint32 grace);
    /// @notice A renewal's member was not an active member when the previous pod ended.
    error PodNotRenewable(uint256 previousPod, address member);
    /// @notice The member's record in the previous pod was renewed already: one renewal per pod and member.
    error PodAlreadyRenewed(uint256 previousPod, address member);
    /// @notice The governance module runs only inside Troth (by delegatecall), never called directly.
    error GovernanceNotDelegated();

    // ─── Errors: consent and signatures ────────────────────────────────────────────────────────────────────────

    /// @notice The signatures' deadline has passed.
    error ConsentExpired(uint256 deadline, uint256 timestamp);
    /// @notice `signer` neither signed this digest validly nor approved it on-chain.
    error ConsentInvalidSignature(address signer, bytes32 digest);
    /// @notice Consent must come from exactly these signers, in order: `expected` was needed where `given` stood.
    error ConsentWrongSigner(address expected, address given);
    /// @notice The number of signatures does not match the number of consenting members.
    error ConsentCountMismatch(uint256 expected, uint256 given);

    // ─── Errors: claims on a member (replacing an absent member, recovering a lost wallet) ─────────────────────

    /// @notice A claim already stands on this commitment; it must be completed or cancelled first (a stale one, made
    /// before the pod's keyring changed, gives way to a new claim).
    error ClaimPending(uint256 tokenId);
    /// @notice No claim stands on this commitment (none was made, or the member acted and cancelled it).
    error ClaimNotFound(uint256 tokenId);
    /// @notice The claim's objection window is still open until `notBefore`.
    error ClaimWindowOpen(uint256 tokenId, uint40 notBefore, uint256 timestamp);
    /// @notice The pod's keyring changed since the claim was made (from `expected` to `current`): its key envelopes
    /// no longer follow the pod's, so the claim must be made again.
    error ClaimStale(uint256 tokenId, bytes32 expected, bytes32 current);
    /// @notice The member checked in for one of the last two closed rounds of their span (or restarted since, or has
    /// not yet had two closed rounds): they are not absent, so replacing them needs their consent.
    error ClaimMemberNotAbsent(uint256 podId, address member);
    /// @notice A claim needs at least one other active member's consent besides the claimed member's seat (and the
    /// absence rule at least two others): a pod of two is never changed without both.
    error ClaimPodTooSmall(uint256 podId, uint8 activeCount);

    // ─── Errors: check-ins and witnesses ───────────────────────────────────────────────────────────────────────

    /// @notice The caller does not hold this commitment (and carries no signature of its holder).
    error CommitmentNotOwner(uint256 tokenId, address caller);
    /// @notice The commitment's holder has left the pod.
    error CommitmentInactive(uint256 tokenId);
    /// @notice The round is not open (not yet opened, or closed) or lies outside the member's span.
    error CheckInRoundNotOpen(uint256 tokenId, uint8 round);
    /// @notice A check-in names its report by the report's digest, which cannot be zero.
    error CheckInEmptyReport(uint256 tokenId, uint8 round);
    /// @notice A check-in for this round exists already.
    error CheckInAlreadyReported(uint256 tokenId, uint8 round);
    /// @notice No check-in for this round is waiting for witnesses.
    error CheckInNotPending(uint256 tokenId, uint8 round);
    /// @notice The witness attested a different report than the one checked in.
    error CheckInReportMismatch(uint256 tokenId, uint8 round, bytes32 reported, bytes32 attested);
    /// @notice A member cannot witness their own check-in.
    error WitnessSelf(uint256 tokenId, address witness);
    /// @notice The witness is not a member of the pod.
    error WitnessNotMember(uint256 podId, address witness);
    /// @notice The witness has left the pod.
    error WitnessInactive(uint256 podId, address witness);
    /// @notice The witness already witnessed this check-in.
    error WitnessDuplicate(uint256 tokenId, uint8 round, address witness);
    /// @notice The signature is not the witness's over this token, round and report on this chain and contract.
    error WitnessInvalidSignature(uint256 tokenId, uint8 round, address witness);
    /// @notice Restarting needs a missed round since the last restart.
    error RestartWithoutMiss(uint256 tokenId);
    /// @notice A note or reply needs the digest of its encrypted document.
    error NoteEmpty(uint256 tokenId, uint8 round);

    // ─── Errors: the token ─────────────────────────────────────────────────────────────────────────────────────

    /// @notice Commitments are soulbound: they never move between accounts.
    error CommitmentSoulbound(uint256 tokenId);
    /// @notice Commitments are soulbound: nobody can be approved to move them.
    error CommitmentApprovalDisabled();
    /// @notice A commitment can be burned only by its holder, after leaving or after the pod ends.
    error CommitmentNotBurnable(uint256 tokenId);
}

/// @title Events of the Troth protocol: everything an indexer needs, so it never calls the contract
interface ITrothEvents {
    // ─── Events ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice A pod was created: every member consented and holds a token `podId << 8 | index` (index = position).
    event PodCreated(
        uint256 indexed podId,
        uint256 indexed previousPod,
        address[] members,
        bytes32[] commitmentDigests,
        uint40 start,
        uint32 cadence,
        uint32 grace,
        uint8 rounds,
        uint8 quorum,
        uint8 cycle,
        bytes32 covenantDigest,
        bytes32 keyringDigest
    );

    /// @notice `member` accepted the covenant of the (not yet created) pod by transaction.
    event CovenantAccepted(uint256 indexed podId, address indexed member);

    /// @notice `signer` approved `digest` on-chain, in place of a signature.
    event HashApproved(address indexed signer, bytes32 indexed digest);

    /// @notice `signer` withdrew an on-chain approval of `digest`.
    event HashRevoked(address indexed signer, bytes32 indexed digest);

    /// @notice A member checked in. `witnessIndexes` has bit i set when member i of the pod (token `podId << 8 | i`)
    /// witnessed it in the same transaction; `witnessed` is true when they reached quorum.
    event CheckedIn(
        uint256 indexed tokenId, uint8 round, bytes32 reportDigest, uint256 witnessIndexes, bool witnessed
    );

    /// @notice A witness attested a pending check-in later, by transaction or by signature. A witness already recorded
    /// for the round appears again only when it settles a check-in whose quorum shrank (it is not a second witness).
    event CheckInWitnessed(uint256 indexed tokenId, uint8 round, address indexed witness, bool witnessed);

    /// @notice After a miss, the member began again (optionally with a new commitment).
    event Restarted(uint256 indexed tokenId, uint8 round, uint16 restarts, bytes32 commitmentDigest);

    /// @notice Every active member consented to pause: the pod clock stopped.
    event PodPaused(uint256 indexed podId, uint40 at);

    /// @notice Every active member consented to resume: the pod clock runs again.
    event PodResumed(uint256 indexed podId, uint40 at, uint32 pausedFor);

    /// @notice Every active member consented to new terms, in force from round `fromRound`.
    event PodAmended(
        uint256 indexed podId, uint8 fromRound, uint32 cadence, uint32 grace, uint8 quorum, bytes32 covenantDigest
    );

    /// @notice A member left (`status` Left) or was replaced (`status` Replaced); rounds from `endRound` on are outside
    /// their span.
    event MemberLeft(
        uint256 indexed podId, uint256 indexed tokenId, address indexed member, uint8 endRound, MemberStatus status
    );

    /// @notice A member joined a live pod, from round `joinedRound` on.
    event MemberAdded(
        uint256 indexed podId,
        uint256 indexed tokenId,
        address indexed member,
        bytes32 commitmentDigest,
        uint8 joinedRound,
        uint256 replacedTokenId
    );

    /// @notice The pod's key envelopes changed from `previousDigest` to `keyringDigest` (a new key epoch).
    event KeyringRotated(uint256 indexed podId, bytes32 previousDigest, bytes32 keyringDigest, address by);

    /// @notice A claim was made on `member`'s commitment: after `notBefore`, anyone may complete it, unless the member
    /// acts first (any check-in, witness, restart, consent, key rotation or `cancelClaim` of theirs cancels it).
    event ClaimMade(
        uint256 indexed podId,
        uint256 indexed tokenId,
        address indexed successor,
        ClaimKind kind,
        address member,
        uint40 notBefore
    );

    /// @notice The claimed member acted, or a new claim replaced one that had gone stale: the claim is gone.
    event ClaimCancelled(uint256 indexed podId, uint256 indexed tokenId, address indexed member);

    /// @notice A lost wallet's commitment moved to `account`, with its whole record (the ERC-721 `Transfer` is emitted
    /// with it; the token stays locked).
    event CommitmentRecovered(uint256 indexed podId, uint256 indexed tokenId, address indexed account, address lost);

    /// @notice Fewer active witnesses remain than the quorum asked for: quorum shrank to what remains.
    event PodAtRisk(uint256 indexed podId, uint8 activeMembers, uint8 quorum);

    /// @notice An active member posted a note (about their own `tokenId`) or a reply (to the check-in of `tokenId`) for
    /// an open `round`: `digest` names the encrypted document on IPFS, readable by the pod's members only.
    event Noted(
        uint256 indexed podId, uint256 indexed tokenId, uint8 round, address indexed author, bytes32 digest, NoteKind kind
    );
}

/// @title Troth: accountability pods with co-attested check-ins
/// @notice A pod is a covenant among 2–8 members who meet every `cadence` for `rounds` rounds. Each member's
/// commitment is a soulbound token; at each round a member checks in (a digest of an encrypted report) and quorum
/// other members witness that the check-in happened. Content never touches the chain: only digests and adherence.
interface ITroth is ITrothErrors, ITrothEvents {
    // ─── Creating a pod ────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Creates the pod and mints every member's token, given every member's consent (one per member, in
    /// member order; an empty signature stands for an on-chain `approveHash`/`acceptCovenant`).
    /// @return podId The new pod's id.
    function createPod(Covenant calldata covenant, bytes[] calldata signatures) external returns (uint256 podId);

    /// @notice Records the caller's consent to a covenant by transaction; the pod is created with the last consent.
    /// @return podId The pod's id; `created` is true when this consent completed it.
    function acceptCovenant(Covenant calldata covenant) external returns (uint256 podId, bool created);

    /// @notice Approves `digest` (any Troth EIP-712 digest) on-chain, so an empty signature counts as the caller's.
    function approveHash(bytes32 digest) external;

    /// @notice Withdraws the caller's on-chain approval of `digest` (one not yet used stops counting).
    function revokeHash(bytes32 digest) external;

    // ─── Rounds ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Checks in for `round` as the token's holder, with zero or more `Witness` signatures packed as
    /// described in `WitnessList` (signer and signature per entry). A second submission of the same report for a
    /// round still waiting for witnesses adds its new witnesses (those already recorded are skipped), so a
    /// front-runner can never strip witnesses from a check-in.
    /// @return witnessed True when quorum is reached (in this transaction or before).
    function checkIn(uint256 tokenId, uint8 round, bytes32 reportDigest, bytes calldata witnesses)
        external
        returns (bool witnessed);

    /// @notice Checks in on the holder's behalf: anyone may submit the holder's `CheckIn` signature.
    function checkInBySig(
        uint256 tokenId,
        uint8 round,
        bytes32 reportDigest,
        bytes calldata memberSignature,
        bytes calldata witnesses
    ) external returns (bool witnessed);

    /// @notice The caller witnesses a pending check-in (`reportDigest` must be the one checked in).
    function witness(uint256 tokenId, uint8 round, bytes32 reportDigest) external returns (bool witnessed);

    /// @notice Submits other members' `Witness` signatures (packed as in `WitnessList`) for a pending check-in; anyone
    /// may submit them. Witnesses already recorded are skipped. Only active members count toward the quorum.
    function witnessBySig(uint256 tokenId, uint8 round, bytes calldata witnesses)
        external
        returns (bool witnessed);

    /// @notice Begins again after a miss, without penalty; a nonzero `commitmentDigest` replaces the commitment.
    function restart(uint256 tokenId, bytes32 commitmentDigest) external;

    /// @notice Makes a note or a reply findable by the pod's members without a server: emits `Noted` and stores
    /// nothing. The caller must be an active member; a `Note` is about the caller's own token, a `Reply` about another
    /// active member's; either way `round` must be open for that token. Posting is an action: it answers a claim on
    /// the caller.
    function note(uint256 tokenId, uint8 round, bytes32 digest, NoteKind kind) external;

    // ─── Life of a pod (consent of every active member, in member order) ───────────────────────────────────────

    /// @notice Stops the pod clock: no round closes, and none can be missed, while paused.
    function pause(uint256 podId, uint256 deadline, Signature[] calldata consents) external;

    /// @notice Restarts the pod clock.
    function resume(uint256 podId, uint256 deadline, Signature[] calldata consents) external;

    /// @notice Changes cadence, grace, quorum and covenant digest from the next round on.
    function amend(uint256 podId, Amendment calldata amendment, uint256 deadline, Signature[] calldata consents)
        external;

    /// @notice Adds a member (consent of every active member, then the newcomer's).
    /// @return tokenId The newcomer's token.
    function addMember(uint256 podId, Newcomer calldata newcomer, uint256 deadline, Signature[] calldata consents)
        external
        returns (uint256 tokenId);

    /// @notice Replaces `replaced` by a newcomer with the consent of every active member (the replaced one included),
    /// then the newcomer's. Without the replaced member's consent, see `proposeReplacement`.
    function replaceMember(
        uint256 podId,
        address replaced,
        Newcomer calldata newcomer,
        uint256 deadline,
        Signature[] calldata consents
    ) external returns (uint256 tokenId);

    /// @notice Claims that `replaced` is absent and proposes a newcomer in their place, with the consent of every other
    /// active member, then the newcomer's (`ReplaceAbsentMember`). Absent: no check-in for either of the last two
    /// closed rounds of their span and no restart since. Needs three active members or more. The claim can be
    /// completed after an objection window of max(48 h, one cadence); any action of the replaced member cancels it.
    /// @return notBefore When the claim can be completed.
    function proposeReplacement(
        uint256 podId,
        address replaced,
        Newcomer calldata newcomer,
        uint256 deadline,
        Signature[] calldata consents
    ) external returns (uint40 notBefore);

    /// @notice Claims that the holder of `tokenId` lost their wallet and asks to move the commitment to `account`,
    /// with the consent of every other active member, then `account`'s (`Recover`). `keyringDigest` names the key
    /// envelopes (re-wrapped for `account`) that take effect with the move. After an objection window of max(48 h,
    /// one cadence) anyone may complete it; any transaction of the old address in the pod cancels it.
    /// @return notBefore When the claim can be completed.
    function requestRecovery(
        uint256 tokenId,
        address account,
        bytes32 keyringDigest,
        uint256 deadline,
        Signature[] calldata consents
    ) external returns (uint40 notBefore);

    /// @notice The claimed member withdraws a claim made on their commitment.
    function cancelClaim(uint256 tokenId) external;

    /// @notice Completes a claim whose window has passed: the replacement (a new token for the newcomer) or the
    /// recovery (the token moves). Anyone may call it.
    /// @return tokenId The newcomer's token (replacement) or the recovered token (recovery).
    function completeClaim(uint256 tokenId) external returns (uint256);

    /// @notice The caller leaves the pod. Their history stays.
    function leave(uint256 tokenId) external;

    /// @notice Any active member publishes new key envelopes (for example after someone left), while the pod is live.
    /// Members' SDKs accept a rotation only if it follows the current keyring and wraps the key for exactly the
    /// active members.
    function rotateKeyring(uint256 podId, bytes32 keyringDigest) external;

    /// @notice Burns the caller's token; allowed after leaving or after the pod has ended.
    function burn(uint256 tokenId) external;

    // ─── Raw state (computed views live in ITrothLens) ─────────────────────────────────────────────────────────

    /// @notice The lens this contract deployed: continuity views and token metadata, computed from the getters below.
    function lens() external view returns (address);

    /// @notice The id a covenant's pod has (or will have).
    function podIdOf(Covenant calldata covenant) external view returns (uint256);

    /// @notice Pods in creation order: up to `count` ids from position `offset`, and how many pods there are.
    function podIds(uint256 offset, uint256 count) external view returns (uint256 total, uint256[] memory ids);

    /// @notice A pod's hot state: schedule, counts and the current era. Reverts for a pod that does not exist.
    function podState(uint256 podId) external view returns (PodState memory);

    /// @notice The pod's earlier eras (terms before amendments), oldest first; the current era is in `podState`.
    function eras(uint256 podId) external view returns (Era[] memory);

    /// @notice A pod's lineage, consent nonce and digests.
    function podRecord(uint256 podId) external view returns (PodRecord memory);

    /// @notice The record of `account` in `podId` (status None if it never was a member).
    function memberRecord(uint256 podId, address account) external view returns (Member memory);

    /// @notice The holder of a token, or zero if it was never minted or was burned.
    function holderOf(uint256 tokenId) external view returns (address);

    /// @notice The token's current commitment digest.
    function commitmentDigestOf(uint256 tokenId) external view returns (bytes32);

    /// @notice A check-in waiting for witnesses: its report digest and its witnesses' member-index bits.
    function pendingReport(uint256 tokenId, uint8 round)
        external
        view
        returns (bytes32 reportDigest, uint256 witnessIndexes);

    /// @notice The token `account` holds in `podId` (0 if none).
    function tokenOf(uint256 podId, address account) external view returns (uint256);

    /// @notice Whether `signer` approved `digest` on-chain.
    function isHashApproved(address signer, bytes32 digest) external view returns (bool);

    /// @notice The claim standing on a commitment (kind None if there is none).
    function claimOf(uint256 tokenId) external view returns (Claim memory);

    // ─── EIP-712 ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice The EIP-712 domain separator of this chain and contract.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice Typehashes of every signed struct, in this order: Covenant, CheckIn, Witness, Pause, Resume, Amend,
    /// AddMember, ReplaceMember, ReplaceAbsentMember, Recover.
    function typehashes() external pure returns (bytes32[10] memory);

    /// @notice The EIP-712 digest members sign for a covenant.
    function hashCovenant(Covenant calldata covenant) external view returns (bytes32);
}
