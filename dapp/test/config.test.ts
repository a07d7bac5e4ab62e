import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/lib/config.ts";

const troth = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const lens = "0xCafac3dD18aC6c6e92c921884f9E4176737C052c";

describe("parseConfig", () => {
  it("reads the config npm start serves (ipfs.rpcUrl, deployment.*)", () => {
    const config = parseConfig({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      ipfs: { rpcUrl: "http://127.0.0.1:5001", gatewayUrl: "http://127.0.0.1:5001/" },
      deployment: { chainId: 31337, troth, lens, governance: troth, startBlock: 3 },
    });
    expect(config.chainId).to.equal(31337);
    expect(config.ipfsApiUrl).to.equal("http://127.0.0.1:5001");
    expect(config.ipfsGatewayUrl).to.equal("http://127.0.0.1:5001");
    expect(config.contracts).to.deep.equal({ troth, lens });
    expect(config.startBlock).to.equal(3);
    expect(config.chainName).to.equal("Local devnet");
    expect(config.walletConnectProjectId).to.equal(undefined);
  });

  it("reads the flat spelling, with a WalletConnect project id", () => {
    const config = parseConfig({
      chainId: 11155111,
      chainName: "Sepolia",
      rpcUrl: "https://rpc.example/",
      ipfsApiUrl: "https://pin.example",
      ipfsGatewayUrl: "https://gw.example",
      contracts: { troth: troth.toLowerCase() },
      walletConnectProjectId: "abc",
    });
    expect(config.contracts.troth).to.equal(troth);
    expect(config.contracts.lens).to.equal(undefined);
    expect(config.rpcUrl).to.equal("https://rpc.example");
    expect(config.walletConnectProjectId).to.equal("abc");
  });

  it("takes several RPC endpoints (rpcUrls, tried in order), and a single rpcUrl as before", () => {
    const several = parseConfig({ troth, rpcUrls: ["https://a.example/", "https://b.example"] });
    expect(several.rpcUrls).to.deep.equal(["https://a.example", "https://b.example"]);
    expect(several.rpcUrl).to.equal("https://a.example");
    const one = parseConfig({ troth, rpcUrl: "https://rpc.example" });
    expect(one.rpcUrls).to.deep.equal(["https://rpc.example"]);
    expect(() => parseConfig({ troth, rpcUrls: [] })).to.throw(ConfigError, /rpcUrls/);
    expect(() => parseConfig({ troth, rpcUrls: "https://a.example" })).to.throw(ConfigError, /rpcUrls/);
    expect(() => parseConfig({ troth, rpcUrls: ["https://a.example", "ws://b"] })).to.throw(
      ConfigError,
      /rpcUrls\[1\]/,
    );
  });

  it("refuses a config without a contract, or with bad values, in plain words", () => {
    expect(() => parseConfig({ chainId: 5 })).to.throw(ConfigError, /No Troth contract address for chain 5/);
    expect(() => parseConfig({ chainId: -1, troth })).to.throw(ConfigError, /chainId/);
    expect(() => parseConfig({ troth, rpcUrl: "ftp://x" })).to.throw(ConfigError, /rpcUrl/);
    expect(() => parseConfig({ troth: "0x123" })).to.throw(ConfigError, /contracts.troth/);
    expect(() => parseConfig("nope")).to.throw(ConfigError);
  });
});
