// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Amendment, Covenant, MemberStatus, Newcomer, Signature} from "../../../contracts/types/TrothTypes.sol";
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

    /// @dev The actions the invariant campaign calls, with their weights: the runner picks uniformly from the list, so
    /// an action listed n times comes n times as often. Check-ins and witnesses (what the protocol is about) and time
    /// (so rounds open and close under the other actions) outweigh the changes that end a pod's useful life.
    function actions() external pure returns (bytes4[] memory list) {
        bytes4[14] memory selectors = [
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
            this.createPod.selector
        ];
        uint8[14] memory weights = [8, 5, 5, 5, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1];
        list = new bytes4[](35);
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
        uint32 cadence = uint32(1 days + (seed >> 16) % 6 days);
        uint32 grace = uint32((seed >> 48) % (uint256(cadence) + 1));
        uint8 rounds = uint8(2 + (seed >> 80) % (MAX_ROUNDS - 1));
        uint8 quorum = uint8(1 + (seed >> 88) % (size - 1));
        // Anywhere from a round already under way to a day ahead (round 0 must not have closed yet).
        uint40 start = uint40(_now() + 1 days - (seed >> 96) % (uint256(cadence) + grace));
        bytes32 salt = keccak256(abi.encode(seed, podIds.length));
        Covenant memory c = _covenant(members, cadence, grace, rounds, quorum, start, _now(), salt);
        uint256 podId = troth.createPod(c, _signCovenant(troth, c));
        podIds.push(podId);
        _pods[podId] = PodModel({
            start: start,
            rounds: rounds,
            memberCount: uint8(size),
            activeCount: uint8(size),
            pausedAt: 0,
            pausedTotal: 0
        });
        _eras[podId].push(ModelEra({fromRound: 0, fromClock: 0, cadence: cadence, grace: grace, quorum: quorum}));
        for (uint256 i; i < size; ++i) {
            _seat(podId, i, members[i], 0);
        }
    }

    // ─── Actions: rounds ───────────────────────────────────────────────────────────────────────────────────────

    function checkIn(uint256 podSeed, uint256 tokenSeed, uint256 roundSeed, uint256 witnessSeed) external {
        (uint256 podId, uint256 tokenId) = _pickToken(podSeed, tokenSeed);
        Seat storage s = _seats[tokenId];
        uint8 round = _pickRound(podId, s, roundSeed, false);
        bytes32 report = keccak256(abi.encode("report", tokenId, round, witnessSeed));
        address[] memory signers = _pickWitnesses(podId, s.holder, witnessSeed, 0);
        (Signature[] memory list, uint256 forged) = _witnessSignatures(tokenId, round, report, signers, witnessSeed);

        (bool valid, uint256 seen) = _judge(podId, s.holder, signers, forged, 0);
        // No new check-in while the pod is paused.
        bool expected = valid && _active(s) && _pods[podId].pausedAt == 0 && _isOpenFor(podId, s, round)
            && (s.reported >> round) & 1 == 0;

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
        if (!_agree("checkIn", expected, ok, reason)) return;
        s.reported |= uint64(1) << round;
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
        // A witness already recorded may attest again only to settle a check-in whose recorded witnesses meet a
        // quorum that shrank since; otherwise it is a duplicate.
        if (before & bit != 0) valid = valid && _count(before) >= _quorum(podId, round);
        expected = expected && valid;

        vm.prank(caller);
        (bool ok, bool witnessed, bytes memory reason) =
            _tryWitnessed(abi.encodeCall(troth.witness, (tokenId, round, report)));
        if (!_agree("witness", expected, ok, reason)) return;
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
        bool expected = s.status == MemberStatus.Active && missed != 0;
        vm.prank(s.holder);
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.restart, (tokenId, bytes32(tokenSeed))));
        if (_agree("restart", expected, ok, reason)) s.restartFrom = closed;
    }

    // ─── Actions: life of a pod ────────────────────────────────────────────────────────────────────────────────

    function pause(uint256 podSeed) external {
        uint256 podId = _pickPod(podSeed);
        uint256 deadline = _now() + 1 hours;
        Signature[] memory consents = _pauseConsents(podId, deadline);
        bool expected = _live(podId) && _pods[podId].pausedAt == 0;
        (bool ok, bytes memory reason) = _try(abi.encodeCall(troth.pause, (podId, deadline, consents)));
        if (_agree("pause", expected, ok, reason)) _pods[podId].pausedAt = _now();
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
        // Leaving an ended pod records the member's choice but leaves the pod as it ended.
        bool ended = !_live(podId);
        _endSpan(podId, s, MemberStatus.Left);
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
        if (_agree("addMember", expected, ok, reason)) _admit(podId, n.member);
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
        _endSpan(podId, s, MemberStatus.Replaced);
        --_pods[podId].activeCount;
        _admit(podId, n.member);
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

    /// @dev Whether `account` may witness the holder's check-in, given the witnesses `seen` so far.
    function _canWitness(uint256 podId, address holder, address account, uint256 seen)
        internal
        view
        returns (bool, uint256 bit)
    {
        uint256 indexPlusOne = _indexPlusOne[podId][account];
        if (account == holder || indexPlusOne == 0) return (false, 0);
        if (_seats[(podId << 8) | (indexPlusOne - 1)].status != MemberStatus.Active) return (false, 0);
        bit = 1 << (indexPlusOne - 1);
        return (seen & bit == 0, bit);
    }

    /// @dev Whether every listed witness is valid (and honestly signed); their bits added to `seen`.
    function _judge(uint256 podId, address holder, address[] memory signers, uint256 forged, uint256 seen)
        internal
        view
        returns (bool, uint256)
    {
        for (uint256 i; i < signers.length; ++i) {
            (bool valid, uint256 bit) = _canWitness(podId, holder, signers[i], seen);
            if (!valid || i == forged) return (false, seen);
            seen |= bit;
        }
        return (true, seen);
    }

    function _count(uint256 bits) internal pure returns (uint256 n) {
        for (; bits != 0; bits &= bits - 1) {
            ++n;
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
        bool expected = _count(seen) >= _quorum(podId, round);
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
            witnessed: 0
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
