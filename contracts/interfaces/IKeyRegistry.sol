// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Registry of members' X25519 encryption keys
/// @notice Each address publishes the public half of the identity key its client derives from a wallet signature, so
/// partners can wrap a pod's content key for it.
interface IKeyRegistry {
    /// @notice The key is zero, which no X25519 public key used here can be.
    error KeyRegistryInvalidKey(address account, bytes32 key);

    /// @notice `account` published (or replaced) its encryption key.
    event EncryptionKeyPublished(address indexed account, bytes32 key);

    /// @notice Publishes the caller's X25519 public key, replacing any earlier one.
    function publishEncryptionKey(bytes32 key) external;

    /// @notice The key `account` published last, or zero.
    function encryptionKey(address account) external view returns (bytes32);
}
