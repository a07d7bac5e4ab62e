// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// ─── Requests (what members sign or submit) ────────────────────────────────────────────────────────────────────────

/// @notice The covenant every member of a pod signs. Its EIP-712 hash, shifted right by 8 bits, is the pod id, so one
/// covenant can create exactly one pod on one chain and contract.
/// @param members Addresses of the members, 2 to 8, distinct.
/// @param commitmentDigests Per member (same order): sha2-256 digest of the member's encrypted commitment on IPFS.
/// @param cadence Seconds between rounds, 1 to 92 days (a quarter: a pod that graduates may meet quarterly).
/// @param grace Seconds a round stays open after the next one opens (≤ cadence).
/// @param rounds Rounds in the cycle, 1 to 64.
/// @param quorum Witnesses a check-in needs, 1 to members − 1.
/// @param start When round 0 opens (unix seconds).
/// @param covenantDigest Digest of the encrypted covenant document.
/// @param keyringDigest Digest of the encrypted key envelopes (one per member).
/// @param previousPod The pod this one renews (0 for a first cycle).
/// @param deadline Last second at which the signatures may be used.
/// @param salt Any value that makes two otherwise equal covenants distinct.
struct Covenant {
    address[] members;
    bytes32[] commitmentDigests;
    uint32 cadence;
    uint32 grace;
    uint8 rounds;
    uint8 quorum;
    uint40 start;
    bytes32 covenantDigest;
    bytes32 keyringDigest;
    uint256 previousPod;
    uint256 deadline;
    bytes32 salt;
}

/// @notice A signature and who made it. `signer` may be an EOA (ECDSA) or a contract wallet (ERC-1271). An empty
/// `signature` stands for a hash the signer approved on-chain with `approveHash`.
struct Signature {
    address signer;
    bytes signature;
}

/// @notice New covenant terms; they take effect from the round after the one open when the amendment lands.
struct Amendment {
    uint32 cadence;
    uint32 grace;
    uint8 quorum;
    bytes32 covenantDigest;
}

/// @notice A member joining a live pod (added, or in place of `replaced`).
/// @param member The newcomer.
/// @param commitmentDigest Digest of the newcomer's encrypted commitment.
/// @param keyringDigest Digest of the new key envelopes (a new key epoch that includes the newcomer).
struct Newcomer {
    address member;
    bytes32 commitmentDigest;
    bytes32 keyringDigest;
}

// ─── States ────────────────────────────────────────────────────────────────────────────────────────────────────────

/// @notice Where a member stands in a pod. Stored.
enum MemberStatus {
    None,
    Active,
    Left,
    Replaced, // replaced with their consent, or after the absence rule's objection window
    Burned, // stayed to the end, then burned the token: nothing can act on it, but the record still counts
    Recovered // this address lost its wallet: the commitment and the whole record moved to a new address
}

/// @notice What a standing claim on an active member asks, once its objection window has passed. Any action of the
/// member during the window cancels it.
enum ClaimKind {
    None,
    Replacement, // the member is absent (see `docs/protocol.md`): replace them by a newcomer
    Recovery // the member lost their wallet: move their commitment to a new address
}

/// @notice What a `Noted` digest points to: a member's short written note between meetings (about their own
/// commitment), or a listening-rule reply to another member's check-in. The chain keeps neither: only that one exists.
enum NoteKind {
    Note,
    Reply
}

/// @notice A pod as a whole. Computed from time and membership, never written.
enum PodStatus {
    None,
    Scheduled, // round 0 has not opened yet
    Active,
    Paused,
    Ended, // the last round has closed
    Dissolved // fewer than two active members remain
}

/// @notice One round of one commitment. Computed, never written: a miss is what a closed round without quorum is.
enum RoundState {
    Upcoming,
    Open,
    Reported, // checked in, not yet witnessed by quorum, still open
    Witnessed,
    Missed,
    Paused, // open when the pod was paused: the clock is stopped
    Outside // before the member joined or after the member left
}

/// @notice A commitment token's standing. Computed.
enum CommitmentStatus {
    None,
    Active,
    Lapsed, // the last closed round was missed and no restart has followed
    Paused,
    Left,
    Completed, // the cycle ended with the member in it and at least half of their rounds witnessed
    Graduated, // completed, in the second (or later) cycle of a lineage whose previous cycle was completed too
    Dissolved, // the pod fell below two active members
    Burned,
    Replaced, // the member was replaced
    Ended // the cycle ended with fewer than half of the member's rounds witnessed: not a cycle lived, so not Completed
}

// ─── Views ─────────────────────────────────────────────────────────────────────────────────────────────────────────

struct PodView {
    uint256 podId;
    uint256 previousPod;
    PodStatus status;
    uint40 start;
    uint32 cadence;
    uint32 grace;
    uint8 quorum;
    uint8 rounds;
    uint8 cycle;
    uint8 memberCount; // every member ever, including those who left
    uint8 activeCount;
    bool started;
    uint8 currentRound; // the latest round that has opened (meaningful when `started`)
    uint40 pausedAt; // 0 when running
    uint32 pausedTotal;
    uint32 nonce; // consumed by every consent-gated change (pause, resume, amend, add, replace)
    bytes32 covenantDigest;
    bytes32 keyringDigest;
}

struct MemberView {
    address account;
    uint256 tokenId;
    MemberStatus status;
    uint8 joinedRound;
}

struct CommitmentView {
    uint256 tokenId;
    uint256 podId;
    address account;
    CommitmentStatus status;
    uint8 cycle; // this member's cycle in its lineage: 1, 2, …
    uint256 previousTokenId; // the same member's token in the renewed pod (0 for a first cycle)
    bytes32 commitmentDigest;
    uint64 witnessedRounds; // bit r set: round r witnessed
    uint64 reportedRounds; // bit r set: round r checked in (witnessed or not)
    uint8 rounds; // the pod's rounds in this cycle
    uint8 joinedRound;
    uint8 endRound; // exclusive: rounds ≥ endRound are outside this member's span
    uint8 witnessed;
    uint8 missed;
    uint8 open; // open, reported-but-not-witnessed included
    uint8 upcoming;
    uint8 paused;
    uint8 closed; // rounds in the span that have closed
    uint8 currentStreak;
    uint8 longestStreak;
    uint16 restarts;
    uint8 podSize; // active members
    uint32 cadence;
}

/// @notice A pod's colder data: lineage, the nonce consent-gated changes consume, and its digests.
struct PodRecord {
    uint256 previousPod;
    uint8 cycle;
    uint32 nonce;
    bytes32 covenantDigest;
    bytes32 keyringDigest;
}

/// @notice Timing of one round, in unix seconds, as the schedule stands now (a paused pod's future is shown as if it
/// resumed this second).
struct RoundWindow {
    uint40 opensAt;
    uint40 closesAt;
    uint8 quorum;
}

/// @dev A claim on an active member, standing until its window has passed (then anyone completes it) or the member
/// acts (which cancels it: a check-in, a witness, a restart, a consent, a key rotation, leaving or `cancelClaim`).
struct Claim {
    ClaimKind kind;
    address successor; // the newcomer (replacement) or the member's new address (recovery)
    uint40 notBefore; // first second at which it can be completed
    bytes32 commitmentDigest; // the newcomer's commitment (replacement only)
    bytes32 keyringDigest; // the key envelopes that take effect on completion
    bytes32 previousKeyring; // the pod's keyring when the claim was made: if it changed since, the claim is stale
}

// ─── Storage layouts ───────────────────────────────────────────────────────────────────────────────────────────────

/// @dev A stretch of rounds that share cadence, grace and quorum. Times are on the pod clock: seconds since `start`,
/// not counting paused time.
struct Era {
    uint8 fromRound;
    uint32 fromClock;
    uint32 cadence;
    uint32 grace;
    uint8 quorum;
}

/// @dev Everything a check-in reads, in one slot (256 bits): the current era's fields ride along, flattened (a
/// nested struct would start a slot of its own).
struct PodState {
    uint40 start;
    uint40 pausedAt;
    uint32 pausedTotal;
    uint8 rounds;
    uint8 memberCount;
    uint8 activeCount;
    uint8 eraCount; // eras before the current one, kept in `_eras`
    uint8 fromRound;
    uint32 fromClock;
    uint32 cadence;
    uint32 grace;
    uint8 quorum;
}

/// @dev Colder pod data, written on creation of a renewal and by consent-gated changes.
struct PodLineage {
    uint248 previousPod;
    uint8 cycle;
}

/// @dev One member of one pod, in one slot (256 bits); the token id is `podId << 8 | index`.
struct Member {
    uint64 witnessed; // bit r: round r witnessed by quorum
    uint64 reported; // bit r: round r checked in
    uint8 restarts; // at most one per closed round, so at most 64
    uint8 flags; // `MemberFlags` bits
    uint8 index;
    MemberStatus status;
    uint8 joinedRound;
    uint8 endRound; // exclusive end of the span once the member has left (while active, the cycle's end)
    uint8 restartFrom; // misses before this round were answered by a restart
    uint8 cycle; // this member's cycle in its lineage, from 1
    uint8 previousIndex; // the member's index in the renewed pod (cycle > 1)
    // The latest check-in still waiting for witnesses: its round, quorum and closing time, cached here so a witness
    // needs no read of the pod. A stale cache (a pause moved the window, someone left) only sends it the long way.
    uint8 pendingRound;
    uint8 pendingQuorum;
    uint40 pendingClosesAt;
}
