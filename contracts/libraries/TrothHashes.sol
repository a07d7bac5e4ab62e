// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Amendment, Covenant, Newcomer} from "../types/TrothTypes.sol";

/// @title EIP-712 struct hashes of everything a Troth member signs
/// @dev Each typehash has its preimage in the comment above it; a test recomputes every one from that text.
library TrothHashes {
    /// @dev keccak256("Covenant(address[] members,bytes32[] commitmentDigests,uint32 cadence,uint32 grace,uint8 rounds,uint8 quorum,uint40 start,bytes32 covenantDigest,bytes32 keyringDigest,uint256 previousPod,uint256 deadline,bytes32 salt)")
    bytes32 internal constant COVENANT_TYPEHASH = keccak256(
        "Covenant(address[] members,bytes32[] commitmentDigests,uint32 cadence,uint32 grace,uint8 rounds,uint8 quorum,uint40 start,bytes32 covenantDigest,bytes32 keyringDigest,uint256 previousPod,uint256 deadline,bytes32 salt)"
    );

    /// @dev keccak256("CheckIn(uint256 tokenId,uint8 round,bytes32 reportDigest)")
    bytes32 internal constant CHECK_IN_TYPEHASH = keccak256("CheckIn(uint256 tokenId,uint8 round,bytes32 reportDigest)");

    /// @dev keccak256("Witness(uint256 tokenId,uint8 round,bytes32 reportDigest)")
    bytes32 internal constant WITNESS_TYPEHASH = keccak256("Witness(uint256 tokenId,uint8 round,bytes32 reportDigest)");

    /// @dev keccak256("Pause(uint256 podId,uint32 nonce,uint256 deadline)")
    bytes32 internal constant PAUSE_TYPEHASH = keccak256("Pause(uint256 podId,uint32 nonce,uint256 deadline)");

    /// @dev keccak256("Resume(uint256 podId,uint32 nonce,uint256 deadline)")
    bytes32 internal constant RESUME_TYPEHASH = keccak256("Resume(uint256 podId,uint32 nonce,uint256 deadline)");

    /// @dev keccak256("Amend(uint256 podId,uint32 cadence,uint32 grace,uint8 quorum,bytes32 covenantDigest,uint32 nonce,uint256 deadline)")
    bytes32 internal constant AMEND_TYPEHASH = keccak256(
        "Amend(uint256 podId,uint32 cadence,uint32 grace,uint8 quorum,bytes32 covenantDigest,uint32 nonce,uint256 deadline)"
    );

    /// @dev keccak256("AddMember(uint256 podId,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)")
    bytes32 internal constant ADD_MEMBER_TYPEHASH = keccak256(
        "AddMember(uint256 podId,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
    );

    /// @dev keccak256("ReplaceMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)")
    bytes32 internal constant REPLACE_MEMBER_TYPEHASH = keccak256(
        "ReplaceMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
    );

    /// @dev keccak256("ReplaceAbsentMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)")
    bytes32 internal constant REPLACE_ABSENT_MEMBER_TYPEHASH = keccak256(
        "ReplaceAbsentMember(uint256 podId,address replaced,address member,bytes32 commitmentDigest,bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
    );

    /// @dev keccak256("Recover(uint256 podId,address lost,address account,bytes32 keyringDigest,uint32 nonce,uint256 deadline)")
    bytes32 internal constant RECOVER_TYPEHASH = keccak256(
        "Recover(uint256 podId,address lost,address account,bytes32 keyringDigest,uint32 nonce,uint256 deadline)"
    );

    function hash(Covenant calldata c) internal pure returns (bytes32) {
        // Split in two to stay clear of the stack limit; the encoding is the same as one abi.encode of all fields.
        bytes memory head = abi.encode(
            COVENANT_TYPEHASH,
            keccak256(abi.encodePacked(c.members)), // array elements are padded to 32 bytes, as EIP-712 asks
            keccak256(abi.encodePacked(c.commitmentDigests)),
            c.cadence,
            c.grace,
            c.rounds,
            c.quorum
        );
        bytes memory tail =
            abi.encode(c.start, c.covenantDigest, c.keyringDigest, c.previousPod, c.deadline, c.salt);
        return keccak256(bytes.concat(head, tail));
    }

    function hashCheckIn(uint256 tokenId, uint8 round, bytes32 reportDigest) internal pure returns (bytes32) {
        return keccak256(abi.encode(CHECK_IN_TYPEHASH, tokenId, round, reportDigest));
    }

    function hashWitness(uint256 tokenId, uint8 round, bytes32 reportDigest) internal pure returns (bytes32) {
        return keccak256(abi.encode(WITNESS_TYPEHASH, tokenId, round, reportDigest));
    }

    function hashPause(uint256 podId, uint32 nonce, uint256 deadline) internal pure returns (bytes32) {
        return keccak256(abi.encode(PAUSE_TYPEHASH, podId, nonce, deadline));
    }

    function hashResume(uint256 podId, uint32 nonce, uint256 deadline) internal pure returns (bytes32) {
        return keccak256(abi.encode(RESUME_TYPEHASH, podId, nonce, deadline));
    }

    function hashAmend(uint256 podId, Amendment calldata a, uint32 nonce, uint256 deadline)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(
            abi.encode(AMEND_TYPEHASH, podId, a.cadence, a.grace, a.quorum, a.covenantDigest, nonce, deadline)
        );
    }

    function hashAddMember(uint256 podId, Newcomer calldata n, uint32 nonce, uint256 deadline)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(
            abi.encode(ADD_MEMBER_TYPEHASH, podId, n.member, n.commitmentDigest, n.keyringDigest, nonce, deadline)
        );
    }

    function hashReplaceMember(uint256 podId, address replaced, Newcomer calldata n, uint32 nonce, uint256 deadline)
        internal
        pure
        returns (bytes32)
    {
        return _hashReplacement(REPLACE_MEMBER_TYPEHASH, podId, replaced, n, nonce, deadline);
    }

    function hashReplaceAbsentMember(
        uint256 podId,
        address replaced,
        Newcomer calldata n,
        uint32 nonce,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return _hashReplacement(REPLACE_ABSENT_MEMBER_TYPEHASH, podId, replaced, n, nonce, deadline);
    }

    function hashRecover(
        uint256 podId,
        address lost,
        address account,
        bytes32 keyringDigest,
        uint32 nonce,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(RECOVER_TYPEHASH, podId, lost, account, keyringDigest, nonce, deadline));
    }

    /// @dev Both replacement types share one field list; only the typehash tells them apart.
    function _hashReplacement(
        bytes32 typehash,
        uint256 podId,
        address replaced,
        Newcomer calldata n,
        uint32 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                typehash,
                podId,
                replaced,
                n.member,
                n.commitmentDigest,
                n.keyringDigest,
                nonce,
                deadline
            )
        );
    }
}
