// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Bits of `Member.flags`
library MemberFlags {
    /// @dev A claim (`Claim`, kept by token) stands against this active member; any action of theirs cancels it.
    uint256 internal constant CLAIMED = 1;
    /// @dev This member's record has been renewed into a next cycle (at most once).
    uint256 internal constant RENEWED = 2;
    /// @dev The member left after the pod had ended: they were active at its end, so they may still renew.
    uint256 internal constant LEFT_AFTER_END = 4;
    /// @dev The member's previous cycle was completed (a cycle lived), which a graduation needs.
    uint256 internal constant PREVIOUS_COMPLETED = 8;
}
