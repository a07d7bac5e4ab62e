import { getPodCalendar } from "@troth/sdk";
import { useState } from "react";
import { paths, shareUrl } from "../lib/links.ts";
import { useTroth } from "../lib/troth.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

/**
 * Downloads a calendar (.ics) of the pod's rounds, named after the pod, from the SDK's one writer (the CLI's
 * `troth ics` writes the same events): each round while it is open, then its grace window with an alarm.
 */
export function IcsButton({
  podId,
  title,
}: {
  podId: bigint;
  /** The pod's name (its covenant's title): the calendar and the file are named after it. */
  title: string;
}) {
  const { client } = useTroth();
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setError(null);
    try {
      const { ics, fileName } = await getPodCalendar(client, { podId, name: title, url: shareUrl(paths.pod(podId)) });
      const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = fileName;
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
