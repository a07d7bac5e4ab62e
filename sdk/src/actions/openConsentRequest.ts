import { type Address, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import {
  assertConsentDeployment,
  type ConsentRequest,
  type ConsentRequestDeploymentError,
  type ConsentRequestNotSealedError,
  type ConsentRequestSignature,
  consentTypedData,
  InvalidLinkError,
} from "../consentRequest.ts";
import { decodeKeyring } from "../crypto/keyring.ts";
import type { InvalidKeyringError } from "../errors/client.ts";
import type { BlobNotFoundError, IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { activeAccounts, membersOf } from "../internal/pod.ts";
import type { PreparedAddMember } from "./prepareAddMember.ts";
import type { PreparedAmend } from "./prepareAmend.ts";
import type { PreparedPause } from "./preparePause.ts";
import type { PreparedProposeReplacement } from "./prepareProposeReplacement.ts";
import type { PreparedReplaceMember } from "./prepareReplaceMember.ts";
import type { PreparedRequestRecovery } from "./prepareRequestRecovery.ts";
import type { PreparedResume } from "./prepareResume.ts";
import { verifyKeyringRotation } from "./verifyKeyringRotation.ts";

export type OpenConsentRequestParameters = {
  /** A request read with `parseConsentRequest` (a link or a file). */
  request: ConsentRequest;
};

/** A request's change as its prepare action would have returned it, ready for the matching submit action. */
export type OpenedConsentChange =
  | { kind: "Pause"; prepared: PreparedPause }
  | { kind: "Resume"; prepared: PreparedResume }
  | { kind: "Amend"; prepared: PreparedAmend }
  | { kind: "AddMember"; prepared: PreparedAddMember }
  | { kind: "ReplaceMember"; prepared: PreparedReplaceMember }
  | { kind: "ReplaceAbsentMember"; prepared: PreparedProposeReplacement }
  | { kind: "Recover"; prepared: PreparedRequestRecovery };

export type OpenConsentRequestReturnType = OpenedConsentChange & {
  /** The request's signatures, each checked: by its signer, of this change, and from someone who must consent. */
  signatures: ConsentRequestSignature[];
};
export type OpenConsentRequestErrorType =
  | InvalidLinkError
  | ConsentRequestDeploymentError
  | ConsentRequestNotSealedError
  | InvalidKeyringError
  | BlobNotFoundError
  | IntegrityError
  | TrothContractError;

/**
 * Turns a consent request into the change it asks for, as the prepare action made it: who must consent now (read
 * from the chain, in the contract's order), the typed data they sign (derived from the request), and what the change
 * stores (fetched by digest and hash-checked). Every signature the request carries is checked first (an ECDSA or an
 * ERC-1271 signature, by its signer, of this very change; empty for an on-chain `approveHash`): a request whose terms
 * were edited after someone signed, or a signature lifted from another pod's request, is refused as an
 * {@link InvalidLinkError}. A recovery's keyring is checked against the pod's key rules (`verifyKeyringRotation`).
 *
 * @example
 * ```ts
 * const opened = await openConsentRequest(troth, { request: parseConsentRequest(link, { deployment: troth }) });
 * if (opened.kind === "Pause") await submitPause(troth, { prepared: opened.prepared, signatures: opened.signatures });
 * ```
 */
export async function openConsentRequest(
  client: TrothClient,
  { request }: OpenConsentRequestParameters,
): Promise<OpenConsentRequestReturnType> {
  assertConsentDeployment(request, client);
  const typedData = consentTypedData(request);
  const { kind, podId, nonce, deadline, amendment, membership, recovery } = request;
  const members = await membersOf(client, podId);
  const leaving = kind === "ReplaceAbsentMember" ? membership?.replaced : recovery?.lost;
  const joining = membership?.member ?? recovery?.account;
  const required: Address[] = [
    ...activeAccounts(members).filter((a) => !leaving || !isAddressEqual(a, leaving)),
    ...(joining ? [joining] : []),
  ];
  const signatures = await Promise.all(
    request.signatures.map(async (s) => {
      if (!required.some((a) => isAddressEqual(a, s.signer)))
        throw new InvalidLinkError("consent", `${s.signer} signed but is not among those who consent`);
      const valid =
        s.signature === "0x" ||
        (await client.publicClient.verifyTypedData({ address: s.signer, signature: s.signature, ...typedData }));
      if (!valid) throw new InvalidLinkError("consent", `the signature of ${s.signer} is not of this change`);
      return s;
    }),
  );
  const base = { podId, nonce, deadline, required };
  const opened = await (async (): Promise<OpenedConsentChange> => {
    switch (kind) {
      case "Pause":
      case "Resume":
        return { kind, prepared: { ...base, typedData: consentTypedData({ ...request, kind }) } };
      case "Amend":
        return {
          kind,
          prepared: {
            ...base,
            amendment: amendment!,
            typedData: consentTypedData({ ...request, kind }),
            covenant: await client.store.get(amendment!.covenantDigest),
          },
        };
      case "AddMember":
      case "ReplaceMember":
      case "ReplaceAbsentMember": {
        const { replaced, ...entry } = membership!;
        const blobs = await Promise.all([
          client.store.get(entry.keyringDigest),
          client.store.get(entry.commitmentDigest),
        ]);
        // The covenant sealed for the newcomer, when the keyring carries one, travels with them.
        const { covenant } = decodeKeyring(blobs[0]);
        if (covenant) blobs.push(await client.store.get(covenant));
        const change = { ...base, entry, blobs };
        if (kind === "AddMember")
          return {
            kind,
            prepared: { ...change, replaced: undefined, typedData: consentTypedData({ ...request, kind }) },
          };
        if (kind === "ReplaceMember")
          return {
            kind,
            prepared: { ...change, replaced: replaced!, typedData: consentTypedData({ ...request, kind }) },
          };
        return {
          kind,
          prepared: { ...change, replaced: replaced!, typedData: consentTypedData({ ...request, kind }) },
        };
      }
      case "Recover": {
        const { tokenId, lost, account } = recovery!;
        const keyringDigest = recovery!.keyringDigest!;
        const checked = await verifyKeyringRotation(client, {
          podId,
          keyringDigest,
          leaving: lost,
          joining: account,
          recovery: true,
        });
        return {
          kind,
          prepared: {
            ...base,
            tokenId,
            lost,
            successor: account,
            keyringDigest,
            epoch: checked.epoch,
            grantedEpochs: checked.grantedEpochs,
            missingEpochs: checked.missingEpochs,
            typedData: consentTypedData({ ...request, kind }),
            blobs: [await client.store.get(keyringDigest)],
          },
        };
      }
    }
  })();
  return { ...opened, signatures } as OpenConsentRequestReturnType;
}
