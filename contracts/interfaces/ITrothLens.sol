// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommitmentView, MemberView, PodView, RoundState, RoundWindow} from "../types/TrothTypes.sol";

/// @title Continuity views of Troth pods and commitments
/// @notice Everything here is computed from the Troth contract's raw state and the current time; nothing is stored.
interface ITrothLens {
    /// @notice The Troth contract this lens reads.
    function troth() external view returns (address);

    /// @notice The tokens `account` holds or held (its seat in each pod it was ever a member of, a seat recovered to it
    /// included), among the pods at positions `offset` to `offset + count` in creation order; and how many pods there
    /// are, to page through them all.
    function membershipsOf(address account, uint256 offset, uint256 count)
        external
        view
        returns (uint256 total, uint256[] memory tokenIds);

    /// @notice A pod's parameters and state.
    function pod(uint256 podId) external view returns (PodView memory);

    /// @notice Every member the pod ever had, in token order.
    function members(uint256 podId) external view returns (MemberView[] memory);

    /// @notice Opening and closing times (and quorum) of a round, on the schedule as it stands; a paused pod's future
    /// is shown as if it resumed now.
    function roundWindow(uint256 podId, uint8 round) external view returns (RoundWindow memory);

    /// @notice Active members in the order they speak at `round`: the order rotates by one each round.
    function speakingOrder(uint256 podId, uint8 round) external view returns (address[] memory);

    /// @notice A commitment's continuity: round sets, counts, streaks, restarts, status.
    function commitment(uint256 tokenId) external view returns (CommitmentView memory);

    /// @notice The state of every round of the commitment's cycle.
    function roundStates(uint256 tokenId) external view returns (RoundState[] memory);

    /// @notice A check-in waiting for witnesses: its report digest (zero if none) and the witnesses so far.
    function pendingCheckIn(uint256 tokenId, uint8 round)
        external
        view
        returns (bytes32 reportDigest, address[] memory witnesses);

    /// @notice ERC-721 metadata: JSON with an SVG ring of the cycle's rounds, derived from adherence only.
    function tokenURI(uint256 tokenId) external view returns (string memory);
}
