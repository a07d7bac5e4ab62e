// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    Amendment, Covenant, Member, MemberStatus, Newcomer, PodState, Signature
} from "../../../contracts/types/TrothTypes.sol";
import {ITrothToken} from "./ITrothToken.sol";
import {vm} from "./Vm.sol";

/// @title Accounts with known keys, and everything they sign for Troth
/// @notice Shared by the fuzz tests and the invariant handler. Every actor is `vm.addr` of a private key derived from
/// its index, so any actor can sign any EIP-712 digest with `vm.sign`. Digests are computed the way a wallet does:
/// from the contract's own `DOMAIN_SEPARATOR()` and `typehashes()`.
abstract contract TrothActors {
    /// @dev Order of the signing keys' curve: a private key must lie in [1, n − 1].
    uint256 internal constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// @dev Indexes into `typehashes()`.
    uint256 internal constant COVENANT = 0;
    uint256 internal constant CHECK_IN = 1;
    uint256 internal constant WITNESS = 2;
    uint256 internal constant PAUSE = 3;
    uint256 internal constant RESUME = 4;
    uint256 internal constant AMEND = 5;
    uint256 internal constant ADD_MEMBER = 6;
    uint256 internal constant REPLACE_MEMBER = 7;
    uint256 internal constant REPLACE_ABSENT_MEMBER = 8;
    uint256 internal constant RECOVER = 9;

    ITrothToken internal troth;

    address[] internal actors;
    mapping(address account => uint256 privateKey) internal keyOf;

    /// @dev Creates `count` actors (labelled `actor0`, `actor1`, …) with deterministic keys.
    function _enlist(uint256 count) internal {
        for (uint256 i = actors.length; i < count; ++i) {
            uint256 key = uint256(keccak256(abi.encode("troth.actor", i))) % (SECP256K1_ORDER - 1) + 1;
            address account = vm.addr(key);
            keyOf[account] = key;
            actors.push(account);
            vm.label(account, string.concat("actor", vm.toString(i)));
        }
    }

    // ─── Digests ───────────────────────────────────────────────────────────────────────────────────────────────

    function _typedDigest(ITrothToken target, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", target.DOMAIN_SEPARATOR(), structHash));
    }

    function _typehash(uint256 which) internal view returns (bytes32) {
        return troth.typehashes()[which];
    }

    function _witnessDigest(ITrothToken target, uint256 tokenId, uint8 round, bytes32 reportDigest)
        internal
        view
        returns (bytes32)
    {
        return _typedDigest(target, keccak256(abi.encode(_typehash(WITNESS), tokenId, round, reportDigest)));
    }

    function _checkInDigest(uint256 tokenId, uint8 round, bytes32 reportDigest) internal view returns (bytes32) {
        return _typedDigest(troth, keccak256(abi.encode(_typehash(CHECK_IN), tokenId, round, reportDigest)));
    }

    function _pauseDigest(uint256 podId, uint32 nonce, uint256 deadline) internal view returns (bytes32) {
        return _typedDigest(troth, keccak256(abi.encode(_typehash(PAUSE), podId, nonce, deadline)));
    }

    function _resumeDigest(uint256 podId, uint32 nonce, uint256 deadline) internal view returns (bytes32) {
        return _typedDigest(troth, keccak256(abi.encode(_typehash(RESUME), podId, nonce, deadline)));
    }

    function _amendDigest(uint256 podId, Amendment memory a, uint32 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _typedDigest(
            troth,
            keccak256(
                abi.encode(_typehash(AMEND), podId, a.cadence, a.grace, a.quorum, a.covenantDigest, nonce, deadline)
            )
        );
    }

    function _addMemberDigest(uint256 podId, Newcomer memory n, uint32 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _typedDigest(
            troth,
            keccak256(
                abi.encode(
                    _typehash(ADD_MEMBER), podId, n.member, n.commitmentDigest, n.keyringDigest, nonce, deadline
                )
            )
        );
    }

    function _replaceMemberDigest(uint256 podId, address replaced, Newcomer memory n, uint32 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _replacementDigest(REPLACE_MEMBER, podId, replaced, n, nonce, deadline);
    }

    function _recoverDigest(
        uint256 podId,
        address lost,
        address account,
        bytes32 keyringDigest,
        uint32 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _typedDigest(
            troth, keccak256(abi.encode(_typehash(RECOVER), podId, lost, account, keyringDigest, nonce, deadline))
        );
    }

    /// @dev ReplaceMember and ReplaceAbsentMember share their fields; `which` picks the typehash.
    function _replacementDigest(
        uint256 which,
        uint256 podId,
        address replaced,
        Newcomer memory n,
        uint32 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _typedDigest(
            troth,
            keccak256(
                abi.encode(
                    _typehash(which),
                    podId,
                    replaced,
                    n.member,
                    n.commitmentDigest,
                    n.keyringDigest,
                    nonce,
                    deadline
                )
            )
        );
    }

    // ─── Signatures ────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev `r ‖ s ‖ v`, the 65-byte form wallets produce.
    function _sign(address signer, bytes32 digest) internal view returns (bytes memory) {
        uint256 key = keyOf[signer];
        require(key != 0, "TrothActors: no key for signer");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _witnessSignature(ITrothToken target, address witness, uint256 tokenId, uint8 round, bytes32 reportDigest)
        internal
        view
        returns (Signature memory)
    {
        bytes32 digest = _witnessDigest(target, tokenId, round, reportDigest);
        return Signature({signer: witness, signature: _sign(witness, digest)});
    }

    /// @dev The witness list as `checkIn`, `checkInBySig` and `witnessBySig` take it (see `WitnessList`): a 65-byte
    /// signature as an ECDSA entry (`0x01 ‖ signer ‖ r ‖ s ‖ v`), anything else (an on-chain approval when empty) as a
    /// sized entry (`0x02 ‖ signer ‖ length ‖ signature`).
    function _witnessList(Signature[] memory witnesses) internal pure returns (bytes memory list) {
        for (uint256 i; i < witnesses.length; ++i) {
            Signature memory w = witnesses[i];
            list = w.signature.length == 65
                ? bytes.concat(list, bytes1(0x01), bytes20(w.signer), w.signature)
                : bytes.concat(list, bytes1(0x02), bytes20(w.signer), bytes2(uint16(w.signature.length)), w.signature);
        }
    }

    function _witnessList(Signature memory witness) internal pure returns (bytes memory) {
        Signature[] memory list = new Signature[](1);
        list[0] = witness;
        return _witnessList(list);
    }

    function _noWitnesses() internal pure returns (bytes memory) {
        return "";
    }

    /// @dev Consents of every active member in token order (but `skip`), then of `newcomer` if nonzero: what every
    /// consent-gated change asks for.
    function _consents(uint256 podId, bytes32 digest, address skip, address newcomer)
        internal
        view
        returns (Signature[] memory consents)
    {
        PodState memory p = troth.podState(podId);
        consents = new Signature[](p.memberCount + 1);
        uint256 k;
        for (uint256 i; i < p.memberCount; ++i) {
            address account = troth.holderOf((podId << 8) | i);
            if (account == address(0) || account == skip) continue;
            if (troth.memberRecord(podId, account).status != MemberStatus.Active) continue;
            consents[k++] = Signature({signer: account, signature: _sign(account, digest)});
        }
        if (newcomer != address(0)) consents[k++] = Signature({signer: newcomer, signature: _sign(newcomer, digest)});
        assembly ("memory-safe") {
            mstore(consents, k)
        }
    }

    /// @dev The consents each consent-gated change needs now (the pod's current nonce).
    function _pauseConsents(uint256 podId, uint256 deadline) internal view returns (Signature[] memory) {
        return _consents(podId, _pauseDigest(podId, troth.podRecord(podId).nonce, deadline), address(0), address(0));
    }

    function _resumeConsents(uint256 podId, uint256 deadline) internal view returns (Signature[] memory) {
        return _consents(podId, _resumeDigest(podId, troth.podRecord(podId).nonce, deadline), address(0), address(0));
    }

    function _amendConsents(uint256 podId, Amendment memory a, uint256 deadline)
        internal
        view
        returns (Signature[] memory)
    {
        bytes32 digest = _amendDigest(podId, a, troth.podRecord(podId).nonce, deadline);
        return _consents(podId, digest, address(0), address(0));
    }

    function _addMemberConsents(uint256 podId, Newcomer memory n, uint256 deadline)
        internal
        view
        returns (Signature[] memory)
    {
        bytes32 digest = _addMemberDigest(podId, n, troth.podRecord(podId).nonce, deadline);
        return _consents(podId, digest, address(0), n.member);
    }

    function _replaceMemberConsents(uint256 podId, address replaced, Newcomer memory n, uint256 deadline)
        internal
        view
        returns (Signature[] memory)
    {
        bytes32 digest = _replaceMemberDigest(podId, replaced, n, troth.podRecord(podId).nonce, deadline);
        // Everyone, the member replaced included.
        return _consents(podId, digest, address(0), n.member);
    }

    function _replaceAbsentConsents(uint256 podId, address replaced, Newcomer memory n, uint256 deadline)
        internal
        view
        returns (Signature[] memory)
    {
        uint32 nonce = troth.podRecord(podId).nonce;
        bytes32 digest = _replacementDigest(REPLACE_ABSENT_MEMBER, podId, replaced, n, nonce, deadline);
        return _consents(podId, digest, replaced, n.member);
    }

    function _recoverConsents(uint256 podId, address lost, address account, bytes32 keyringDigest, uint256 deadline)
        internal
        view
        returns (Signature[] memory)
    {
        bytes32 digest = _recoverDigest(podId, lost, account, keyringDigest, troth.podRecord(podId).nonce, deadline);
        return _consents(podId, digest, lost, account);
    }

    // ─── Covenants ─────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev A covenant among `members` whose signatures stay usable for 30 days from `now_`.
    function _covenant(
        address[] memory members,
        uint32 cadence,
        uint32 grace,
        uint8 rounds,
        uint8 quorum,
        uint40 start,
        uint256 now_,
        bytes32 salt
    ) internal pure returns (Covenant memory c) {
        c.members = members;
        c.commitmentDigests = new bytes32[](members.length);
        for (uint256 i; i < members.length; ++i) {
            c.commitmentDigests[i] = keccak256(abi.encode("commitment", members[i], salt));
        }
        c.cadence = cadence;
        c.grace = grace;
        c.rounds = rounds;
        c.quorum = quorum;
        c.start = start;
        c.covenantDigest = keccak256(abi.encode("covenant", salt));
        c.keyringDigest = keccak256(abi.encode("keyring", salt));
        c.deadline = now_ + 30 days;
        c.salt = salt;
    }

    function _signCovenant(ITrothToken target, Covenant memory c) internal view returns (bytes[] memory signatures) {
        bytes32 digest = target.hashCovenant(c);
        signatures = new bytes[](c.members.length);
        for (uint256 i; i < c.members.length; ++i) {
            signatures[i] = _sign(c.members[i], digest);
        }
    }

    function _memberRecord(uint256 tokenId) internal view returns (Member memory) {
        return troth.memberRecord(tokenId >> 8, troth.holderOf(tokenId));
    }

    // ─── Fuzzing ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev `x` folded into [lo, hi]; values already inside stay as they are, so the fuzzer's edge values survive.
    function _bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "TrothActors: empty range");
        if (x >= lo && x <= hi) return x;
        return lo + x % (hi - lo + 1);
    }

    function _now() internal view returns (uint256) {
        return vm.getBlockTimestamp();
    }
}
