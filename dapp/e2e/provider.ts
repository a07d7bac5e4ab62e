/**
 * An EIP-1193 wallet for the end-to-end test, injected into the page before any script runs: it forwards every
 * request to the local Hardhat node, where the dev accounts are unlocked (so the node signs messages, typed data and
 * transactions for `address`), and announces itself by EIP-6963 like a browser wallet extension.
 *
 * The function is serialized by Playwright's `addInitScript`: it must not close over anything.
 */
export type InjectedWallet = { rpcUrl: string; address: string; name: string; uuid: string };

export function injectWallet({ rpcUrl, address, name, uuid }: InjectedWallet) {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  let id = 0;
  let connected = false;
  async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = await response.json();
    if (body.error)
      throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  }
  const provider = {
    isTrothTestWallet: true,
    async request({ method, params = [] }: { method: string; params?: unknown[] }): Promise<unknown> {
      switch (method) {
        case "eth_requestAccounts":
          connected = true;
          return [address];
        case "eth_accounts":
          return connected ? [address] : [];
        case "wallet_requestPermissions":
          connected = true;
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_getPermissions":
          return connected ? [{ parentCapability: "eth_accounts" }] : [];
        case "wallet_revokePermissions":
          connected = false;
          return null;
        case "wallet_switchEthereumChain": {
          const chainId = await rpc("eth_chainId");
          const wanted = (params[0] as { chainId: string }).chainId;
          if (Number(wanted) !== Number(chainId)) throw Object.assign(new Error("Unrecognized chain"), { code: 4902 });
          return null;
        }
        case "eth_sendTransaction": {
          const tx = { ...(params[0] as Record<string, unknown>), from: address };
          return rpc(method, [tx]);
        }
        default:
          return rpc(method, params as unknown[]);
      }
    },
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return provider;
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  const icon =
    "data:image/svg+xml;base64," +
    btoa(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#2f5d50"/></svg>',
    );
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", {
        detail: Object.freeze({ info: { uuid, name, icon, rdns: "org.troth.testwallet" }, provider }),
      }),
    );
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}
