// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Packed witness signatures
/// @notice Witness signatures travel as one `bytes` value, a concatenation of entries, so that each extra witness
/// costs little calldata. Each entry names its signer, then carries the signature:
///  - `0x01 ‖ signer (20 bytes) ‖ signature (65 bytes: r ‖ s ‖ v)`: the common case, an ECDSA signature (86 bytes);
///  - `0x02 ‖ signer (20 bytes) ‖ length (2 bytes, big-endian) ‖ signature (length bytes)`: any other signature, such
///    as a contract wallet's (ERC-1271); length 0 stands for a digest the signer approved on-chain.
library WitnessList {
    uint8 internal constant ECDSA_ENTRY = 0x01;
    uint8 internal constant SIGNED_ENTRY = 0x02;

    /// @notice The witness list is not a sequence of well-formed entries; `offset` is where reading failed.
    error WitnessListMalformed(uint256 offset);

    /// @dev Reads the entry at `offset`; returns its signer, its signature and where the next entry starts.
    function read(bytes calldata list, uint256 offset)
        internal
        pure
        returns (address signer, bytes calldata signature, uint256 end)
    {
        uint256 length = list.length;
        if (offset + 21 > length) revert WitnessListMalformed(offset);
        uint256 kind;
        uint256 start;
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(add(list.offset, offset))
            kind := byte(0, word)
            start := add(offset, 21)
        }
        // The signer is the 20 bytes after the kind byte.
        signer = address(uint160(word >> 88));
        if (kind == ECDSA_ENTRY) {
            end = start + 65;
        } else if (kind == SIGNED_ENTRY) {
            if (start + 2 > length) revert WitnessListMalformed(offset);
            uint256 size;
            assembly ("memory-safe") {
                size := shr(240, calldataload(add(list.offset, start)))
            }
            start += 2;
            end = start + size;
        } else {
            revert WitnessListMalformed(offset);
        }
        if (end > length) revert WitnessListMalformed(offset);
        signature = list[start:end];
    }
}
