import { type Address, getAddress } from "viem";
import { signerAddress, signTypedDataWith, type TrothClient, type TrothSigner } from "../client.ts";
import {
  assertConsentDeployment,
  type ConsentRequest,
  type ConsentRequestDeploymentError,
  type ConsentRequestNotSealedError,
  type ConsentRequestTerms,
  consentTypedData,
  type InvalidLinkError,
  withConsentSignatures,
} from "../consentRequest.ts";

export type SignConsentRequestParameters = {
  /** The request (or, to start one, its terms: the deployment is the client's). */
  request: ConsentRequest | Omit<ConsentRequestTerms, "chainId" | "troth">;
  /** Who consents: a wallet client or an account. */
  signer: TrothSigner;
};
/** The request with the signer's consent added, to pass on as a link or a file. */
export type SignConsentRequestReturnType = ConsentRequest;
export type SignConsentRequestErrorType =
  | ConsentRequestDeploymentError
  | ConsentRequestNotSealedError
  | InvalidLinkError;

/**
 * A member's consent to a change making its way round the pod: signs the change's EIP-712 message (derived from the
 * request, see `consentTypedData`) on this device and returns the request with the signature added. A request made for
 * another chain or contract is refused before anything is signed.
 *
 * @example
 * ```ts
 * const request = await signConsentRequest(troth, { request: { kind: "Pause", podId, nonce, deadline }, signer: wallet });
 * share(consentRequestLink(request, appUrl));
 * ```
 */
export async function signConsentRequest(
  client: Pick<TrothClient, "chainId" | "address">,
  { request, signer }: SignConsentRequestParameters,
): Promise<SignConsentRequestReturnType> {
  const full: ConsentRequest = {
    chainId: client.chainId,
    troth: getAddress(client.address) as Address,
    signatures: [],
    ...request,
  };
  assertConsentDeployment(full, client);
  const signature = await signTypedDataWith(signer, consentTypedData(full));
  return withConsentSignatures(full, [{ signer: signerAddress(signer), signature }]);
}
