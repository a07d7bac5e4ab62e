import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (scripts/start/ is two levels below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where deployment records live: `deployments/<chainId>.json`, read by the SDK's generator, the CLI and the dApp. */
export const defaultDeploymentsDir = path.join(repoRoot, "deployments");

/** `npm start`'s data folder: the only thing it writes besides the deployment record and Ignition's journal. */
export const defaultDataDir = path.join(repoRoot, ".troth");
