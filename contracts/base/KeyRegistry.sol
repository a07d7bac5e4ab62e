// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IKeyRegistry} from "../interfaces/IKeyRegistry.sol";

/// @title Registry of X25519 encryption keys, one per address
abstract contract KeyRegistry is IKeyRegistry {
    mapping(address account => bytes32 key) private _keys;

    /// @inheritdoc IKeyRegistry
    function publishEncryptionKey(bytes32 key) external {
        if (key == bytes32(0)) revert KeyRegistryInvalidKey(msg.sender, key);
        _keys[msg.sender] = key;
        emit EncryptionKeyPublished(msg.sender, key);
    }

    /// @inheritdoc IKeyRegistry
    function encryptionKey(address account) external view returns (bytes32) {
        return _keys[account];
    }
}
