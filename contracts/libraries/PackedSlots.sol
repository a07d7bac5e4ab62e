// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Member, PodState} from "../types/TrothTypes.sol";

/// @title Bit layouts of the two records every check-in reads
/// @notice Solidity packs a struct's fields from the lowest bits up, in declaration order. These offsets mirror
/// `Member` and `PodState` in `types/TrothTypes.sol` (tests compare them with the struct getters), so the check-in and
/// witness paths can read and write each record as one word instead of copying every field through memory.
library PackedSlots {
    // ─── Member ──────────────────────────────────────────────────────────────────────────────────────────────────
    uint256 internal constant REPORTED = 64; // uint64 after `witnessed` (bits 0–63)
    uint256 internal constant RESTARTS = 128; // uint8
    uint256 internal constant FLAGS = 136; // `MemberFlags`
    uint256 internal constant INDEX = 144;
    uint256 internal constant STATUS = 152;
    uint256 internal constant JOINED_ROUND = 160;
    uint256 internal constant RESTART_FROM = 176;
    uint256 internal constant PENDING_ROUND = 200;
    uint256 internal constant PENDING_QUORUM = 208;
    uint256 internal constant PENDING_CLOSES_AT = 216; // uint40, to the top of the word

    // ─── PodState ────────────────────────────────────────────────────────────────────────────────────────────────
    uint256 internal constant START = 0; // uint40
    uint256 internal constant PAUSED_AT = 40; // uint40
    uint256 internal constant PAUSED_TOTAL = 80; // uint32
    uint256 internal constant ROUNDS = 112;
    uint256 internal constant ACTIVE_COUNT = 128;
    uint256 internal constant ERA_COUNT = 136;
    uint256 internal constant FROM_ROUND = 144;
    uint256 internal constant FROM_CLOCK = 152; // uint32
    uint256 internal constant CADENCE = 184; // uint32
    uint256 internal constant GRACE = 216; // uint32
    uint256 internal constant QUORUM = 248;

    function load(Member storage record) internal view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(record.slot)
        }
    }

    function store(Member storage record, uint256 word) internal {
        assembly ("memory-safe") {
            sstore(record.slot, word)
        }
    }

    function load(PodState storage state) internal view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(state.slot)
        }
    }

    /// @dev Whether any of `bits` is set in the member word's `flags`.
    function hasFlag(uint256 word, uint256 bits) internal pure returns (bool) {
        return (word >> FLAGS) & bits != 0;
    }

    function u8(uint256 word, uint256 shift) internal pure returns (uint256) {
        return (word >> shift) & 0xff;
    }

    function u32(uint256 word, uint256 shift) internal pure returns (uint256) {
        return (word >> shift) & 0xffffffff;
    }

    function u40(uint256 word, uint256 shift) internal pure returns (uint256) {
        return (word >> shift) & 0xffffffffff;
    }
}
