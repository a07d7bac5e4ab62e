// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITrothErrors} from "../../contracts/interfaces/ITroth.sol";
import {Amendment, Covenant, Signature} from "../../contracts/types/TrothTypes.sol";
import {ITrothToken} from "./utils/ITrothToken.sol";
import {TrothFixture} from "./utils/TrothFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @title Property 3 (fuzz): no signature is accepted twice, or for another token, round, report, chain or contract
abstract contract SignatureFixture is TrothFixture {
    /// @dev Weekly rounds with a full week of grace, so two consecutive rounds are open at once.
    uint32 internal constant CADENCE = 7 days;
    uint32 internal constant GRACE = 7 days;
    uint8 internal constant ROUNDS = 8;

    function _overlappingPod(bytes32 salt) internal returns (uint256 podId, Covenant memory c) {
        return _createPod(3, CADENCE, GRACE, ROUNDS, 1, uint40(GENESIS + 1 hours), salt);
    }

    /// @dev A time at which rounds `round` and `round + 1` are both open.
    function _bothOpen(uint40 start, uint8 round, uint256 offset) internal pure returns (uint256) {
        return uint256(start) + uint256(round + 1) * CADENCE + offset % GRACE;
    }

    function _invalidWitness(uint256 tokenId, uint8 round, address witness) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITrothErrors.WitnessInvalidSignature.selector, tokenId, round, witness);
    }

    function _invalidConsent(address signer, bytes32 digest) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITrothErrors.ConsentInvalidSignature.selector, signer, digest);
    }
}

/// @notice Witness and check-in signatures: bound to token, round and report; used once; a malleated twin never counts
/// twice.
contract RoundSignaturesTest is SignatureFixture {
    // ─── Witness signatures ────────────────────────────────────────────────────────────────────────────────────

    function testFuzz_WitnessSignatureCountsOnlyForItsTokenRoundAndReport(
        uint8 round,
        uint256 offset,
        bytes32 report,
        bytes32 otherReport
    ) public {
        // A zero report digest is refused before any witness is looked at.
        vm.assume(report != otherReport && report != 0 && otherReport != 0);
        (uint256 podId, Covenant memory c) = _overlappingPod("witness");
        (uint256 twinPodId,) = _overlappingPod("twin"); // same members, another pod
        round = uint8(_bound(round, 0, ROUNDS - 2));
        vm.warp(_bothOpen(c.start, round, offset));
        (address a, address b, address third) = (actors[0], actors[1], actors[2]);
        uint256 tokenA = _tokenOf(podId, 0);
        bytes memory fromB = _witnessList(_witnessSignature(troth, b, tokenA, round, report));

        // Another member's token of the same pod.
        uint256 tokenC = _tokenOf(podId, 2);
        vm.expectRevert(_invalidWitness(tokenC, round, b));
        vm.prank(third);
        troth.checkIn(tokenC, round, report, fromB);
        // The same member's token in another pod.
        uint256 twinA = _tokenOf(twinPodId, 0);
        vm.expectRevert(_invalidWitness(twinA, round, b));
        vm.prank(a);
        troth.checkIn(twinA, round, report, fromB);
        // Another round (open too).
        vm.expectRevert(_invalidWitness(tokenA, round + 1, b));
        vm.prank(a);
        troth.checkIn(tokenA, round + 1, report, fromB);
        // Another report.
        vm.expectRevert(_invalidWitness(tokenA, round, b));
        vm.prank(a);
        troth.checkIn(tokenA, round, otherReport, fromB);

        // Where it belongs it counts, once.
        vm.prank(a);
        vm.assertTrue(troth.checkIn(tokenA, round, report, fromB), "genuine signature witnesses");
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.CheckInNotPending.selector, tokenA, round));
        troth.witnessBySig(tokenA, round, fromB);
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.CheckInAlreadyReported.selector, tokenA, round));
        vm.prank(a);
        troth.checkIn(tokenA, round, report, fromB);
    }

    /// @dev An on-chain approval stands for a signature over one digest only.
    function testFuzz_ApprovedHashCountsOnlyForItsDigest(uint8 round, uint256 offset, bytes32 report) public {
        vm.assume(report != 0);
        (uint256 podId, Covenant memory c) = _overlappingPod("approved");
        round = uint8(_bound(round, 0, ROUNDS - 2));
        vm.warp(_bothOpen(c.start, round, offset));
        uint256 tokenA = _tokenOf(podId, 0);
        address b = actors[1];
        bytes32 digest = _witnessDigest(troth, tokenA, round, report);
        vm.prank(b);
        troth.approveHash(digest);
        bytes memory approval = _witnessList(Signature({signer: b, signature: ""}));

        vm.expectRevert(_invalidWitness(tokenA, round + 1, b));
        vm.prank(actors[0]);
        troth.checkIn(tokenA, round + 1, report, approval);
        // Someone else's approval is not B's.
        bytes memory borrowed = _witnessList(Signature({signer: actors[2], signature: ""}));
        vm.expectRevert(_invalidWitness(tokenA, round, actors[2]));
        vm.prank(actors[0]);
        troth.checkIn(tokenA, round, report, borrowed);

        vm.prank(actors[0]);
        vm.assertTrue(troth.checkIn(tokenA, round, report, approval), "approved digest witnesses");
    }

    /// @dev The mirrored twin of a signature (s' = n − s, v flipped) recovers the same signer, and Troth accepts it
    /// as that signer's (it uses signatures only as proof of consent, never as identifiers). What must hold is that
    /// the twin never makes one attestation count twice: beside the original it is a duplicate, and after the
    /// original it is spent with the round.
    function testFuzz_MalleatedTwinNeverCountsTwice(bytes32 report, uint256 offset) public {
        vm.assume(report != 0);
        (uint256 podId, Covenant memory c) =
            _createPod(3, CADENCE, GRACE, ROUNDS, 2, uint40(GENESIS + 1 hours), "twin");
        vm.warp(_bothOpen(c.start, 0, offset));
        uint256 tokenA = _tokenOf(podId, 0);
        address b = actors[1];
        bytes32 digest = _witnessDigest(troth, tokenA, 0, report);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyOf[b], digest);
        Signature memory original = Signature({signer: b, signature: abi.encodePacked(r, s, v)});
        (uint8 twinV, bytes32 twinS) = (v == 27 ? 28 : 27, bytes32(SECP256K1_ORDER - uint256(s)));
        Signature memory twin = Signature({signer: b, signature: abi.encodePacked(r, twinS, twinV)});
        vm.assertEq(ecrecover(digest, twinV, r, twinS), b, "the twin recovers B");

        // Both in one list: B counted once (quorum 2 is not reached by B twice).
        Signature[] memory both = new Signature[](2);
        (both[0], both[1]) = (original, twin);
        bytes memory list = _witnessList(both);
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.WitnessDuplicate.selector, tokenA, 0, b));
        vm.prank(actors[0]);
        troth.checkIn(tokenA, 0, report, list);

        // The original recorded; the twin is then B again, skipped (B counts once), by signature or by a check-in
        // sent again.
        vm.prank(actors[0]);
        vm.assertFalse(troth.checkIn(tokenA, 0, report, _witnessList(original)), "one witness of two");
        bytes memory again = _witnessList(twin);
        vm.assertFalse(troth.witnessBySig(tokenA, 0, again), "the twin adds nothing");
        vm.prank(actors[0]);
        vm.assertFalse(troth.checkIn(tokenA, 0, report, again), "nor does it in a check-in sent again");
        vm.assertEq(_memberRecord(tokenA).witnessed, 0, "still one witness short");
    }

    // ─── Member signatures ─────────────────────────────────────────────────────────────────────────────────────

    function testFuzz_CheckInSignatureCountsOnlyForItsTokenAndRound(
        uint8 round,
        uint256 offset,
        bytes32 report,
        address relayer
    ) public {
        vm.assume(report != 0);
        (uint256 podId, Covenant memory c) = _overlappingPod("check-in");
        round = uint8(_bound(round, 0, ROUNDS - 2));
        vm.warp(_bothOpen(c.start, round, offset));
        uint256 tokenA = _tokenOf(podId, 0);
        uint256 tokenB = _tokenOf(podId, 1);
        bytes memory bySig = _sign(actors[0], _checkInDigest(tokenA, round, report));
        bytes memory none = _noWitnesses();

        vm.expectRevert(_invalidConsent(actors[0], _checkInDigest(tokenA, round + 1, report)));
        vm.prank(relayer);
        troth.checkInBySig(tokenA, round + 1, report, bySig, none);
        vm.expectRevert(_invalidConsent(actors[1], _checkInDigest(tokenB, round, report)));
        vm.prank(relayer);
        troth.checkInBySig(tokenB, round, report, bySig, none);

        vm.prank(relayer);
        troth.checkInBySig(tokenA, round, report, bySig, none);
        // Sent again, the same signature adds only the witnesses it brings (none): the check-in is as it was.
        vm.prank(relayer);
        vm.assertFalse(troth.checkInBySig(tokenA, round, report, bySig, none), "a replay adds nothing");
        (bytes32 pending, uint256 witnesses) = troth.pendingReport(tokenA, round);
        vm.assertEq(pending, report, "the report stands");
        vm.assertEq(witnesses, 0, "no witness was added");
    }
}

/// @notice Covenant and consent signatures, and every signature's domain: chain and deployment.
contract ConsentSignaturesTest is SignatureFixture {
    // ─── Covenants and consents ────────────────────────────────────────────────────────────────────────────────

    /// @dev A covenant creates one pod; its signatures are worth nothing for any other covenant.
    function testFuzz_CovenantSignaturesCreateOnePodOnly(bytes32 salt, uint8 field, uint32 shift) public {
        shift = uint32(_bound(shift, 1, 1 hours));
        Covenant memory c = _covenant(_firstMembers(3), 7 days, 2 days, 4, 1, uint40(GENESIS + 1 hours), GENESIS, salt);
        bytes[] memory signatures = _signCovenant(troth, c);
        uint256 podId = troth.createPod(c, signatures);

        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.PodAlreadyExists.selector, podId));
        troth.createPod(c, signatures);
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.PodAlreadyExists.selector, podId));
        vm.prank(actors[0]);
        troth.acceptCovenant(c);

        // Any change to what was signed makes another digest that nobody signed.
        field = uint8(field % 8);
        if (field == 0) c.salt = ~c.salt;
        else if (field == 1) c.start += shift;
        else if (field == 2) c.quorum = 2;
        else if (field == 3) c.cadence += shift;
        else if (field == 4) (c.members[0], c.members[1]) = (c.members[1], c.members[0]);
        else if (field == 5) c.deadline += shift;
        else if (field == 6) c.commitmentDigests[2] = ~c.commitmentDigests[2];
        else c.keyringDigest = ~c.keyringDigest;
        bytes32 digest = troth.hashCovenant(c);
        vm.expectRevert(_invalidConsent(c.members[0], digest));
        troth.createPod(c, signatures);
    }

    /// @dev Every consent-gated change consumes the pod's nonce: its consents cannot be replayed, nor used for
    /// another pod.
    function testFuzz_ConsentsAreSpentOnce(uint32 pausedFor, uint32 cadence, bytes32 covenantDigest) public {
        (uint256 podId, Covenant memory c) = _overlappingPod("consents");
        (uint256 otherPodId,) = _overlappingPod("other consents");
        vm.warp(c.start + 1);
        uint256 deadline = _now() + 1 days;

        bytes32 pauseDigest = _pauseDigest(podId, troth.podRecord(podId).nonce, deadline);
        Signature[] memory pauseConsents = _consents(podId, pauseDigest, address(0), address(0));
        vm.expectRevert(_invalidConsent(actors[0], _pauseDigest(otherPodId, 0, deadline)));
        troth.pause(otherPodId, deadline, pauseConsents);
        troth.pause(podId, deadline, pauseConsents);

        vm.warp(_now() + _bound(pausedFor, 1, 12 hours));
        bytes32 resumeDigest = _resumeDigest(podId, troth.podRecord(podId).nonce, deadline);
        Signature[] memory resumeConsents = _consents(podId, resumeDigest, address(0), address(0));
        troth.resume(podId, deadline, resumeConsents);

        uint32 nonce = troth.podRecord(podId).nonce;
        vm.expectRevert(_invalidConsent(actors[0], _pauseDigest(podId, nonce, deadline)));
        troth.pause(podId, deadline, pauseConsents);
        // A resume needs a paused pod: pause it with fresh consents, then replay the old resume.
        _pause(podId);
        nonce = troth.podRecord(podId).nonce;
        vm.expectRevert(_invalidConsent(actors[0], _resumeDigest(podId, nonce, deadline)));
        troth.resume(podId, deadline, resumeConsents);
        _resume(podId);

        Amendment memory a = Amendment({
            cadence: uint32(_bound(cadence, 7 days, 92 days)), grace: 1 days, quorum: 2, covenantDigest: covenantDigest
        });
        Signature[] memory amendConsents = _amendConsents(podId, a, deadline);
        troth.amend(podId, a, deadline, amendConsents);
        nonce = troth.podRecord(podId).nonce;
        vm.expectRevert(_invalidConsent(actors[0], _amendDigest(podId, a, nonce, deadline)));
        troth.amend(podId, a, deadline, amendConsents);
    }

    // ─── Other chains, other deployments ───────────────────────────────────────────────────────────────────────

    function testFuzz_SignaturesDoNotCrossChains(uint64 otherChainId, bytes32 report) public {
        vm.assume(report != 0);
        // Read through a call: with viaIR, `block.chainid` may be re-read after `vm.chainId` has changed it.
        (,,, uint256 homeChainId,,,) = troth.eip712Domain();
        vm.assume(otherChainId != homeChainId && otherChainId != 0);
        (uint256 podId, Covenant memory c) = _overlappingPod("home");
        Covenant memory next = _covenant(_firstMembers(3), CADENCE, GRACE, ROUNDS, 1, c.start, GENESIS, "next");
        bytes[] memory covenantSignatures = _signCovenant(troth, next);
        vm.warp(c.start);
        uint256 tokenA = _tokenOf(podId, 0);
        bytes memory witness = _witnessList(_witnessSignature(troth, actors[1], tokenA, 0, report));
        bytes memory checkInSignature = _sign(actors[0], _checkInDigest(tokenA, 0, report));
        bytes32 homeSeparator = troth.DOMAIN_SEPARATOR();

        vm.chainId(otherChainId);
        vm.assertTrue(troth.DOMAIN_SEPARATOR() != homeSeparator, "domain separator names the chain");
        vm.expectRevert(_invalidConsent(next.members[0], troth.hashCovenant(next)));
        troth.createPod(next, covenantSignatures);
        vm.expectRevert(_invalidWitness(tokenA, 0, actors[1]));
        vm.prank(actors[0]);
        troth.checkIn(tokenA, 0, report, witness);
        vm.expectRevert(_invalidConsent(actors[0], _checkInDigest(tokenA, 0, report)));
        troth.checkInBySig(tokenA, 0, report, checkInSignature, witness);

        // Back home, the very same signatures are good: only the chain id differed.
        vm.chainId(homeChainId);
        troth.createPod(next, covenantSignatures);
        vm.assertTrue(troth.checkInBySig(tokenA, 0, report, checkInSignature, witness), "home chain accepts");
    }

    function testFuzz_SignaturesDoNotCrossDeployments(bytes32 salt, bytes32 report) public {
        vm.assume(report != 0);
        (, ITrothToken other) = _deploy();
        Covenant memory c =
            _covenant(_firstMembers(3), CADENCE, GRACE, ROUNDS, 1, uint40(GENESIS + 1 hours), GENESIS, salt);
        bytes[] memory signatures = _signCovenant(troth, c);
        vm.expectRevert(_invalidConsent(c.members[0], other.hashCovenant(c)));
        other.createPod(c, signatures);

        uint256 otherPodId = other.createPod(c, _signCovenant(other, c));
        vm.warp(c.start);
        uint256 tokenA = _tokenOf(otherPodId, 0);
        // A witness signature over the right token, round and report, but for the first deployment's domain.
        bytes memory forFirst = _witnessList(_witnessSignature(troth, actors[1], tokenA, 0, report));
        vm.expectRevert(_invalidWitness(tokenA, 0, actors[1]));
        vm.prank(actors[0]);
        other.checkIn(tokenA, 0, report, forFirst);
        bytes memory forOther = _witnessList(_witnessSignature(other, actors[1], tokenA, 0, report));
        vm.prank(actors[0]);
        vm.assertTrue(other.checkIn(tokenA, 0, report, forOther), "own domain accepts");
    }

    /// @dev The digests above are built from `typehashes()`; these are the EIP-712 type strings they must hash.
    function test_TypehashesHashTheDocumentedTypes() public view {
        bytes32[10] memory t = troth.typehashes();
        vm.assertEq(
            t[COVENANT],
            keccak256(
                bytes.concat(
                    "Covenant(address[] members,bytes32[] commitmentDigests,uint32 cadence,uint32 grace,uint8 rounds,",
                    "uint8 quorum,uint40 start,bytes32 covenantDigest,bytes32 keyringDigest,uint256 previousPod,",
                    "uint256 deadline,bytes32 salt)"
                )
            ),
            "Covenant"
        );
        vm.assertEq(t[CHECK_IN], keccak256("CheckIn(uint256 tokenId,uint8 round,bytes32 reportDigest)"), "CheckIn");
        vm.assertEq(t[WITNESS], keccak256("Witness(uint256 tokenId,uint8 round,bytes32 reportDigest)"), "Witness");
        vm.assertEq(t[PAUSE], keccak256("Pause(uint256 podId,uint32 nonce,uint256 deadline)"), "Pause");
        vm.assertEq(t[RESUME], keccak256("Resume(uint256 podId,uint32 nonce,uint256 deadline)"), "Resume");
        vm.assertEq(
            t[AMEND],
            keccak256(
                bytes.concat(
                    "Amend(uint256 podId,uint32 cadence,uint32 grace,uint8 quorum,bytes32 covenantDigest,",
                    "uint32 nonce,uint256 deadline)"
                )
            ),
            "Amend"
        );
        vm.assertEq(
            t[ADD_MEMBER],
            keccak256(
                bytes.concat(
                    "AddMember(uint256 podId,address member,bytes32 commitmentDigest,bytes32 keyringDigest,",
                    "uint32 nonce,uint256 deadline)"
                )
            ),
            "AddMember"
        );
        vm.assertEq(
            t[REPLACE_MEMBER],
            keccak256(
                bytes.concat(
                    "ReplaceMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,",
                    "bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
                )
            ),
            "ReplaceMember"
        );
        vm.assertEq(
            t[REPLACE_ABSENT_MEMBER],
            keccak256(
                bytes.concat(
                    "ReplaceAbsentMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,",
                    "bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
                )
            ),
            "ReplaceAbsentMember"
        );
        vm.assertEq(
            t[RECOVER],
            keccak256(
                "Recover(uint256 podId,address lost,address account,bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
            ),
            "Recover"
        );
    }
}
