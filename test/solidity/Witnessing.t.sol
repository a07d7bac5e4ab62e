// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITrothErrors} from "../../contracts/interfaces/ITroth.sol";
import {Amendment, Covenant, Member, RoundState, Signature} from "../../contracts/types/TrothTypes.sol";
import {TrothFixture} from "./utils/TrothFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @title Property 2 (fuzz): a round is witnessed only by a quorum of distinct, active, non-self members, in its window
/// @notice Each run builds a pod with random size, quorum, cadence, grace and departures, then submits a random
/// witness list (members, the holder, departed members, outsiders, repeats and forged signatures) at a random time.
/// The expected outcome is worked out here from the rules alone (the window from the covenant's terms, the quorum
/// shrunk to the witnesses that remain) and the contract must agree exactly: same error, or same witnessed flag.
contract WitnessingTest is TrothFixture {
    struct Pod {
        uint256 podId;
        uint256 size;
        uint8 quorum;
        uint32 cadence;
        uint32 grace;
        uint8 rounds;
        uint40 start;
        uint256 holderIndex;
        address holder;
        uint256 tokenId;
        uint256 active;
        bool[8] left;
    }

    /// @dev How a witness entry is made: honestly, or forged one of several ways.
    enum Forgery {
        None,
        OtherKey, // signed by someone else's key in the signer's name
        OtherRound,
        OtherReport,
        OtherToken,
        Garbage
    }

    uint256 private constant FORGERIES = 6;
    /// @dev Passed as the quorum seed: every other member must witness.
    uint256 private constant FULL_QUORUM = type(uint256).max;
    uint256 private constant MAX_ENTRIES = 6;

    // ─── Setting up a random pod ───────────────────────────────────────────────────────────────────────────────

    function _pod(uint256 sizeSeed, uint256 quorumSeed, uint256 termsSeed, uint256 holderSeed, uint256 leaverMask)
        internal
        returns (Pod memory s)
    {
        s.size = _bound(sizeSeed, 2, MEMBER_POOL);
        s.quorum = uint8(quorumSeed == FULL_QUORUM ? s.size - 1 : _bound(quorumSeed, 1, s.size - 1));
        s.cadence = uint32(_bound(uint64(termsSeed), 1 days, 92 days));
        s.grace = uint32(_bound(uint64(termsSeed >> 64), 0, s.cadence));
        s.rounds = uint8(_bound(uint64(termsSeed >> 128), 1, 16));
        s.start = uint40(GENESIS + 1 hours);
        (s.podId,) = _createPod(s.size, s.cadence, s.grace, s.rounds, s.quorum, s.start, bytes32(termsSeed));
        s.holderIndex = holderSeed % s.size;
        s.holder = actors[s.holderIndex];
        s.tokenId = _tokenOf(s.podId, s.holderIndex);
        s.active = s.size;
        // Departures before the start; the pod keeps two members (the holder and one more) so it stays live.
        for (uint256 i; i < s.size; ++i) {
            if (i == s.holderIndex || (leaverMask >> i) & 1 == 0 || s.active == 2) continue;
            _leave(_tokenOf(s.podId, i));
            s.left[i] = true;
            --s.active;
        }
    }

    /// @dev The covenant's quorum, shrunk to the witnesses that remain.
    function _quorum(Pod memory s) internal pure returns (uint256) {
        return s.quorum < s.active - 1 ? s.quorum : s.active - 1;
    }

    /// @dev Round `round`'s window from the covenant's terms: opens at start + round·cadence, closes grace after the
    /// next round opens.
    function _isOpen(Pod memory s, uint8 round) internal view returns (bool) {
        if (round >= s.rounds) return false;
        uint256 opensAt = uint256(s.start) + uint256(round) * s.cadence;
        return opensAt <= _now() && _now() < opensAt + s.cadence + s.grace;
    }

    /// @dev Member index of `account` in the pod, or `type(uint256).max` for an outsider.
    function _indexOf(Pod memory s, address account) internal view returns (uint256) {
        for (uint256 i; i < s.size; ++i) {
            if (actors[i] == account) return i;
        }
        return type(uint256).max;
    }

    // ─── Building and judging a witness list ───────────────────────────────────────────────────────────────────

    /// @dev A third of the runs draw each entry from everyone (members, holder, outsiders); the rest list distinct
    /// active members (so partial and full quorums both occur) and a third of those then break exactly one rule: a
    /// forged signature, the holder, an outsider, a departed member or a repeated entry, at a random position.
    function _entries(Pod memory s, uint256 count, uint256[6] calldata picks, uint256 seed)
        internal
        view
        returns (address[] memory signers, Forgery[] memory forged)
    {
        if (seed % 3 == 0) {
            count = _bound(count, 0, MAX_ENTRIES);
            signers = new address[](count);
            for (uint256 i; i < count; ++i) {
                uint256 pick = picks[i] % (s.size + OUTSIDERS);
                signers[i] = pick < s.size ? actors[pick] : _outsider(pick);
            }
            forged = new Forgery[](count);
            if (count > 0 && (seed >> 8) % 4 == 0) {
                forged[(seed >> 16) % count] = Forgery(1 + (seed >> 24) % (FORGERIES - 1));
            }
            return (signers, forged);
        }
        address[] memory pool = _shuffledWitnesses(s, picks);
        count = _bound(count, 0, pool.length);
        uint256 rule = (seed >> 40) % 5;
        bool breaks = (seed >> 32) % 3 == 0;
        // Forging or repeating needs an honest entry; with none, the run lists the holder instead.
        if (breaks && (rule == 0 || rule == 4) && count == 0) rule = 1;
        bool inserts = breaks && rule != 0;
        signers = new address[](inserts ? count + 1 : count);
        forged = new Forgery[](signers.length);
        uint256 at = breaks ? (seed >> 48) % signers.length : type(uint256).max;
        uint256 k;
        for (uint256 i; i < signers.length; ++i) {
            if (!inserts || i != at) {
                signers[i] = pool[k++];
            } else if (rule == 1) {
                signers[i] = s.holder;
            } else if (rule == 2) {
                signers[i] = _outsider(seed >> 56);
            } else if (rule == 3) {
                signers[i] = _departed(s, seed >> 56);
            } else {
                // A repeat of an earlier entry, or of a later one when it comes first.
                signers[i] = pool[k > 0 ? (seed >> 56) % k : (seed >> 56) % count];
            }
        }
        if (breaks && rule == 0) forged[at] = Forgery(1 + (seed >> 56) % (FORGERIES - 1));
    }

    /// @dev The active members other than the holder, in an order drawn from `picks`.
    function _shuffledWitnesses(Pod memory s, uint256[6] calldata picks) internal view returns (address[] memory pool) {
        pool = new address[](s.active - 1);
        uint256 n;
        for (uint256 i; i < s.size; ++i) {
            if (i != s.holderIndex && !s.left[i]) pool[n++] = actors[i];
        }
        for (uint256 i = n; i > 1; --i) {
            uint256 j = uint256(keccak256(abi.encode(picks, i))) % i;
            (pool[i - 1], pool[j]) = (pool[j], pool[i - 1]);
        }
    }

    /// @dev A member who left, or an outsider if nobody did.
    function _departed(Pod memory s, uint256 seed) internal view returns (address) {
        for (uint256 i; i < s.size; ++i) {
            uint256 j = (i + seed) % s.size;
            if (s.left[j]) return actors[j];
        }
        return _outsider(seed);
    }

    function _signatures(Pod memory s, uint8 round, bytes32 report, address[] memory signers, Forgery[] memory forged)
        internal
        view
        returns (Signature[] memory list)
    {
        list = new Signature[](signers.length);
        for (uint256 i; i < signers.length; ++i) {
            address w = signers[i];
            Forgery f = forged[i];
            uint256 tokenId = f == Forgery.OtherToken ? _tokenOf(s.podId, (s.holderIndex + 1) % s.size) : s.tokenId;
            uint8 r = f == Forgery.OtherRound ? round + 1 : round;
            bytes32 digest = _witnessDigest(troth, tokenId, r, f == Forgery.OtherReport ? ~report : report);
            if (f == Forgery.OtherKey) list[i] = Signature({signer: w, signature: _sign(_outsider(1), digest)});
            else if (f == Forgery.Garbage) list[i] = Signature(w, abi.encodePacked(digest, ~digest, uint8(27)));
            else list[i] = Signature({signer: w, signature: _sign(w, digest)});
        }
    }

    /// @dev The first rule the list breaks, in the order the rules are documented (self, membership, activity,
    /// repetition, signature), or nothing and the number of valid witnesses, counting from the `seen` already there.
    function _judge(Pod memory s, uint8 round, address[] memory signers, Forgery[] memory forged, uint256 seen)
        internal
        view
        returns (bytes memory error, uint256 seenAfter)
    {
        for (uint256 i; i < signers.length; ++i) {
            address w = signers[i];
            uint256 index = _indexOf(s, w);
            if (w == s.holder) return (abi.encodeWithSelector(ITrothErrors.WitnessSelf.selector, s.tokenId, w), 0);
            if (index == type(uint256).max) {
                return (abi.encodeWithSelector(ITrothErrors.WitnessNotMember.selector, s.podId, w), 0);
            }
            if (s.left[index]) return (abi.encodeWithSelector(ITrothErrors.WitnessInactive.selector, s.podId, w), 0);
            if ((seen >> index) & 1 == 1) {
                return (abi.encodeWithSelector(ITrothErrors.WitnessDuplicate.selector, s.tokenId, round, w), 0);
            }
            if (forged[i] != Forgery.None) {
                return (abi.encodeWithSelector(ITrothErrors.WitnessInvalidSignature.selector, s.tokenId, round, w), 0);
            }
            seen |= 1 << index;
        }
        return ("", seen);
    }

    function _popcount(uint256 x) internal pure returns (uint256 n) {
        for (; x != 0; x &= x - 1) {
            ++n;
        }
    }

    function _assertRound(Pod memory s, uint8 round, bool reported, bool witnessed) internal view {
        Member memory m = troth.memberRecord(s.podId, s.holder);
        vm.assertEq((m.reported >> round) & 1 == 1, reported, "reported bit");
        vm.assertEq((m.witnessed >> round) & 1 == 1, witnessed, "witnessed bit");
    }

    // ─── Check-in with witnesses ───────────────────────────────────────────────────────────────────────────────

    /// hardhat-config: fuzz.runs = 384
    function testFuzz_CheckInIsWitnessedOnlyByAQuorumOfValidWitnesses(
        uint256 sizeSeed,
        uint256 quorumSeed,
        uint256 termsSeed,
        uint256 holderSeed,
        uint256 leaverMask,
        uint256 elapsed,
        uint8 round,
        uint256 count,
        uint256[6] calldata picks,
        uint256 forgerySeed
    ) public {
        Pod memory s = _pod(sizeSeed, quorumSeed, termsSeed, holderSeed, leaverMask);
        round = uint8(_bound(round, 0, s.rounds)); // one past the last round is tried too
        // Anywhere from before the start to after the last round closed; most runs land inside round `round`.
        uint256 roundOpens = uint256(s.start) + uint256(round) * s.cadence;
        uint256 at = elapsed % 3 == 0
            ? _bound(elapsed, GENESIS, uint256(s.start) + uint256(s.rounds + 1) * s.cadence + s.grace)
            : _bound(elapsed, roundOpens, roundOpens + s.cadence + s.grace - 1);
        vm.warp(at);

        bytes32 report = keccak256(abi.encode("report", elapsed));
        (address[] memory signers, Forgery[] memory forged) = _entries(s, count, picks, forgerySeed);
        Signature[] memory list = _signatures(s, round, report, signers, forged);

        (bytes memory error, uint256 seen) = _isOpen(s, round)
            ? _judge(s, round, signers, forged, 0)
            : (abi.encodeWithSelector(ITrothErrors.CheckInRoundNotOpen.selector, s.tokenId, round), 0);
        if (error.length != 0) {
            vm.expectRevert(error);
            vm.prank(s.holder);
            troth.checkIn(s.tokenId, round, report, _witnessList(list));
            if (round < s.rounds) _assertRound(s, round, false, false);
            return;
        }

        bool expected = _popcount(seen) >= _quorum(s);
        vm.prank(s.holder);
        bool witnessed = troth.checkIn(s.tokenId, round, report, _witnessList(list));
        vm.assertEq(witnessed, expected, "witnessed iff the valid witnesses reach quorum");
        _assertRound(s, round, true, expected);
        if (expected) return;

        // Still pending: the remaining active members witness one by one, by transaction or by signature, and the
        // round is witnessed exactly when their number reaches quorum. Every invalid witness is turned away on the way.
        (bytes32 pending, uint256 pendingSeen) = troth.pendingReport(s.tokenId, round);
        vm.assertEq(pending, report, "pending report kept");
        vm.assertEq(pendingSeen, seen, "pending witnesses kept");
        _witnessTheRest(s, round, report, seen, forgerySeed);
    }

    function _witnessTheRest(Pod memory s, uint8 round, bytes32 report, uint256 seen, uint256 seed) internal {
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessSelf.selector, s.tokenId, s.holder));
        vm.prank(s.holder);
        troth.witness(s.tokenId, round, report);

        address outsider = _outsider(seed);
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessNotMember.selector, s.podId, outsider));
        vm.prank(outsider);
        troth.witness(s.tokenId, round, report);

        for (uint256 i; i < s.size; ++i) {
            address w = actors[i];
            if (i == s.holderIndex) continue;
            if (s.left[i]) {
                vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessInactive.selector, s.podId, w));
                vm.prank(w);
                troth.witness(s.tokenId, round, report);
                continue;
            }
            if ((seen >> i) & 1 == 1) {
                // Again by transaction: a duplicate. Again by signature: skipped, so a list sent in part first never
                // makes the rest fail; the round stays as it was.
                vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessDuplicate.selector, s.tokenId, round, w));
                vm.prank(w);
                troth.witness(s.tokenId, round, report);
                bytes memory again = _witnessList(_witnessSignature(troth, w, s.tokenId, round, report));
                vm.assertFalse(troth.witnessBySig(s.tokenId, round, again), "a recorded witness is counted once");
                continue;
            }
            seen |= 1 << i;
            bool expected = _popcount(seen) >= _quorum(s);
            bool witnessed;
            if ((seed >> i) & 1 == 1) {
                vm.prank(w);
                witnessed = troth.witness(s.tokenId, round, report);
            } else {
                bytes memory signed = _witnessList(_witnessSignature(troth, w, s.tokenId, round, report));
                witnessed = troth.witnessBySig(s.tokenId, round, signed);
            }
            vm.assertEq(witnessed, expected, "late witness: witnessed iff quorum reached");
            _assertRound(s, round, true, expected);
            if (expected) {
                // Once witnessed, nothing more can be added and the pending record is gone.
                (bytes32 pending, uint256 pendingSeen) = troth.pendingReport(s.tokenId, round);
                vm.assertEq(pending, bytes32(0), "pending report cleared");
                vm.assertTrue(pendingSeen == 0 || _popcount(pendingSeen) == 1, "pending witnesses cleared");
                return;
            }
        }
        revert("every active member witnessed and quorum was never reached");
    }

    // ─── The window ────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Witnesses arriving at random later times count only while the round is open; once it closes the round
    /// is missed for good.
    function testFuzz_LateWitnessesCountOnlyInsideTheWindow(
        uint256 sizeSeed,
        uint256 termsSeed,
        uint256 holderSeed,
        uint8 round,
        uint256 checkInAt,
        uint32[7] calldata gaps
    ) public {
        // Full quorum, no departures: every other member must witness.
        Pod memory s = _pod(sizeSeed, FULL_QUORUM, termsSeed, holderSeed, 0);
        round = uint8(_bound(round, 0, s.rounds - 1));
        uint256 opensAt = uint256(s.start) + uint256(round) * s.cadence;
        uint256 closesAt = opensAt + s.cadence + s.grace;
        vm.warp(_bound(checkInAt, opensAt, closesAt - 1));
        bytes32 report = keccak256(abi.encode("late", checkInAt));
        vm.prank(s.holder);
        vm.assertFalse(troth.checkIn(s.tokenId, round, report, _noWitnesses()), "no witness, no quorum");

        uint256 witnesses;
        for (uint256 i; i < s.size; ++i) {
            if (i == s.holderIndex) continue;
            vm.warp(_now() + _bound(gaps[i % 7], 0, s.cadence));
            if (_now() >= closesAt) {
                vm.expectRevert(abi.encodeWithSelector(ITrothErrors.CheckInRoundNotOpen.selector, s.tokenId, round));
                vm.prank(actors[i]);
                troth.witness(s.tokenId, round, report);
                _assertRound(s, round, true, false);
                vm.assertEq(uint8(lens.roundStates(s.tokenId)[round]), uint8(RoundState.Missed), "closed: missed");
                return;
            }
            ++witnesses;
            vm.prank(actors[i]);
            bool witnessed = troth.witness(s.tokenId, round, report);
            vm.assertEq(witnessed, witnesses == s.quorum, "witnessed at the last witness");
        }
        _assertRound(s, round, true, true);
        vm.warp(closesAt + s.cadence);
        vm.assertEq(uint8(lens.roundStates(s.tokenId)[round]), uint8(RoundState.Witnessed), "stays witnessed");
    }

    /// @dev A witness must attest the report that was checked in.
    function testFuzz_WitnessMustAttestTheReportCheckedIn(uint256 termsSeed, bytes32 report, bytes32 other) public {
        vm.assume(report != other && report != 0);
        Pod memory s = _pod(3, 2, termsSeed, 0, 0);
        vm.warp(s.start);
        vm.prank(s.holder);
        troth.checkIn(s.tokenId, 0, report, _noWitnesses());
        vm.expectRevert(
            abi.encodeWithSelector(ITrothErrors.CheckInReportMismatch.selector, s.tokenId, 0, report, other)
        );
        vm.prank(actors[1]);
        troth.witness(s.tokenId, 0, other);
        // A signature over another report does not verify against the one checked in.
        bytes memory overOther = _witnessList(_witnessSignature(troth, actors[1], s.tokenId, 0, other));
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessInvalidSignature.selector, s.tokenId, 0, actors[1]));
        troth.witnessBySig(s.tokenId, 0, overOther);
        _assertRound(s, 0, true, false);
    }

    // ─── The quorum as members come and go ─────────────────────────────────────────────────────────────────────

    /// @dev A round's quorum is its era's, shrunk to the witnesses that remain; once members are added back it grows
    /// again. A check-in made while the quorum was shrunk must not keep the shrunk quorum after it has grown. The
    /// hazard: `_checkIn` caches the round's quorum in the member record for `witness`, and a quorum capped by the
    /// members present then is too low once partners join (before the fix, one witness settled a quorum of three).
    function test_QuorumGrownBackByNewMembersStillApplies() public {
        (uint256 podId, Covenant memory c) = _createPod(4, 7 days, 7 days, 8, 3, uint40(GENESIS + 1 hours), "regrow");
        vm.warp(c.start);
        // New terms from round 1: round 0 keeps its era (quorum three).
        Amendment memory a = Amendment({cadence: 7 days, grace: 7 days, quorum: 1, covenantDigest: "amended"});
        uint256 deadline = _now() + 1 days;
        troth.amend(podId, a, deadline, _amendConsents(podId, a, deadline));
        // Two members leave: round 0's quorum shrinks to the one witness that remains.
        _leave(_tokenOf(podId, 1));
        _leave(_tokenOf(podId, 2));
        vm.assertEq(lens.roundWindow(podId, 0).quorum, 1, "shrunk to the remaining witness");

        uint256 tokenId = _tokenOf(podId, 0);
        bytes32 report = keccak256("regrow report");
        vm.prank(actors[0]);
        vm.assertFalse(troth.checkIn(tokenId, 0, report, _noWitnesses()), "no witness yet");

        // Two newcomers: three witnesses remain again, and round 0's quorum is three again.
        _addMember(podId, actors[4]);
        _addMember(podId, actors[5]);
        vm.assertEq(lens.roundWindow(podId, 0).quorum, 3, "grown back to the era's quorum");
        // A check-in of the same round made now rightly needs all three.
        uint256 other = _tokenOf(podId, 3);
        bytes memory oneWitness = _witnessList(_witnessSignature(troth, actors[4], other, 0, report));
        vm.prank(actors[3]);
        vm.assertFalse(troth.checkIn(other, 0, report, oneWitness), "a check-in made now needs three witnesses");

        vm.prank(actors[3]);
        bool witnessed = troth.witness(tokenId, 0, report);
        vm.assertFalse(witnessed, "one witness cannot meet a quorum of three");
        vm.assertEq(troth.memberRecord(podId, actors[0]).witnessed, 0, "round 0 still waits for witnesses");
    }
}
