// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITrothLens} from "../../../contracts/interfaces/ITrothLens.sol";
import {Amendment, Covenant, Newcomer, Signature} from "../../../contracts/types/TrothTypes.sol";
import {ITrothToken} from "./ITrothToken.sol";
import {TrothActors} from "./TrothActors.sol";
import {vm} from "./Vm.sol";

/// @title A fresh Troth deployment for every fuzz run
/// @notice Deploys the governance module, then Troth (which deploys its lens), as `ignition/modules/Troth.ts` does, and
/// enlists ten actors: pods take their members from the first eight, the last two stay outsiders.
abstract contract TrothFixture is TrothActors {
    /// @dev A realistic "now" (June 2025), far from zero so a pod start can never be mistaken for "no pod".
    uint256 internal constant GENESIS = 1_750_000_000;
    uint256 internal constant MEMBER_POOL = 8;
    uint256 internal constant OUTSIDERS = 2;

    ITrothLens internal lens;
    address internal governance;

    function setUp() public virtual {
        vm.warp(GENESIS);
        _enlist(MEMBER_POOL + OUTSIDERS);
        (governance, troth) = _deploy();
        lens = ITrothLens(troth.lens());
    }

    /// @dev As `ignition/modules/Troth.ts`: the governance module, then Troth, which deploys its lens. From the
    /// compiled artifacts, so the bytecode is the one every network gets (see `ITrothToken` for why not `new`).
    function _deploy() internal returns (address governance_, ITrothToken troth_) {
        governance_ = _create(vm.getCode("contracts/TrothGovernance.sol:TrothGovernance"));
        troth_ = ITrothToken(_create(bytes.concat(vm.getCode("contracts/Troth.sol:Troth"), abi.encode(governance_))));
    }

    function _create(bytes memory creationCode) internal returns (address deployed) {
        assembly ("memory-safe") {
            deployed := create(0, add(creationCode, 0x20), mload(creationCode))
        }
        require(deployed != address(0), "TrothFixture: deployment failed");
    }

    // ─── Pods ──────────────────────────────────────────────────────────────────────────────────────────────────

    function _outsider(uint256 i) internal view returns (address) {
        return actors[MEMBER_POOL + i % OUTSIDERS];
    }

    /// @dev The first `n` actors.
    function _firstMembers(uint256 n) internal view returns (address[] memory members) {
        members = new address[](n);
        for (uint256 i; i < n; ++i) {
            members[i] = actors[i];
        }
    }

    function _createPod(Covenant memory c) internal returns (uint256 podId) {
        podId = troth.createPod(c, _signCovenant(troth, c));
    }

    /// @dev A pod of the first `n` actors starting at `start`.
    function _createPod(uint256 n, uint32 cadence, uint32 grace, uint8 rounds, uint8 quorum, uint40 start, bytes32 salt)
        internal
        returns (uint256 podId, Covenant memory c)
    {
        c = _covenant(_firstMembers(n), cadence, grace, rounds, quorum, start, _now(), salt);
        podId = _createPod(c);
    }

    function _tokenOf(uint256 podId, uint256 index) internal pure returns (uint256) {
        return (podId << 8) | index;
    }

    // ─── Consent-gated changes, with every active member's signature ───────────────────────────────────────────

    function _pause(uint256 podId) internal {
        uint256 deadline = _now() + 1 days;
        troth.pause(podId, deadline, _pauseConsents(podId, deadline));
    }

    function _resume(uint256 podId) internal {
        uint256 deadline = _now() + 1 days;
        troth.resume(podId, deadline, _resumeConsents(podId, deadline));
    }

    function _addMember(uint256 podId, address newcomer) internal returns (uint256 tokenId) {
        Newcomer memory n = Newcomer({
            member: newcomer,
            commitmentDigest: keccak256(abi.encode("commitment", newcomer)),
            keyringDigest: keccak256(abi.encode("keyring", newcomer))
        });
        uint256 deadline = _now() + 1 days;
        return troth.addMember(podId, n, deadline, _addMemberConsents(podId, n, deadline));
    }

    function _leave(uint256 tokenId) internal {
        vm.prank(troth.holderOf(tokenId));
        troth.leave(tokenId);
    }
}
