import { getIdentityKey, getPublishedIdentityKey, publishIdentityKeySync } from "@troth/sdk";
import { type Hex, isHex, zeroHash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type Command, noMorePositionals } from "../args.ts";
import { CliError } from "../errors.ts";
import { encryptKeystore, writeKeystore } from "../keystore.ts";
import { promptPassword } from "../prompt.ts";

export const keysInit: Command = {
  summary: "create an encrypted keystore (a new key, or TROTH_PRIVATE_KEY's)",
  usage: "[--force]",
  help: `Writes the keystore file (--keystore, TROTH_KEYSTORE, default ~/.troth/keystore.json) encrypted with a password
from TROTH_PASSWORD or a prompt. With TROTH_PRIVATE_KEY set, that key is imported; otherwise a new one is made.`,
  options: { force: { type: "boolean", default: false } },
  async run(ctx, values, positionals) {
    noMorePositionals(positionals, 0);
    const imported = process.env.TROTH_PRIVATE_KEY?.trim();
    let privateKey: Hex;
    if (imported) {
      privateKey = (imported.startsWith("0x") ? imported : `0x${imported}`) as Hex;
      if (!isHex(privateKey) || privateKey.length !== 66) {
        throw new CliError("TROTH_PRIVATE_KEY is not a 32-byte hex private key.");
      }
    } else {
      privateKey = generatePrivateKey();
    }
    let password = process.env.TROTH_PASSWORD;
    if (password === undefined) {
      password = await promptPassword("New keystore password: ");
      if ((await promptPassword("Repeat the password: ")) !== password) throw new CliError("The passwords differ.");
    }
    if (password.length < 8) throw new CliError("Choose a password of at least 8 characters.");
    ctx.out.progress("encrypting the key (scrypt)");
    await writeKeystore(ctx.keystore, await encryptKeystore(privateKey, password), values.force);
    const { address } = privateKeyToAccount(privateKey);
    ctx.out.result({ address, keystore: ctx.keystore, imported: Boolean(imported) }, [
      `${imported ? "Imported" : "Created"} ${address}`,
      `Keystore: ${ctx.keystore}`,
      "Next: `troth keys publish` so partners can include you in a pod.",
    ]);
  },
};

export const keysShow: Command = {
  summary: "show the signer's address and identity key, and whether it is published",
  usage: "",
  options: {},
  async run(ctx, _values, positionals) {
    noMorePositionals(positionals, 0);
    const account = await ctx.signer();
    const identity = await getIdentityKey(account);
    const client = await ctx.client();
    const published = (await getPublishedIdentityKey(client, { account: account.address })) ?? zeroHash;
    const state =
      published === zeroHash
        ? "not published"
        : published === identity.publicKeyHex
          ? "published"
          : "another key is published";
    ctx.out.result(
      {
        address: account.address,
        identityKey: identity.publicKeyHex,
        published: published === identity.publicKeyHex,
        onChain: published,
      },
      [`Address       ${account.address}`, `Identity key  ${identity.publicKeyHex}`, `On chain      ${state}`],
    );
  },
};

export const keysPublish: Command = {
  summary: "publish the signer's identity key (partners need it to include you in a pod)",
  usage: "",
  options: {},
  async run(ctx, _values, positionals) {
    noMorePositionals(positionals, 0);
    const [client, identity] = await Promise.all([ctx.client({ write: true }), ctx.identity()]);
    ctx.out.progress("publishing the identity key");
    const { hash } = await publishIdentityKeySync(client, { identity });
    ctx.out.result({ address: identity.address, identityKey: identity.publicKeyHex, transaction: hash }, [
      `Published the identity key of ${identity.address}`,
      `Transaction ${hash}`,
    ]);
  },
};
