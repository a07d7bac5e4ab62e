// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    Amendment, ClaimKind, Covenant, MemberStatus, Newcomer, Signature
} from "../../../contracts/types/TrothTypes.sol";
import {ITrothToken} from "../utils/ITrothToken.sol";
import {ModelEra, ScheduleModel} from "../utils/ScheduleModel.sol";
import {TrothActors} from "../utils/TrothActors.sol";
import {vm} from "../utils/Vm.sol";

/// @dev Accounts the handler draws members, newcomers, witnesses and strangers from.
uint256 constant ACTOR_COUNT = 12;

/// @dev The handler's picture of one token.
struct Seat {
    address holder;
    MemberStatus status;
    bool burned;
    uint8 joinedRound;
    uint8 endRound; // meaningful once the member is no longer active
    uint8 restartFrom;
    uint64 reported;
    uint64 witnessed;
    bool leftAfterEnd; // left once the pod had ended: still eligible to renew
    // A claim standing on this member (cancelled by any action of theirs), and the last time they acted.
    ClaimKind claim;
    address successor;
    uint256 notBefore;
    bytes32 claimKeyring; // the keyring the claim brings
    bytes32 claimedOnKeyring; // the pod's keyring when the claim was made
}

/// @dev Troth and the model disagreed: on accepting `action` (`reason` is Troth's revert data), or on whether the
/// round became witnessed.
struct Violation {
    bytes32 action;
    Disagreement kind;
    bytes reason;
}

enum Disagreement {
    AcceptedAgainstTheRules,
    RefusedAgainstTheRules,
    WitnessedBelowQuorum,
    QuorumNotHonoured
}

/// @dev The handler's picture of one pod; its eras are kept beside it.
struct PodModel {
    uint40 start;
    uint8 rounds;
    uint8 memberCount;
    uint8 activeCount;
    uint256 pausedAt;
    uint256 pausedTotal;
    bytes32 keyring; // the key envelopes the pod's members last agreed to
}

/// @title Random protocol actions, each checked against a model written from the rules
/// @notice Every action picks a pod, a token, a round, witnesses and so on from its fuzzed seeds (mostly valid, often
/// not), predicts from the model alone whether Troth must accept it, performs it, and records a violation when Troth
/// disagrees. Only actions both sides accept change the model, so the model's witnessed rounds are, by construction,
/// rounds that a quorum of distinct, active, non-self members witnessed inside the round's window. The invariant
/// test then compares Troth's state with the model after every action.
contract PodHandler is TrothActors {
    using ScheduleModel for ModelEra[];

    uint256 internal constant MAX_PODS = 4;
    uint8 internal constant MAX_ROUNDS = 8;
    uint8 internal constant MAX_ACTIVE = 8;
    string internal constant SAFE_TRANSFER = "safeTransferFrom(address,address,uint256)";
    string internal constant SAFE_TRANSFER_WITH_DATA = "safeTransferFrom(address,address,uint256,bytes)";

    uint256[] public podIds;
    uint256[] public tokens;
    mapping(uint256 podId => PodModel) internal _pods;
    mapping(uint256 podId => ModelEra[]) internal _eras;
    mapping(uint256 podId => mapping(address account => uint256)) internal _indexPlusOne;
    mapping(uint256 tokenId => Seat) internal _seats;
    /// @dev Member-index bits of the witnesses a pending check-in has so far, and its report.
    mapping(uint256 tokenId => mapping(uint256 round => uint256)) internal _attested;
    mapping(uint256 tokenId => mapping(uint256 round => bytes32)) internal _reports;

    Violation[] internal _violations;
    /// @dev Actions Troth accepted, by name: shows the campaign reaches every path.
    mapping(bytes32 action => uint256) public accepted;
    /// @dev Every (previous pod, member) a renewal Troth accepted continued, in order: the invariant checks that no
    /// pair appears twice.
    uint256[] public renewedPods;
    address[] public renewedMembers;

    constructor(ITrothToken troth_) {
        troth = troth_;
        _enlist(ACTOR_COUNT);
        _newPod(uint256(keccak256("first pod")));
        _newPod(uint256(keccak256("second pod")));
    }

    // ─── Views for the invariants ──────────────────────────────────────────────────────────────────────────────

    function tokenCount() external view returns (uint256) {
        return tokens.length;
    }

    function seat(uint256 tokenId) external view returns (Seat memory) {
        return _seats[tokenId];
    }

    function violationCount() external view returns (uint256) {
        return _violations.length;
    }

    function violation(uint256 i) external view returns (Violation memory) {
        return _violations[i];
    }

    function pendingOf(uint256 tokenId, uint8 round) external view returns (bytes32 report, uint256 witnesses) {
        return (_reports[tokenId][round], _attested[tokenId][round]);
    }

    /// @dev A pod as the model has it, with its eras (oldest first).
    function podModel(uint256 podId) external view returns (PodModel memory, ModelEra[] memory) {
        return (_pods[podId], _eras[podId]);
    }

    function renewalCount() external view returns (uint256) {
        return renewedPods.length;
    }

    /// @dev The actions the invariant campaign calls, with their weights: the runner picks uniformly from the list, so
    /// an action listed n times comes n times as often. Check-ins and witnesses (what the protocol is about) and time
    /// (so rounds open and close under the other actions) outweigh the changes that end a pod's useful life.
    function actions() external pure returns (bytes4[] memory list) {
        bytes4[19] memory selectors = [
            this.checkIn.selector,
            this.witness.selector,
            this.witnessBySig.selector,
            this.warp.selector,
            this.restart.selector,
            this.pause.selector,
            this.resume.selector,
            this.amend.selector,
            this.leave.selector,
            this.addMember.selector,
            this.replaceMember.selector,
            this.burn.selector,
            this.tryToMove.selector,
            this.createPod.selector,
            this.proposeReplacement.selector,
            this.requestRecovery.selector,
            this.cancelClaim.selector,
            this.completeClaim.selector,
            this.renew.selector
        ];
        uint8[19] memory weights = [8, 5, 5, 5, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 3, 1];
        list = new bytes4[](44);
        uint256 k;
        for (uint256 i; i < selectors.length; ++i) {
            for (uint256 w; w < weights[i]; ++w) {
                list[k++] = selectors[i];
            }
        }
    }

    // ─── Actions: time and pods ────────────────────────────────────────────────────────────────────────────────

    function warp(uint256 seconds_) external {
        vm.warp(_now() + _bound(seconds_, 1 minutes, 3 days));
    }

    function createPod(uint256 seed) external {
        if (podIds.length < MAX_PODS) _newPod(seed);
    }

    function _newPod(uint256 seed) internal {
        uint256 size = 2 + seed % 4;
        address[] memory members = new address[](size);
        for (uint256 i; i < size; ++i) {
            members[i] = actors[((seed >> 8) + i) % ACTOR_COUNT];
        }
        Covenant memory c = _terms(members, seed, 0);
        _register(troth.createPod(c, _signCovenant(troth, c)), c);
    }

    /// @dev Terms drawn from `seed` for `members`, renewing `previousPod` (0 for none).
    function _terms(address[] memory members, uint256 seed, uint256 previousPod)
        internal
        view
        returns (Covenant memory c)
    {
        uint32 cadence = uint32(1 days + (seed >> 16) % 6 days);
        uint32 grace = uint32((seed >> 48) % (uint256(cadence) + 1));
        uint8 rounds = uint8(2 + (seed >> 80) % (MAX_ROUNDS - 1));
        uint8 quorum = uint8(1 + (seed >> 88) % (members.length - 1));
        // Anywhere from an hour ago (the most a start may lie before its pod's creation) to a day ahead.
        uint40 start = uint40(_now() + 1 days - (seed >> 96) % (1 days + 1 hours + 1));
        bytes32 salt = keccak256(abi.encode(seed, podIds.length));
        c = _covenant(members, cadence, grace, rounds, quorum, start, _now(), salt);
        c.previousPod = previousPod;
    }

    function _register(uint256 podId, Covenant memory c) internal {
        podIds.push(podId);
        _pods[podId] = PodModel({
            start: c.start,
            rounds: c.rounds,
            memberCount: uint8(c.members.length),
            activeCount: uint8(c.members.length),
            pausedAt: 0,
            pausedTotal: 0,
            keyring: c.keyringDigest
        });
        _eras[podId].push(
            ModelEra({fromRound: 0, fromClock: 0, cadence: c.cadence, grace: c.grace, quorum: c.quorum})
        );
        for (uint256 i; i < c.members.length; ++i) {
            _seat(podId, i, c.members[i], 0);
        }
    }

    /// @dev Renews an ended pod with (some of) the members it had, in a new order: each must have been active when it
    /// ended, and may renew it once.
    function renew(uint256 podSeed, uint256 seed) external {
        if (podIds.length >= MAX_PODS + 2) return;
        uint256 previous = _pickPod(podSeed);
        PodModel storage p = _pods[previous];
        uint256 size = 2 + seed % (p.memberCount - 1);
        address[] memory members = new address[](size);
        bool expected = !_live(previous) && size <= MAX_ACTIVE;
        for (uint256 i; i < size; ++i) {
            Seat storage s = _seats[(previous << 8) | ((seed >> 8) + i) % p.memberCount];
            members[i] = s.holder;
            bool eligible = s.status == MemberStatus.Active || s.status == MemberStatus.Burned
                || (s.status == MemberStatus.Left && s.leftAfterEnd);
            expected = expected && eligible && !_renewed(previous, s.holder);
        }
        Covenant memory c = _terms(members, seed, previous);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.createPod, (c, _signCovenant(troth, c))));
        if (!_agree("renew", expected, ok, reason)) return;
        _register(abi.decode(reason, (uint256)), c);
        for (uint256 i; i < size; ++i) {
            renewedPods.push(previous);
            renewedMembers.push(members[i]);
        }
    }

    function _renewed(uint256 previous, address member) internal view returns (bool) {
        for (uint256 i; i < renewedPods.length; ++i) {
            if (renewedPods[i] == previous && renewedMembers[i] == member) return true;
        }
        return false;
    }

    // ─── Actions: rounds ───────────────────────────────────────────────────────────────────────────────────────

    function checkIn(uint256 podSeed, uint256 tokenSeed, uint256 roundSeed, uint256 witnessSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        uint8 round = _pickRound(podId, s, roundSeed, false);
        // One check-in in four sends a pending report again, as a front-runner's copy would be followed by the
        // honest one: it adds the witnesses it brings.
        bytes32 report = (witnessSeed >> 124) % 4 == 0 && _pending(podId, s, round)
            ? _reports[tokenId][round]
            : keccak256(abi.encode("report", tokenId, round, witnessSeed));
        bool again = (s.reported >> round) & 1 == 1 && (s.witnessed >> round) & 1 == 0
            && report == _reports[tokenId][round];
        uint256 before = again ? _attested[tokenId][round] : 0;
        address[] memory signers = _pickWitnesses(podId, s.holder, witnessSeed, witnessSeed % 5 == 1 ? 0 : before);
        (Signature[] memory list, uint256 forged) = _witnessSignatures(tokenId, round, report, signers, witnessSeed);

        (bool valid, uint256 seen) = _judge(podId, s.holder, signers, forged, before);
        // No new check-in while the pod is paused; a round checked in takes the same report again, nothing else.
        bool expected = valid && _active(s) && _pods[podId].pausedAt == 0 && _isOpenFor(podId, s, round)
            && ((s.reported >> round) & 1 == 0 || again);

        // Half the check-ins are relayed with the holder's signature.
        bool bySig = (witnessSeed >> 120) & 1 == 1;
        bytes memory call = bySig
            ? abi.encodeCall(
                troth.checkInBySig,
                (tokenId, round, report, _sign(s.holder, _checkInDigest(tokenId, round, report)), _witnessList(list))
            )
            : abi.encodeCall(troth.checkIn, (tokenId, round, report, _witnessList(list)));
        if (!bySig) vm.prank(s.holder);
        (bool ok, bool witnessed, bytes memory reason) = _tryWitnessed(call);
        if (!_agree(again ? bytes32("checkIn again") : bytes32("checkIn"), expected, ok, reason)) return;
        s.reported |= uint64(1) << round;
        _acted(podId, s.holder);
        _actedAll(podId, signers);
        _settle(podId, tokenId, round, report, seen, witnessed, "checkIn");
    }

    function witness(uint256 podSeed, uint256 tokenSeed, uint256 roundSeed, uint256 witnessSeed) external {
        (uint256 podId, uint256 tokenId) = _pickPendingToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        uint8 round = _pickRound(podId, s, roundSeed, true);
        uint256 before = _attested[tokenId][round];
        bytes32 report = witnessSeed % 8 == 0 ? keccak256("another report") : _reports[tokenId][round];
        address[] memory candidates = _pickWitnesses(podId, s.holder, witnessSeed, witnessSeed % 5 == 1 ? 0 : before);
        address caller = candidates.length > 0 ? candidates[0] : actors[(witnessSeed >> 8) % ACTOR_COUNT];

        bool expected = _pending(podId, s, round) && report == _reports[tokenId][round];
        (bool valid, uint256 bit) = _canWitness(podId, s.holder, caller, 0);
        // A witness already recorded may attest again only to settle a check-in whose recorded witnesses (those still
        // active) meet a quorum that shrank since; otherwise it is a duplicate.
        if (before & bit != 0) valid = valid && _countActive(podId, before) >= _quorum(podId, round);
        expected = expected && valid;

        vm.prank(caller);
        (bool ok, bool witnessed, bytes memory reason) =
            _tryWitnessed(abi.encodeCall(troth.witness, (tokenId, round, report)));
        if (!_agree("witness", expected, ok, reason)) return;
        _acted(podId, caller);
        _settle(podId, tokenId, round, report, before | bit, witnessed, "witness");
    }

    function witnessBySig(uint256 podSeed, uint256 tokenSeed, uint256 roundSeed, uint256 witnessSeed) external {
        (uint256 podId, uint256 tokenId) = _pickPendingToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        uint8 round = _pickRound(podId, s, roundSeed, true);
        uint256 before = _attested[tokenId][round];
        bytes32 report = _reports[tokenId][round];
        // One run in five also lists witnesses who already attested.
        address[] memory signers = _pickWitnesses(podId, s.holder, witnessSeed, witnessSeed % 5 == 1 ? 0 : before);
        (Signature[] memory list, uint256 forged) = _witnessSignatures(tokenId, round, report, signers, witnessSeed);

        (bool valid, uint256 seen) = _judge(podId, s.holder, signers, forged, before);
        bool expected = valid && _pending(podId, s, round);
        (bool ok, bool witnessed, bytes memory reason) =
            _tryWitnessed(abi.encodeCall(troth.witnessBySig, (tokenId, round, _witnessList(list))));
        if (!_agree("witnessBySig", expected, ok, reason)) return;
        _actedAll(podId, signers);
        _settle(podId, tokenId, round, report, seen, witnessed, "witnessBySig");
    }

    function restart(uint256 podSeed, uint256 tokenSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        // A restart answers the misses since the last one: closed rounds of the (active) member's span, unwitnessed.
        uint8 closed = _closed(podId);
        uint256 missed;
        for (uint256 r = s.joinedRound; r < closed; ++r) {
            if ((s.witnessed >> r) & 1 == 0 && r >= s.restartFrom) missed |= 1 << r;
        }
        bool expected = s.status == MemberStatus.Active && missed != 0 && _live(podId);
        vm.prank(s.holder);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.restart, (tokenId, bytes32(tokenSeed))));
        if (!_agree("restart", expected, ok, reason)) return;
        s.restartFrom = closed;
        _acted(podId, s.holder);
    }

    // ─── Actions: life of a pod ────────────────────────────────────────────────────────────────────────────────

    function pause(uint256 podSeed) external {
        uint256 podId = _pickPod(podSeed);
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _pauseConsents(podId, deadline);
        bool expected = _live(podId) && _pods[podId].pausedAt == 0;
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.pause, (podId, deadline, consents)));
        if (!_agree("pause", expected, ok, reason)) return;
        _pods[podId].pausedAt = _now();
        _actedEveryone(podId, address(0));
    }

    function resume(uint256 podSeed) external {
        uint256 podId = _pickPod(podSeed);
        PodModel storage p = _pods[podId];
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _resumeConsents(podId, deadline);
        bool expected = _live(podId) && p.pausedAt != 0;
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.resume, (podId, deadline, consents)));
        if (!_agree("resume", expected, ok, reason)) return;
        p.pausedTotal += _now() - p.pausedAt;
        p.pausedAt = 0;
        _actedEveryone(podId, address(0));
    }

    function amend(uint256 podSeed, uint256 termsSeed) external {
        uint256 podId = _pickPod(podSeed);
        PodModel storage p = _pods[podId];
        uint32 cadence = uint32(_bound(uint64(termsSeed), 1 days, 7 days));
        uint32 grace = uint32(_bound(uint64(termsSeed >> 64), 0, cadence));
        uint8 quorum = uint8(1 + (termsSeed >> 128) % MAX_ACTIVE);
        Amendment memory a =
            Amendment({cadence: cadence, grace: grace, quorum: quorum, covenantDigest: bytes32(termsSeed)});
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _amendConsents(podId, a, deadline);

        ModelEra[] memory eras = _eras[podId];
        (ModelEra[] memory next,) = eras.amended(p.rounds, _clock(podId), cadence, grace, quorum);
        bool expected = _live(podId) && quorum < p.activeCount && next.closesInOrder(p.rounds);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.amend, (podId, a, deadline, consents)));
        if (!_agree("amend", expected, ok, reason)) return;
        _actedEveryone(podId, address(0));
        delete _eras[podId];
        for (uint256 i; i < next.length; ++i) {
            _eras[podId].push(next[i]);
        }
    }

    function leave(uint256 podSeed, uint256 tokenSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        bool expected = s.status == MemberStatus.Active;
        vm.prank(s.holder);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.leave, (tokenId)));
        if (!_agree("leave", expected, ok, reason)) return;
        // Leaving an ended pod records the member's choice but leaves the pod as it ended (and the right to renew).
        bool ended = !_live(podId);
        _acted(podId, s.holder);
        _endSpan(podId, s, MemberStatus.Left);
        s.leftAfterEnd = ended;
        if (ended) return;
        // Fewer possible witnesses than the quorum: the current terms' quorum shrinks to what remains.
        PodModel storage p = _pods[podId];
        --p.activeCount;
        ModelEra storage current = _eras[podId][_eras[podId].length - 1];
        uint8 witnesses = p.activeCount > 0 ? p.activeCount - 1 : 0;
        if (current.quorum > witnesses) current.quorum = witnesses;
    }

    function addMember(uint256 podSeed, uint256 newcomerSeed) external {
        uint256 podId = _pickPod(podSeed);
        PodModel storage p = _pods[podId];
        Newcomer memory n = _newcomer(newcomerSeed);
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _addMemberConsents(podId, n, deadline);
        bool expected = _live(podId) && p.activeCount < MAX_ACTIVE && _indexPlusOne[podId][n.member] == 0;
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.addMember, (podId, n, deadline, consents)));
        if (!_agree("addMember", expected, ok, reason)) return;
        _actedEveryone(podId, address(0));
        _admit(podId, n.member);
        p.keyring = n.keyringDigest;
    }

    function replaceMember(uint256 podSeed, uint256 tokenSeed, uint256 newcomerSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        Newcomer memory n = _newcomer(newcomerSeed);
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _replaceMemberConsents(podId, s.holder, n, deadline);
        bool expected = _live(podId) && s.status == MemberStatus.Active && _indexPlusOne[podId][n.member] == 0;
        (bool ok, bytes memory reason) =
            _try(abi.encodeCall(troth.replaceMember, (podId, s.holder, n, deadline, consents)));
        if (!_agree("replaceMember", expected, ok, reason)) return;
        // The member replaced consented too: nobody is removed by others.
        _actedEveryone(podId, address(0));
        _endSpan(podId, s, MemberStatus.Replaced);
        --_pods[podId].activeCount;
        _admit(podId, n.member);
        _pods[podId].keyring = n.keyringDigest;
    }

    /// @dev The absence rule: everyone but a member absent for the last two closed rounds claims their seat for a
    /// newcomer.
    function proposeReplacement(uint256 podSeed, uint256 tokenSeed, uint256 newcomerSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        Newcomer memory n = _newcomer(newcomerSeed);
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _replaceAbsentConsents(podId, s.holder, n, deadline);
        bool expected = _live(podId) && _pods[podId].activeCount >= 3 && _active(s) && _claimable(podId, s)
            && _absent(podId, s) && _indexPlusOne[podId][n.member] == 0;
        (bool ok, bytes memory reason) =
            _try(abi.encodeCall(troth.proposeReplacement, (podId, s.holder, n, deadline, consents)));
        if (!_agree("proposeReplacement", expected, ok, reason)) return;
        _actedEveryone(podId, s.holder);
        _claim(podId, s, ClaimKind.Replacement, n.member, n.keyringDigest);
    }

    /// @dev A new address asks for a (lost) member's commitment, with every other member's consent.
    function requestRecovery(uint256 podSeed, uint256 tokenSeed, uint256 accountSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        address account = actors[accountSeed % ACTOR_COUNT];
        bytes32 keyring = keccak256(abi.encode("recovery keyring", accountSeed));
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _recoverConsents(podId, s.holder, account, keyring, deadline);
        bool expected = _pods[podId].activeCount >= 2 && _vouchers(podId, s.holder) > 0 && _active(s)
            && _claimable(podId, s) && _indexPlusOne[podId][account] == 0;
        (bool ok, bytes memory reason) =
            _try(abi.encodeCall(troth.requestRecovery, (tokenId, account, keyring, deadline, consents)));
        if (!_agree("requestRecovery", expected, ok, reason)) return;
        _actedEveryone(podId, s.holder);
        _claim(podId, s, ClaimKind.Recovery, account, keyring);
    }

    function cancelClaim(uint256 podSeed, uint256 tokenSeed, uint256 callerSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        address caller = callerSeed % 4 == 0 ? actors[(callerSeed >> 8) % ACTOR_COUNT] : s.holder;
        bool expected = caller == s.holder && _active(s) && s.claim != ClaimKind.None;
        vm.prank(caller);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.cancelClaim, (tokenId)));
        if (_agree("cancelClaim", expected, ok, reason)) _acted(podId, s.holder);
    }

    /// @dev Anyone completes a claim once its window has passed, if the member never acted and the pod's keyring is
    /// the one the claim was made on. This is the only way a member leaves the active set without their own action
    /// or consent, so it is where the model checks the window.
    function completeClaim(uint256 podSeed, uint256 tokenSeed, uint256 waitSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        // Often wait for the window first, so claims get completed, not only refused.
        if (s.claim != ClaimKind.None && waitSeed % 2 == 0 && _now() < s.notBefore) vm.warp(s.notBefore);
        PodModel storage p = _pods[podId];
        bool expected = s.claim != ClaimKind.None && _active(s) && _now() >= s.notBefore
            && p.keyring == s.claimedOnKeyring
            && (s.claim == ClaimKind.Recovery || (_live(podId) && p.activeCount >= 3));
        ClaimKind kind = s.claim;
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.completeClaim, (tokenId)));
        if (!_agree("completeClaim", expected, ok, reason)) return;
        s.claim = ClaimKind.None;
        p.keyring = s.claimKeyring;
        if (kind == ClaimKind.Replacement) {
            _endSpan(podId, s, MemberStatus.Replaced);
            --p.activeCount;
            _admit(podId, s.successor);
        } else {
            // The record moves whole; the old address stays known to the pod (it can never rejoin).
            s.holder = s.successor;
            _indexPlusOne[podId][s.successor] = (tokenId & 0xff) + 1;
        }
    }

    function burn(uint256 podSeed, uint256 tokenSeed, uint256 callerSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        address caller = callerSeed % 4 == 0 ? actors[(callerSeed >> 8) % ACTOR_COUNT] : s.holder;
        bool expected =
            !s.burned && caller == s.holder && (s.status != MemberStatus.Active || !_live(podId));
        vm.prank(caller);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.burn, (tokenId)));
        if (!_agree("burn", expected, ok, reason)) return;
        _acted(podId, s.holder);
        s.burned = true;
        // Burning after the end keeps the record, as a member who stayed to the end.
        if (s.status == MemberStatus.Active) s.status = MemberStatus.Burned;
    }

    /// @dev Every way ERC-721 offers to move or delegate a token, from the holder or anyone else: none may work.
    function tryToMove(uint256 podSeed, uint256 tokenSeed, uint256 callerSeed, uint256 toSeed, uint8 how) external {
        (, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        address holder = _seats[tokenId].holder;
        address caller = callerSeed % 2 == 0 ? holder : actors[(callerSeed >> 8) % ACTOR_COUNT];
        address to = toSeed % 5 == 0 ? address(uint160(toSeed)) : actors[(toSeed >> 8) % ACTOR_COUNT];
        bytes memory call;
        how %= 5;
        if (how == 0) call = abi.encodeWithSelector(troth.transferFrom.selector, holder, to, tokenId);
        else if (how == 1) call = abi.encodeWithSignature(SAFE_TRANSFER, holder, to, tokenId);
        else if (how == 2) call = abi.encodeWithSignature(SAFE_TRANSFER_WITH_DATA, holder, to, tokenId, bytes("soul"));
        else if (how == 3) call = abi.encodeWithSelector(troth.approve.selector, to, tokenId);
        else call = abi.encodeWithSelector(troth.setApprovalForAll.selector, to, true);
        vm.prank(caller);
        (bool ok, bytes memory reason) = _try(call);
        _agree("tryToMove", false, ok, reason);
    }

    // ─── The model ─────────────────────────────────────────────────────────────────────────────────────────────

    function _clock(uint256 podId) internal view returns (int256) {
        PodModel storage p = _pods[podId];
        uint256 effective = p.pausedAt != 0 ? p.pausedAt : _now();
        return int256(effective) - int256(uint256(p.start)) - int256(p.pausedTotal);
    }

    function _closed(uint256 podId) internal view returns (uint8) {
        ModelEra[] memory eras = _eras[podId];
        return eras.closedCount(_pods[podId].rounds, _clock(podId));
    }

    /// @dev A pod is live until its last round closes or fewer than two active members remain.
    function _live(uint256 podId) internal view returns (bool) {
        PodModel storage p = _pods[podId];
        return p.activeCount >= 2 && _closed(podId) < p.rounds;
    }

    function _active(Seat storage s) internal view returns (bool) {
        return s.status == MemberStatus.Active;
    }

    /// @dev The round's quorum: its terms', shrunk to the witnesses that remain.
    function _quorum(uint256 podId, uint8 round) internal view returns (uint256) {
        ModelEra[] memory eras = _eras[podId];
        uint256 q = eras.quorum(round);
        uint256 active = _pods[podId].activeCount;
        uint256 witnesses = active > 0 ? active - 1 : 0;
        return q < witnesses ? q : witnesses;
    }

    /// @dev Whether `round` is open for the member now: the pod live, the round in the member's span and its window
    /// open on the pod clock (which stands still while the pod is paused: pausing closes nothing).
    function _isOpenFor(uint256 podId, Seat storage s, uint8 round) internal view returns (bool) {
        PodModel storage p = _pods[podId];
        if (p.activeCount < 2 || round < s.joinedRound || round >= p.rounds) return false;
        ModelEra[] memory eras = _eras[podId];
        return eras.isOpen(round, _clock(podId));
    }

    /// @dev A check-in of an active member, still open, waiting for witnesses.
    function _pending(uint256 podId, Seat storage s, uint8 round) internal view returns (bool) {
        return _active(s) && _isOpenFor(podId, s, round) && (s.reported >> round) & 1 == 1
            && (s.witnessed >> round) & 1 == 0;
    }

    /// @dev Whether `account` may witness the holder's check-in, given the witnesses `seen` so far. An address whose
    /// commitment moved to a new one (a recovery) holds no seat any more.
    function _canWitness(uint256 podId, address holder, address account, uint256 seen)
        internal
        view
        returns (bool, uint256 bit)
    {
        uint256 indexPlusOne = _indexPlusOne[podId][account];
        if (account == holder || indexPlusOne == 0) return (false, 0);
        Seat storage w = _seats[(podId << 8) | (indexPlusOne - 1)];
        if (w.status != MemberStatus.Active || w.holder != account) return (false, 0);
        bit = 1 << (indexPlusOne - 1);
        return (seen & bit == 0, bit);
    }

    /// @dev Whether every listed witness is valid (and honestly signed); their bits added to those `recorded` before.
    /// A witness already recorded is skipped, unchecked beyond being an active member (so a relayer who sent part of a
    /// list first cannot make the rest fail).
    function _judge(uint256 podId, address holder, address[] memory signers, uint256 forged, uint256 recorded)
        internal
        view
        returns (bool, uint256 seen)
    {
        seen = recorded;
        for (uint256 i; i < signers.length; ++i) {
            (bool member, uint256 bit) = _canWitness(podId, holder, signers[i], 0);
            if (!member) return (false, seen);
            if (recorded & bit != 0) continue;
            if (seen & bit != 0 || i == forged) return (false, seen);
            seen |= bit;
        }
        return (true, seen);
    }

    /// @dev How many of the witnesses `bits` are still active members: only they count toward a quorum.
    function _countActive(uint256 podId, uint256 bits) internal view returns (uint256 n) {
        for (uint256 i; bits >> i != 0; ++i) {
            if ((bits >> i) & 1 == 1 && _seats[(podId << 8) | i].status == MemberStatus.Active) ++n;
        }
    }

    /// @dev Absent: checked in for neither of the last two closed rounds of the span, and no restart since.
    function _absent(uint256 podId, Seat storage s) internal view returns (bool) {
        uint256 closed = _closed(podId);
        uint256 from = s.joinedRound > s.restartFrom ? s.joinedRound : s.restartFrom;
        return closed >= from + 2 && (s.reported >> (closed - 2)) & 3 == 0;
    }

    /// @dev The partners who can vouch for a recovery of `lost`'s seat: the other members still active. An ended pod
    /// keeps its counts when a member leaves after the end, so `activeCount` alone would count a partner who left.
    function _vouchers(uint256 podId, address lost) internal view returns (uint256 count) {
        for (uint256 i; i < _pods[podId].memberCount; ++i) {
            Seat storage w = _seats[(podId << 8) | i];
            if (w.status == MemberStatus.Active && w.holder != lost) ++count;
        }
    }

    /// @dev No claim stands on the seat, or only a stale one (made before the pod's keyring changed), which gives way.
    function _claimable(uint256 podId, Seat storage s) internal view returns (bool) {
        return s.claim == ClaimKind.None || s.claimedOnKeyring != _pods[podId].keyring;
    }

    function _claim(uint256 podId, Seat storage s, ClaimKind kind, address successor, bytes32 keyring) internal {
        ModelEra[] storage eras = _eras[podId];
        uint256 cadence = eras[eras.length - 1].cadence;
        s.claim = kind;
        s.successor = successor;
        s.notBefore = _now() + (cadence > 2 days ? cadence : 2 days);
        s.claimKeyring = keyring;
        s.claimedOnKeyring = _pods[podId].keyring;
    }

    /// @dev `account` acted in the pod (checked in, witnessed, consented, restarted, left, burned): any claim on their
    /// seat is cancelled.
    function _acted(uint256 podId, address account) internal {
        uint256 indexPlusOne = _indexPlusOne[podId][account];
        if (indexPlusOne == 0) return;
        Seat storage s = _seats[(podId << 8) | (indexPlusOne - 1)];
        if (s.holder == account) s.claim = ClaimKind.None;
    }

    function _actedAll(uint256 podId, address[] memory accounts) internal {
        for (uint256 i; i < accounts.length; ++i) {
            _acted(podId, accounts[i]);
        }
    }

    /// @dev Every active member but `skip` consented to a change.
    function _actedEveryone(uint256 podId, address skip) internal {
        PodModel storage p = _pods[podId];
        for (uint256 i; i < p.memberCount; ++i) {
            Seat storage s = _seats[(podId << 8) | i];
            if (s.status == MemberStatus.Active && s.holder != skip) s.claim = ClaimKind.None;
        }
    }

    /// @dev Records witnesses both sides accepted: witnessed exactly when their number reaches the round's quorum.
    function _settle(
        uint256 podId,
        uint256 tokenId,
        uint8 round,
        bytes32 report,
        uint256 seen,
        bool witnessed,
        bytes32 action
    ) internal {
        bool expected = _countActive(podId, seen) >= _quorum(podId, round);
        if (witnessed != expected) {
            _violations.push(
                Violation({
                    action: action,
                    kind: witnessed ? Disagreement.WitnessedBelowQuorum : Disagreement.QuorumNotHonoured,
                    reason: ""
                })
            );
        }
        if (expected) {
            _seats[tokenId].witnessed |= uint64(1) << round;
            delete _attested[tokenId][round];
            delete _reports[tokenId][round];
        } else {
            _attested[tokenId][round] = seen;
            _reports[tokenId][round] = report;
        }
    }

    /// @dev Closes a member's span: the closed rounds, and any round they had witnessed since, stay theirs.
    function _endSpan(uint256 podId, Seat storage s, MemberStatus status) internal {
        uint256 end = _closed(podId);
        for (uint256 r = end; r < 64; ++r) {
            if ((s.witnessed >> r) & 1 == 1) end = r + 1;
        }
        s.endRound = uint8(end > s.joinedRound ? end : s.joinedRound);
        s.status = status;
    }

    /// @dev A newcomer joins from the round open now (from round 0 before the start).
    function _admit(uint256 podId, address account) internal {
        PodModel storage p = _pods[podId];
        ModelEra[] memory eras = _eras[podId];
        (bool started, uint8 latest) = eras.current(p.rounds, _clock(podId));
        _seat(podId, p.memberCount, account, started ? latest : 0);
        ++p.memberCount;
        ++p.activeCount;
    }

    function _seat(uint256 podId, uint256 index, address account, uint8 joinedRound) internal {
        uint256 tokenId = (podId << 8) | index;
        _seats[tokenId] = Seat({
            holder: account,
            status: MemberStatus.Active,
            burned: false,
            joinedRound: joinedRound,
            endRound: 0,
            restartFrom: joinedRound,
            reported: 0,
            witnessed: 0,
            leftAfterEnd: false,
            claim: ClaimKind.None,
            successor: address(0),
            notBefore: 0,
            claimKeyring: 0,
            claimedOnKeyring: 0
        });
        _indexPlusOne[podId][account] = index + 1;
        tokens.push(tokenId);
    }

    // ─── Picking ───────────────────────────────────────────────────────────────────────────────────────────────

    function _pickPod(uint256 seed) internal view returns (uint256) {
        return podIds[seed % podIds.length];
    }

    function _pickToken(uint256 podSeed, uint256 tokenSeed) internal view returns (uint256 podId, uint256 tokenId) {
        podId = _pickPod(podSeed);
        tokenId = (podId << 8) | (tokenSeed % _pods[podId].memberCount);
    }

    /// @dev Three times in four, a token of the pod with a check-in waiting for witnesses, if there is one.
    function _pickPendingToken(uint256 podSeed, uint256 tokenSeed)
        internal
        view
        returns (uint256 podId, uint256 tokenId)
    {
        (podId, tokenId) = _pickToken(podSeed, tokenSeed);
        if (tokenSeed % 4 == 0) return (podId, tokenId);
        uint256 count = _pods[podId].memberCount;
        for (uint256 i; i < count; ++i) {
            uint256 candidate = (podId << 8) | ((tokenSeed + i) % count);
            Seat storage s = _seats[candidate];
            if (s.status == MemberStatus.Active && s.reported & ~s.witnessed != 0) return (podId, candidate);
        }
    }

    /// @dev Mostly the round open now or the one before it (still in grace); for witnesses, a pending round if any;
    /// sometimes any round, one past the last included.
    function _pickRound(uint256 podId, Seat storage s, uint256 seed, bool preferPending) internal view returns (uint8) {
        PodModel storage p = _pods[podId];
        if (seed % 8 == 0) return uint8((seed >> 8) % (uint256(p.rounds) + 1));
        ModelEra[] memory eras = _eras[podId];
        (, uint8 latest) = eras.current(p.rounds, _clock(podId));
        if (preferPending) {
            uint64 pending = s.reported & ~s.witnessed;
            for (uint256 r = latest + 1; r > 0; --r) {
                if ((pending >> (r - 1)) & 1 == 1) return uint8(r - 1);
            }
        }
        return seed % 3 == 0 && latest > 0 ? latest - 1 : latest;
    }

    /// @dev One run in five lists anyone (members, the holder, outsiders); otherwise distinct active members other
    /// than the holder who have not attested yet (`already`), in a rotated order, as many as the seed says.
    function _pickWitnesses(uint256 podId, address holder, uint256 seed, uint256 already)
        internal
        view
        returns (address[] memory list)
    {
        if (seed % 5 == 0) {
            list = new address[]((seed >> 8) % 4);
            for (uint256 i; i < list.length; ++i) {
                list[i] = actors[(seed >> (16 + 8 * i)) % ACTOR_COUNT];
            }
            return list;
        }
        PodModel storage p = _pods[podId];
        address[] memory candidates = new address[](p.memberCount);
        uint256 n;
        for (uint256 i; i < p.memberCount; ++i) {
            Seat storage w = _seats[(podId << 8) | i];
            if (w.status == MemberStatus.Active && w.holder != holder && (already >> i) & 1 == 0) {
                candidates[n++] = w.holder;
            }
        }
        list = new address[](n == 0 ? 0 : (seed >> 8) % (n + 1));
        for (uint256 i; i < list.length; ++i) {
            list[i] = candidates[((seed >> 16) + i) % n];
        }
    }

    /// @dev Signatures of `signers`; one run in eight forges one of them (signed over another report). Returns the
    /// forged position (`type(uint256).max` for none).
    function _witnessSignatures(
        uint256 tokenId,
        uint8 round,
        bytes32 report,
        address[] memory signers,
        uint256 seed
    ) internal view returns (Signature[] memory list, uint256 forged) {
        forged = signers.length > 0 && (seed >> 100) % 8 == 0 ? (seed >> 108) % signers.length : type(uint256).max;
        list = new Signature[](signers.length);
        for (uint256 i; i < signers.length; ++i) {
            list[i] = _witnessSignature(troth, signers[i], tokenId, round, i == forged ? ~report : report);
        }
    }

    function _newcomer(uint256 seed) internal view returns (Newcomer memory) {
        return Newcomer({
            member: actors[seed % ACTOR_COUNT],
            commitmentDigest: keccak256(abi.encode("newcomer", seed)),
            keyringDigest: keccak256(abi.encode("keyring", seed))
        });
    }

    // ─── Calling ───────────────────────────────────────────────────────────────────────────────────────────────

    function _try(bytes memory call) internal returns (bool ok, bytes memory returned) {
        (ok, returned) = address(troth).call(call);
    }

    /// @dev For the calls that answer whether the round is now witnessed.
    function _tryWitnessed(bytes memory call) internal returns (bool ok, bool witnessed, bytes memory returned) {
        (ok, returned) = _try(call);
        if (ok) witnessed = abi.decode(returned, (bool));
    }

    /// @dev Compares Troth's answer with the model's; true when both accepted the action.
    function _agree(bytes32 action, bool expected, bool ok, bytes memory reason) internal returns (bool) {
        if (ok != expected) {
            Disagreement kind = ok ? Disagreement.AcceptedAgainstTheRules : Disagreement.RefusedAgainstTheRules;
            _violations.push(Violation({action: action, kind: kind, reason: reason}));
        }
        if (ok) ++accepted[action];
        return ok && expected;
    }
}
