import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { loadConfig } from "./lib/config.ts";
import { IdentityProvider } from "./lib/identity.tsx";
import { createQueryClient } from "./lib/queryClient.ts";
import { createAppAudit, createReadClient, TrothProvider } from "./lib/troth.tsx";
import { createWagmiConfig } from "./lib/wagmi.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

async function start() {
  const config = await loadConfig();
  const wagmiConfig = await createWagmiConfig(config);
  const client = createReadClient({ config, wagmiConfig });
  client.catch(() => {}); // a failure shows on the screens that need the client
  const queryClient = createQueryClient();
  root.render(
    <StrictMode>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <TrothProvider value={{ config, wagmiConfig, client, audit: createAppAudit(client, config) }}>
            <IdentityProvider>
              <App />
            </IdentityProvider>
          </TrothProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
}

start().catch((error: Error) => {
  root.render(
    <main className="page">
      <h1>Troth can't start</h1>
      <p role="alert">{error.message}</p>
    </main>,
  );
});
