import { paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { Gate } from "../ui/Gate.tsx";

/** First run: connect, derive the encryption key (the gate explains the signature), publish it. */
export default function Setup() {
  return (
    <>
      <h1>Set up Troth</h1>
      <Gate>
        <section className="panel">
          <h2>You're ready</h2>
          <p>Your encryption key is published. Partners can now invite you to a pod.</p>
          <p>
            <Link to={paths.newPod()}>Write a covenant</Link> or <Link to={paths.home()}>go to my pods</Link>.
          </p>
        </section>
      </Gate>
    </>
  );
}
