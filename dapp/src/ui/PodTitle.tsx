import { useCovenant } from "../hooks/reads.ts";
import { idText } from "../lib/links.ts";

/** The pod's title, decrypted when the member has unlocked; its short id otherwise. */
export function PodTitle({ podId }: { podId: bigint }) {
  const covenant = useCovenant(podId);
  return <>{covenant.data?.title ?? `Pod ${idText(podId).slice(0, 10)}…`}</>;
}
