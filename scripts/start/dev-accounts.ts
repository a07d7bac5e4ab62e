/**
 * Hardhat's default dev accounts: derived from its public test mnemonic, funded by every local Hardhat node. Their
 * keys are known to everyone: local test keys, never for real funds.
 */
import { bytesToHex, type Hex } from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Names for the demo, in account order. */
export const DEV_NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin"] as const;

export type DevAccount = { name: string; index: number; account: HDAccount; privateKey: Hex };

/** The first `count` dev accounts (m/44'/60'/0'/0/i), with their private keys. */
export function devAccounts(count: number = DEV_NAMES.length): DevAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
    const privateKey = bytesToHex(account.getHdKey().privateKey as Uint8Array);
    return { name: DEV_NAMES[index] ?? `Account ${index}`, index, account, privateKey };
  });
}
