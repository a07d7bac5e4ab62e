import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys Troth: the governance module first (it keeps no state; Troth runs it by delegatecall), then Troth, which
 * deploys its own lens. The same module deploys to the local node, to testnets and in tests.
 */
export default buildModule("Troth", (m) => {
  const governance = m.contract("TrothGovernance");
  const troth = m.contract("Troth", [governance]);
  const lens = m.contractAt("TrothLens", m.staticCall(troth, "lens"), { id: "TrothLens" });
  return { troth, governance, lens };
});
