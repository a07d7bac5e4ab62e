// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ITrothErrors} from "../../contracts/interfaces/ITroth.sol";
import {TrothFixture} from "./utils/TrothFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @title Property 1 (fuzz): a commitment token never changes owner
/// @notice Whoever calls, whatever the target and however the call is dressed (transferFrom, both safeTransferFrom
/// forms, approve, setApprovalForAll), the token stays with its holder until the holder burns it, and nobody is
/// ever approved to move it.
contract SoulboundTest is TrothFixture {
    uint256 internal constant MEMBERS = 3;

    uint256 internal podId;
    address[] internal holders;

    function setUp() public override {
        super.setUp();
        (podId,) = _createPod(MEMBERS, 7 days, 2 days, 4, 1, uint40(GENESIS + 1 hours), "soulbound");
        for (uint256 i; i < MEMBERS; ++i) {
            holders.push(actors[i]);
        }
    }

    /// @dev Every token is with its original holder, counted once in its balance, and approves nobody.
    function _assertUnmoved() internal view {
        for (uint256 i; i < MEMBERS; ++i) {
            uint256 tokenId = _tokenOf(podId, i);
            vm.assertEq(troth.ownerOf(tokenId), holders[i], "ownerOf changed");
            vm.assertEq(troth.holderOf(tokenId), holders[i], "holderOf changed");
            vm.assertEq(troth.balanceOf(holders[i]), 1, "balance changed");
            vm.assertEq(troth.getApproved(tokenId), address(0), "token approval set");
            vm.assertTrue(troth.locked(tokenId), "token unlocked");
        }
    }

    function _soulbound(uint256 tokenId, address to) internal pure returns (bytes memory) {
        // OpenZeppelin rejects the zero receiver before the transfer reaches the soulbound rule.
        return to == address(0)
            ? abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0))
            : abi.encodeWithSelector(ITrothErrors.CommitmentSoulbound.selector, tokenId);
    }

    function testFuzz_TransferFromNeverMovesAToken(
        uint256 index,
        address caller,
        address from,
        address to,
        bool asHolder
    ) public {
        uint256 tokenId = _tokenOf(podId, index % MEMBERS);
        // Half the runs use the real holder as `from` (the only call ERC-721 would otherwise honour).
        if (asHolder) from = holders[index % MEMBERS];
        vm.expectRevert(_soulbound(tokenId, to));
        vm.prank(caller);
        troth.transferFrom(from, to, tokenId);
        _assertUnmoved();
    }

    function testFuzz_SafeTransferFromNeverMovesAToken(
        uint256 index,
        address caller,
        address to,
        bytes calldata data,
        bool withData
    ) public {
        uint256 tokenId = _tokenOf(podId, index % MEMBERS);
        address holder = holders[index % MEMBERS];
        vm.expectRevert(_soulbound(tokenId, to));
        vm.prank(caller);
        if (withData) troth.safeTransferFrom(holder, to, tokenId, data);
        else troth.safeTransferFrom(holder, to, tokenId);
        _assertUnmoved();
    }

    function testFuzz_NobodyCanBeApproved(uint256 index, address caller, address operator, bool approved) public {
        uint256 tokenId = _tokenOf(podId, index % MEMBERS);
        vm.expectRevert(ITrothErrors.CommitmentApprovalDisabled.selector);
        vm.prank(caller);
        troth.approve(operator, tokenId);

        vm.expectRevert(ITrothErrors.CommitmentApprovalDisabled.selector);
        vm.prank(caller);
        troth.setApprovalForAll(operator, approved);

        for (uint256 i; i < MEMBERS; ++i) {
            vm.assertFalse(troth.isApprovedForAll(holders[i], operator), "operator approved");
        }
        _assertUnmoved();
    }

    /// @dev Tokens that do not exist cannot be conjured by a transfer either. (A caller of address zero, which no
    /// transaction can have, would pass OpenZeppelin's checks as a mint: the report proposes a hardening.)
    function testFuzz_TransferOfAnyTokenIdReverts(uint256 tokenId, address caller, address from, address to) public {
        vm.assume(caller != address(0));
        vm.expectRevert();
        vm.prank(caller);
        troth.transferFrom(from, to, tokenId);
        _assertUnmoved();
    }

    /// @dev Leaving, the pod ending, or the holder being replaced does not free the token: it can only be burned,
    /// and only by its holder.
    function testFuzz_TokenStaysUntilItsHolderBurnsIt(uint256 index, uint256 elapsed, address stranger, address to)
        public
    {
        uint256 i = index % MEMBERS;
        uint256 tokenId = _tokenOf(podId, i);
        address holder = holders[i];
        vm.assume(stranger != holder && to != address(0));

        // Before leaving (and before the pod ended) even the holder cannot burn.
        vm.warp(_bound(elapsed, GENESIS, GENESIS + 10 days));
        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.CommitmentNotBurnable.selector, tokenId));
        vm.prank(holder);
        troth.burn(tokenId);

        _leave(tokenId);
        vm.expectRevert(_soulbound(tokenId, to));
        vm.prank(holder);
        troth.transferFrom(holder, to, tokenId);
        vm.assertEq(troth.holderOf(tokenId), holder, "left member lost the token");

        vm.expectRevert(abi.encodeWithSelector(ITrothErrors.CommitmentNotOwner.selector, tokenId, stranger));
        vm.prank(stranger);
        troth.burn(tokenId);

        vm.prank(holder);
        troth.burn(tokenId);
        vm.assertEq(troth.holderOf(tokenId), address(0), "burned token still held");
        vm.assertEq(troth.balanceOf(holder), 0, "burned token still counted");
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        troth.ownerOf(tokenId);
    }
}
