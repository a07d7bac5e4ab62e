import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { buildIcs } from "../lib/ics.ts";
import { useTroth } from "../lib/troth.tsx";
import { roundWindowsQueryOptions } from "../queries/index.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** Downloads a calendar (.ics) of the pod's rounds, each from its opening to its close (grace included). */
export function IcsButton({ podId, rounds, title }: { podId: bigint; rounds: number; title: string }) {
  const { client } = useTroth();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setError(null);
    try {
      const windows = await queryClient.fetchQuery(
        roundWindowsQueryOptions(client, { podId, rounds: Array.from({ length: rounds }, (_, i) => i) }),
      );
      const url = URL.createObjectURL(new Blob([buildIcs({ podId, title, windows })], { type: "text/calendar" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${title.replace(/[^\w -]+/g, "").trim() || "troth-pod"}.ics`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <button type="button" onClick={download}>
        Add the rounds to my calendar (.ics)
      </button>
      <ErrorNote error={error} />
    </>
  );
}
