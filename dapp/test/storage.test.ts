/**
 * A member's storage settings, encrypted on the device (never a token in the clear, never in the served config), and
 * where the app's config comes from (next to the app first, then URL parameters). The store that uses the settings is
 * tested against a real node in browserStore.test.ts.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigError, configFromParameters, findCredentials, loadConfig, parseConfig } from "../src/lib/config.ts";
import {
  checkStorageSettings,
  clearMemberStorage,
  forgetMemberStorage,
  loadMemberStorage,
  memberStorage,
  StorageSettingsError,
  saveMemberStorage,
} from "../src/lib/storageSettings.ts";
import { testIdentity } from "./helpers.ts";

const troth = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

describe("the member's storage settings", () => {
  beforeEach(() => {
    localStorage.clear();
    clearMemberStorage();
  });

  it("are kept encrypted: neither the token nor the node's address is in storage, and another key reads nothing", async () => {
    const me = testIdentity(1);
    await saveMemberStorage(me, {
      apiUrl: "https://ipfs.commons.example/",
      auth: { token: "tok-SECRET-123" },
      pinning: { url: "https://pins.example", token: "pin-SECRET-456" },
    });
    const stored = JSON.stringify(Object.entries(localStorage));
    for (const secret of ["tok-SECRET-123", "pin-SECRET-456", "commons.example", "pins.example"])
      expect(stored).not.to.contain(secret);
    clearMemberStorage();
    expect(memberStorage()).to.equal(undefined);
    const loaded = await loadMemberStorage(me);
    expect(loaded).to.deep.equal({
      apiUrl: "https://ipfs.commons.example",
      auth: { token: "tok-SECRET-123" },
      pinning: { url: "https://pins.example", token: "pin-SECRET-456" },
    });
    expect(await loadMemberStorage(testIdentity(2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"))).to.equal(undefined);
    await forgetMemberStorage(me);
    expect(await loadMemberStorage(me)).to.equal(undefined);
  });

  it("refuse what does not hold together, in plain words", () => {
    expect(() => checkStorageSettings({ apiUrl: "ipfs.example" })).toThrow(StorageSettingsError);
    expect(() => checkStorageSettings({ apiUrl: "https://user:pw@ipfs.example" })).toThrow(/own fields/);
    expect(() => checkStorageSettings({ apiUrl: "https://ipfs.example", auth: { token: "  " } })).toThrow(/empty/);
    expect(() =>
      checkStorageSettings({ apiUrl: "https://ipfs.example", pinning: { url: "https://pins.example", token: "" } }),
    ).toThrow(/pinning service's access token is empty/);
  });
});

describe("the app's config", () => {
  const config = { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", contracts: { troth } };
  const served = (files: Record<string, unknown>) => {
    const asked: string[] = [];
    const fetchFn = (async (input: URL | string) => {
      const url = new URL(String(input));
      asked.push(url.href);
      const body = files[url.href];
      return body === undefined ? new Response("no", { status: 404 }) : Response.json(body);
    }) as typeof fetch;
    return { asked, fetchFn };
  };

  it("is read from troth-config.json next to the app first (no 404 for config.json on every load)", async () => {
    const base = "http://gw.example/ipfs/bafyapp/";
    const { asked, fetchFn } = served({ [`${base}troth-config.json`]: config });
    const loaded = await loadConfig(fetchFn, { search: "", baseURI: base });
    expect(loaded.contracts.troth).to.equal(troth);
    expect(asked).to.deep.equal([`${base}troth-config.json`]);
  });

  it("comes from URL parameters, or ?config=<url>, only for a build published without one", async () => {
    const base = "http://gw.example/ipfs/bafyapp/";
    const search = `?chain=31337&rpc=https://rpc.example&troth=${troth}&gateway=https://a.example&gateway=https://b.example`;
    const bare = served({});
    const fromParams = await loadConfig(bare.fetchFn, { search, baseURI: base });
    expect(fromParams.rpcUrl).to.equal("https://rpc.example");
    expect(fromParams.ipfsGatewayUrls).to.deep.equal(["https://a.example", "https://b.example"]);
    const elsewhere = served({ "https://commons.example/troth.json": { ...config, rpcUrl: "https://other.example" } });
    const fromUrl = await loadConfig(elsewhere.fetchFn, {
      search: "?config=https://commons.example/troth.json",
      baseURI: base,
    });
    expect(fromUrl.rpcUrl).to.equal("https://other.example");
    // A config published with the app wins: a link cannot point the app at another contract.
    const published = served({ [`${base}troth-config.json`]: config });
    const wins = await loadConfig(published.fetchFn, {
      search: "?troth=0x0000000000000000000000000000000000000bad&rpc=https://evil.example",
      baseURI: base,
    });
    expect([wins.contracts.troth, wins.rpcUrl]).to.deep.equal([troth, "http://127.0.0.1:8545"]);
    expect(configFromParameters("?utm_source=x")).to.equal(undefined);
    await expect(loadConfig(bare.fetchFn, { search: "", baseURI: base })).rejects.toBeInstanceOf(ConfigError);
  });

  it("refuses a config that holds a credential (it is public), naming the field", () => {
    expect(findCredentials({ ipfs: { api: "https://u:p@ipfs.example", token: "x" } })).to.deep.equal([
      "ipfs.api",
      "ipfs.token",
    ]);
    expect(() => parseConfig({ ...config, ipfsApiToken: "leaked" })).toThrow(/hold a credential \(ipfsApiToken\)/);
    expect(
      findCredentials({ ...config, walletConnectProjectId: "abc", ipfs: { rpcUrl: "http://127.0.0.1:5001" } }),
    ).to.deep.equal([]);
  });
});
