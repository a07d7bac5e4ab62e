// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {IERC5192} from "../../../contracts/interfaces/IERC5192.sol";
import {ITroth} from "../../../contracts/interfaces/ITroth.sol";

/// @title Troth as deployed: the protocol, its soulbound ERC-721 token (ERC-5192) and its EIP-712 domain (ERC-5267)
/// @notice The tests reach Troth only through interfaces and deploy it from its artifacts: importing the contracts would
/// compile them again inside each test's compilation job, without the size-optimised settings `hardhat.config.ts`
/// gives the governance module and the lens (TrothGovernance at 10,000 runs is over 24 KiB, and the build hook makes
/// solc's size warning on `contracts/` an error).
interface ITrothToken is ITroth, IERC721, IERC5192, IERC5267 {}
