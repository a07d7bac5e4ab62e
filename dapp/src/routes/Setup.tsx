import { getAddress, isAddress } from "viem";
import { shortAddress } from "../lib/format.ts";
import { paths } from "../lib/links.ts";
import { Link, usePath } from "../lib/router.tsx";
import { Gate } from "../ui/Gate.tsx";

/** Who sent the invitation this page was opened from (`#/setup?invited-by=0x…`), if anyone. */
function invitedBy(path: string) {
  const from = new URLSearchParams(path.split("?")[1] ?? "").get("invited-by");
  return from && isAddress(from) ? getAddress(from) : undefined;
}

/**
 * First run: connect, derive the encryption key (the gate explains the signature), publish it. Opened from a
 * partner's invitation, it says what happens next: the covenant waiting on their device finishes by itself.
 */
export default function Setup() {
  const from = invitedBy(usePath());
  return (
    <>
      <h1>Set up Troth</h1>
      {from && (
        <p className="lead">
          {shortAddress(from)} invited you to a pod. Connect your wallet and publish your encryption key: then the
          covenant they wrote can be encrypted for you.
        </p>
      )}
      <Gate>
        <section className="panel">
          <h2>You're ready</h2>
          <p>Your encryption key is published. Partners can now invite you to a pod.</p>
          {from ? (
            <p>
              The covenant {shortAddress(from)} wrote with you finishes by itself on their device now that your key is
              here, and they send you its link to read and sign. Nothing more to do until then:{" "}
              <Link to={paths.home()}>go to my pods</Link>.
            </p>
          ) : (
            <p>
              <Link to={paths.newPod()}>Write a covenant</Link> or <Link to={paths.home()}>go to my pods</Link>.
            </p>
          )}
        </section>
      </Gate>
    </>
  );
}
