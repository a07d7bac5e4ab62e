// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {CommitmentStatus, CommitmentView, RoundState} from "../types/TrothTypes.sol";

/// @title On-chain metadata of a commitment token
/// @notice The picture is a ring of the cycle's rounds coloured by adherence alone (witnessed, reported, missed,
/// paused, open, upcoming), the cycle number and, once earned, a graduation mark. Nothing in it derives from content.
library TokenArt {
    using Strings for uint256;

    /// @dev Colours by RoundState: Upcoming, Open, Reported, Witnessed, Missed, Paused, Outside.
    bytes internal constant FILLS = "#e8edf2#ffffff#f6c453#2f855a#ffffff#c5cbd3#ffffff";
    bytes internal constant STROKES = "#c5cbd3#3b82c4#b7791f#2f855a#a0aec0#8a94a3#eeeeee";

    function tokenURI(CommitmentView memory c, RoundState[] memory states) internal pure returns (string memory) {
        bytes memory json = abi.encodePacked(
            '{"name":"Troth commitment, cycle ',
            uint256(c.cycle).toString(),
            '","description":"A soulbound record of witnessed continuity in a Troth pod: who showed up, never what was said.",',
            '"image":"data:image/svg+xml;base64,',
            Base64.encode(svg(c, states)),
            '","attributes":',
            attributes(c),
            "}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }

    function svg(CommitmentView memory c, RoundState[] memory states) internal pure returns (bytes memory out) {
        out = abi.encodePacked(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-160 -160 320 320" role="img">',
            '<rect x="-160" y="-160" width="320" height="320" fill="#fbfaf7"/>',
            '<circle r="112" fill="none" stroke="#e8e4da" stroke-width="2"/>'
        );
        uint256 n = states.length;
        // Dots shrink as rounds grow so 64 still fit around the ring.
        uint256 radius = n > 32 ? 5 : n > 16 ? 8 : 11;
        bytes memory dots;
        for (uint256 i; i < n; ++i) {
            uint256 angle = (36_000 * i) / n; // hundredths of a degree, clockwise from the top
            uint256 s = uint256(states[i]);
            dots = abi.encodePacked(
                dots,
                '<circle cy="-112" r="',
                radius.toString(),
                '" transform="rotate(',
                (angle / 100).toString(),
                ".",
                _twoDigits(angle % 100),
                ')" fill="',
                _colour(FILLS, s),
                '" stroke="',
                _colour(STROKES, s),
                '" stroke-width="2"/>'
            );
        }
        out = abi.encodePacked(
            out,
            dots,
            '<text y="-14" text-anchor="middle" font-family="Georgia,serif" font-size="22" fill="#2d3748">Cycle ',
            uint256(c.cycle).toString(),
            '</text><text y="16" text-anchor="middle" font-family="Georgia,serif" font-size="16" fill="#4a5568">',
            uint256(c.witnessed).toString(),
            " of ",
            uint256(c.rounds).toString(),
            " witnessed</text>",
            c.status == CommitmentStatus.Graduated
                ? '<text y="50" text-anchor="middle" font-family="Georgia,serif" font-size="15" fill="#2f855a">graduated</text>'
                : "",
            "</svg>"
        );
    }

    function attributes(CommitmentView memory c) internal pure returns (bytes memory) {
        return abi.encodePacked(
            '[{"trait_type":"Pod size","value":',
            uint256(c.podSize).toString(),
            '},{"trait_type":"Cadence (days)","value":',
            (uint256(c.cadence) / 1 days).toString(),
            '},{"trait_type":"Witnessed","value":',
            uint256(c.witnessed).toString(),
            '},{"trait_type":"Rounds in span","value":',
            uint256(c.endRound - c.joinedRound).toString(),
            '},{"trait_type":"Missed","value":',
            uint256(c.missed).toString(),
            '},{"trait_type":"Current streak","value":',
            uint256(c.currentStreak).toString(),
            '},{"trait_type":"Restarts","value":',
            uint256(c.restarts).toString(),
            '},{"trait_type":"Cycle","value":',
            uint256(c.cycle).toString(),
            '},{"trait_type":"Status","value":"',
            statusName(c.status),
            '"}]'
        );
    }

    function statusName(CommitmentStatus status) internal pure returns (string memory) {
        if (status == CommitmentStatus.Active) return "Active";
        if (status == CommitmentStatus.Lapsed) return "Lapsed";
        if (status == CommitmentStatus.Paused) return "Paused";
        if (status == CommitmentStatus.Left) return "Left";
        if (status == CommitmentStatus.Completed) return "Completed";
        if (status == CommitmentStatus.Graduated) return "Graduated";
        if (status == CommitmentStatus.Dissolved) return "Dissolved";
        if (status == CommitmentStatus.Replaced) return "Replaced";
        if (status == CommitmentStatus.Ended) return "Ended";
        return "Burned";
    }

    function _colour(bytes memory table, uint256 index) private pure returns (bytes memory colour) {
        colour = new bytes(7);
        for (uint256 i; i < 7; ++i) {
            colour[i] = table[index * 7 + i];
        }
    }

    function _twoDigits(uint256 value) private pure returns (string memory) {
        return value < 10 ? string.concat("0", value.toString()) : value.toString();
    }
}
