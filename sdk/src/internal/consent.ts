import { type Address, type Hex, isAddressEqual } from "viem";
import { type ConsentSource, signerAddress, signTypedDataWith, type TrothClient, type TrothSigner } from "../client.ts";
import { type TrothMessage, type TrothPrimaryType, trothTypedData } from "../eip712.ts";
import { MissingSignerError } from "../errors/client.ts";

export type Consent = { signer: Address; signature: Hex };

/**
 * Collects one consent per required account, in the order the contract checks them: a signature from the signer
 * given for that account, or the signature already given (empty for an on-chain approval).
 */
export async function collectConsents<primaryType extends TrothPrimaryType>(
  client: TrothClient,
  {
    required,
    sources,
    primaryType,
    message,
    what,
  }: {
    required: readonly Address[];
    sources: readonly ConsentSource[];
    primaryType: primaryType;
    message: TrothMessage<primaryType>;
    what: string;
  },
): Promise<Consent[]> {
  const pick = (account: Address) => sources.find((s) => isAddressEqual(signerAddress(s), account));
  const missing = required.filter((account) => !pick(account));
  if (missing.length > 0) throw new MissingSignerError({ missing, what });
  return Promise.all(
    required.map(async (account) => {
      const source = pick(account) as ConsentSource;
      if ("signature" in source && typeof source.signature === "string")
        return { signer: account, signature: source.signature };
      const signature = await signTypedDataWith(source as TrothSigner, trothTypedData(client, primaryType, message));
      return { signer: account, signature };
    }),
  );
}
