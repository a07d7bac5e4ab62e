import { useQuery } from "@tanstack/react-query";
import { useIdentity } from "../lib/identity.tsx";
import { decodeProposal, paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";

type Stored = { title?: string; covenant?: string; podId?: string; awaitingKeys?: boolean };

/** Writing kept on this device (encrypted) that has not reached the chain yet. */
export function Drafts() {
  const { vault } = useIdentity();
  const drafts = useQuery({
    queryKey: ["local", "drafts", vault?.address],
    queryFn: () => vault!.list<Stored>(),
    enabled: !!vault,
    gcTime: 0,
  });
  if (!drafts.data || drafts.data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="drafts-title">
      <h2 id="drafts-title">Not sent yet</h2>
      <p>Kept on this device, encrypted, until the chain confirms them.</p>
      <ul>
        {drafts.data.map((d) => {
          const [kind, a] = d.id.split(":");
          if (kind === "covenant")
            return (
              <li key={d.id}>
                <Link to={paths.newPod()}>
                  {d.value.awaitingKeys
                    ? "A covenant waiting for a partner to set up Troth (it finishes by itself)"
                    : "A covenant you're writing"}
                </Link>
              </li>
            );
          if (kind === "proposal" && d.value.covenant)
            return (
              <li key={d.id}>
                <Link to={paths.proposal(decodeProposal(d.value.covenant))}>
                  “{d.value.title}”: waiting for everyone to sign
                </Link>
              </li>
            );
          if (kind === "checkin" && d.value.podId)
            return (
              <li key={d.id}>
                <Link to={paths.checkIn(BigInt(d.value.podId))}>A check-in you're writing</Link>
              </li>
            );
          return <li key={d.id}>{a ? `Draft ${kind}` : kind}</li>;
        })}
      </ul>
    </section>
  );
}
