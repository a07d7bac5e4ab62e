// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The cheatcodes these tests use, and nothing more
/// @notice forge-std is not installable here, so this declares the subset of the cheatcode interface (served by
/// Hardhat's EDR runner at the usual address) that the Troth fuzz and invariant tests call.
interface Vm {
    // ─── Environment ───────────────────────────────────────────────────────────────────────────────────────────
    function warp(uint256 timestamp) external;
    /// @dev Read the time through this: with viaIR, `block.timestamp` may be read once per call frame and go stale
    /// after a `warp` in the same function.
    function getBlockTimestamp() external view returns (uint256);
    function chainId(uint256 newChainId) external;
    function label(address account, string calldata name) external;
    /// @dev Creation code of a compiled artifact (`"contracts/Troth.sol:Troth"`).
    function getCode(string calldata artifactPath) external view returns (bytes memory creationBytecode);

    // ─── Callers and keys ──────────────────────────────────────────────────────────────────────────────────────
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    // ─── Fuzzing ───────────────────────────────────────────────────────────────────────────────────────────────
    function assume(bool condition) external pure;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert() external;

    // ─── Assertions (a failing one reverts with its message) ───────────────────────────────────────────────────
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(int256 left, int256 right, string calldata error) external pure;
    function assertEq(address left, address right, string calldata error) external pure;
    function assertEq(bool left, bool right, string calldata error) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata error) external pure;
    function assertEq(bytes calldata left, bytes calldata right, string calldata error) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
    function assertLt(uint256 left, uint256 right, string calldata error) external pure;
    function assertGe(uint256 left, uint256 right, string calldata error) external pure;
    function toString(uint256 value) external pure returns (string memory);
    function toString(bytes calldata value) external pure returns (string memory);
}

Vm constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
