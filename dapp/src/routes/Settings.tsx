import { type FormEvent, useState, useSyncExternalStore } from "react";
import { useAccount } from "wagmi";
import { useIdentity } from "../lib/identity.tsx";
import {
  checkStorageSettings,
  forgetMemberStorage,
  lastReplicaError,
  memberStorage,
  type StorageSettings,
  saveMemberStorage,
  subscribeMemberStorage,
} from "../lib/storageSettings.ts";
import { useRuntime } from "../lib/troth.tsx";
import { ErrorNote } from "../ui/ErrorNote.tsx";
import { Field } from "../ui/Field.tsx";
import { ConnectPanel, UnlockPanel } from "../ui/Gate.tsx";

type Access = "none" | "token" | "basic";

/** A fixed, harmless blob: storing it proves the node takes this member's writes (it is the same blob every time). */
const CHECK_BLOB = new TextEncoder().encode("Troth: a storage check from Settings.\n");

function useMemberStorage() {
  return useSyncExternalStore(subscribeMemberStorage, memberStorage, memberStorage);
}

function StorageForm() {
  const { config } = useRuntime();
  const { identity } = useIdentity();
  const saved = useMemberStorage();
  const replicaFailure = useSyncExternalStore(subscribeMemberStorage, lastReplicaError, lastReplicaError);
  const [apiUrl, setApiUrl] = useState(saved?.apiUrl ?? "");
  const [access, setAccess] = useState<Access>(!saved?.auth ? "none" : "token" in saved.auth ? "token" : "basic");
  const [token, setToken] = useState(saved?.auth && "token" in saved.auth ? saved.auth.token : "");
  const [username, setUsername] = useState(saved?.auth && "username" in saved.auth ? saved.auth.username : "");
  const [password, setPassword] = useState(saved?.auth && "password" in saved.auth ? saved.auth.password : "");
  const [pinUrl, setPinUrl] = useState(saved?.pinning?.url ?? "");
  const [pinToken, setPinToken] = useState(saved?.pinning?.token ?? "");
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);

  const typed = (): StorageSettings =>
    checkStorageSettings({
      apiUrl,
      auth: access === "token" ? { token } : access === "basic" ? { username, password } : undefined,
      pinning: pinUrl.trim() || pinToken.trim() ? { url: pinUrl, token: pinToken } : undefined,
    });

  async function run(what: string, action: () => Promise<string>) {
    setProblem(undefined);
    setError(undefined);
    setStatus(`${what}…`);
    setBusy(true);
    try {
      setStatus(await action());
    } catch (e) {
      setStatus(undefined);
      if ((e as Error).name === "StorageSettingsError") setProblem((e as Error).message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  const test = () =>
    run("Checking your storage", async () => {
      const settings = typed();
      const { createKuboStore, createPinningService } = await import("../lib/kubo.ts");
      const { cid } = await createKuboStore({ url: settings.apiUrl, auth: settings.auth }).put(CHECK_BLOB);
      if (settings.pinning) await createPinningService(settings.pinning).find(cid);
      return `Your node took a test block${settings.pinning ? " and the pinning service accepted your token" : ""}.`;
    });

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run("Saving", async () => {
      await saveMemberStorage(identity!, typed());
      return "Saved on this device, encrypted. Your next writes go to this node.";
    });
  };

  const forget = () =>
    run("Forgetting", async () => {
      await forgetMemberStorage(identity!);
      setApiUrl("");
      setAccess("none");
      setToken("");
      setUsername("");
      setPassword("");
      setPinUrl("");
      setPinToken("");
      return `Forgotten. Your writes go to the app's node again (${config.ipfsApiUrl}).`;
    });

  return (
    <form className="panel" aria-labelledby="storage-title" onSubmit={save}>
      <h2 id="storage-title">Where your encrypted words are stored</h2>
      <p>
        {saved
          ? `Your writes go to ${saved.apiUrl}${saved.pinning ? `, with a second copy at ${saved.pinning.url}` : ""}.`
          : `Your writes go to the app's node, ${config.ipfsApiUrl}, without credentials.`}{" "}
        Everything is encrypted before it leaves this device; these settings are too, and they stay here.
      </p>
      <Field
        label="Your IPFS node (Kubo RPC address)"
        hint="The address your commons gave you, e.g. https://ipfs.example.org"
      >
        {(props) => <input {...props} type="url" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} required />}
      </Field>
      <fieldset>
        <legend>How the node knows it's you</legend>
        {(
          [
            ["none", "It asks for nothing"],
            ["token", "An access token"],
            ["basic", "A user name and password"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name="access"
              value={value}
              checked={access === value}
              onChange={() => setAccess(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {access === "token" && (
        <Field label="Access token">
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          )}
        </Field>
      )}
      {access === "basic" && (
        <>
          <Field label="User name">
            {(props) => (
              <input {...props} autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
            )}
          </Field>
          <Field label="Password">
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <Field
        label="Pinning service (optional)"
        hint="An IPFS Pinning Service API address that keeps a second copy, e.g. https://api.pinata.cloud/psa"
      >
        {(props) => <input {...props} type="url" value={pinUrl} onChange={(e) => setPinUrl(e.target.value)} />}
      </Field>
      {(pinUrl.trim() !== "" || pinToken !== "") && (
        <Field label="Pinning service access token">
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={pinToken}
              onChange={(e) => setPinToken(e.target.value)}
            />
          )}
        </Field>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
      {replicaFailure && <p role="status">The last second copy failed (the first one was stored): {replicaFailure}</p>}
      <p role="status" aria-live="polite">
        {status}
      </p>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Save on this device
        </button>
        <button type="button" onClick={() => void test()} disabled={busy}>
          Test
        </button>
        {saved && (
          <button type="button" onClick={() => void forget()} disabled={busy}>
            Forget these settings
          </button>
        )}
      </div>
    </form>
  );
}

/** The member's settings: where their writes are stored (the app's config says only where reads come from). */
export default function Settings() {
  const { isConnected } = useAccount();
  const { identity } = useIdentity();
  return (
    <section>
      <h1>Settings</h1>
      {/* The settings are encrypted with the member's identity key: unlocking is all they need (no published key). */}
      {!isConnected ? <ConnectPanel /> : !identity ? <UnlockPanel /> : <StorageForm />}
    </section>
  );
}
