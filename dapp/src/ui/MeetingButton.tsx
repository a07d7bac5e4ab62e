import { paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";

/** Pod home's way into meeting mode (a lazy screen of its own): start a meeting for the open round. */
export function MeetingButton({ podId, member }: { podId: bigint; member: boolean }) {
  if (!member) return null;
  return (
    <Link to={paths.meeting(podId)} className="button">
      Hold the meeting
    </Link>
  );
}
