// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A smart-contract wallet for tests: one EOA owns it, signs for it (ERC-1271) and sends through it
/// @notice Lets the tests run every Troth path with a contract account as member, witness or consenter. A signature is
/// the wallet's when its ECDSA signer over the hash is the owner, so the owner signs the very EIP-712 digest Troth
/// checks (no wrapping, unlike production wallets that bind a signature to the wallet too).
contract ERC1271WalletMock is IERC1271 {
    /// @notice Only the owner can send transactions through the wallet.
    error ERC1271WalletMockUnauthorized(address caller);

    /// @notice The EOA whose signatures are the wallet's.
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(hash, signature);
        bool valid = error == ECDSA.RecoverError.NoError && recovered == owner;
        return valid ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Calls `target` with `data` as the wallet; a revert bubbles up with its original reason.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert ERC1271WalletMockUnauthorized(msg.sender);
        return Address.functionCall(target, data);
    }
}
