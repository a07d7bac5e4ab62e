import { createRequire } from "node:module";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";

// The compiler comes from the pinned npm `solc` package: a fresh clone compiles with no download.
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");
const solcVersion = createRequire(import.meta.url)("solc/package.json").version as string;

/** viaIR for the stack depth of the protocol's structs; `runs` trades deployment size for call cost. */
function compilerSettings(runs: number) {
  return { optimizer: { enabled: true, runs }, evmVersion: "prague", viaIR: true };
}

/** The compilers of a build profile. The governance module and the lens run rarely and are large: optimise them for
 * size to stay under 24 KiB; Troth for its hot paths. */
function solidityProfile(isolated: boolean) {
  return {
    isolated,
    compilers: [{ version: solcVersion, path: solcPath, settings: compilerSettings(10_000) }],
    overrides: {
      "contracts/TrothGovernance.sol": { version: solcVersion, path: solcPath, settings: compilerSettings(200) },
      "contracts/TrothLens.sol": { version: solcVersion, path: solcPath, settings: compilerSettings(200) },
    },
  };
}

export default defineConfig({
  plugins: [
    hardhatViem,
    hardhatNetworkHelpers,
    hardhatIgnitionViem,
    hardhatKeystore,
    {
      id: "troth-warnings-as-errors",
      hookHandlers: { solidity: () => import("./scripts/hardhat/warnings-as-errors.ts") },
    },
  ],
  // Both build profiles spelled out: Hardhat derives `production` (what Ignition deploys with) from the compiler
  // versions alone, without their settings, and these contracts need viaIR.
  solidity: {
    profiles: { default: solidityProfile(false), production: solidityProfile(true) },
  },
  paths: {
    tests: { solidity: "./test/solidity" },
  },
  // `npx hardhat ignition verify <deployment-id> --network <name>` (docs/deploy.md): Etherscan's API (one key for
  // every chain it serves, Base and Sepolia included) and Sourcify; the key is read only when verifying.
  verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } },
  networks: {
    // `hardhat node`: npm start may date the chain's first block in the past (TROTH_NODE_INITIAL_DATE, ISO 8601), so
    // the demo pod's history lies behind the real date and its open round is open now.
    node: {
      type: "edr-simulated",
      ...(process.env.TROTH_NODE_INITIAL_DATE ? { initialDate: process.env.TROTH_NODE_INITIAL_DATE } : {}),
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY")],
    },
  },
});
