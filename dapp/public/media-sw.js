// @ts-check
/**
 * The dApp's service worker, and all it does: it streams a recording the browser cannot play through Media Source
 * Extensions (an attached .ogg, .mp4 or .wav file) to an <audio> or <video> element range by range, so a file of any
 * size plays and seeks without ever being held whole.
 *
 * It keeps nothing and decrypts nothing. A request for `…/troth-media/<id>` goes, with its Range header, to the page
 * that opened the recording (dapp/src/lib/mediaWorker.ts), which answers with the status and headers, then with one
 * piece of plaintext each time this worker asks for more: the element's reading paces the fetching, checking and
 * decrypting of chunks in the page, where the keys live. Every other request never reaches this worker (a static
 * route sends it to the network where the browser has them; otherwise the handler below lets it pass).
 *
 * Plain JavaScript: a service worker must be served under a fixed name at the app's root, which Vite copies from
 * `public/` as it is. Type-checked by `tsc -p dapp/tsconfig.worker.json`.
 */

/** @typedef {{ status: number, headers: Record<string, string>, body?: boolean, text?: string }} Head */
/** @typedef {{ bytes?: ArrayBuffer, error?: string, done?: boolean }} Piece */

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const MEDIA_PATH = /\/troth-media\/([A-Za-z0-9-]+)$/;

/** What the app itself fetches (its code, its RPC and IPFS calls, pages): never a recording, which an <audio> or
 * <video> element asks for. */
const NOT_MEDIA = ["", "document", "script", "style", "image", "font", "manifest", "worker"];

sw.addEventListener("install", (event) => {
  // Only media requests come here: the app's own requests and its RPC calls skip the worker entirely (Chromium's
  // static routing; where a browser lacks it, the fetch handler lets them pass).
  const install = /** @type {ExtendableEvent & { addRoutes?: (rules: unknown) => Promise<void> }} */ (event);
  if (typeof install.addRoutes === "function") {
    const rules = NOT_MEDIA.map((requestDestination) => ({ condition: { requestDestination }, source: "network" }));
    event.waitUntil(
      install.addRoutes(rules).catch((error) => console.warn("Troth media worker: static routes refused", error)),
    );
  }
  void sw.skipWaiting();
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(sw.clients.claim());
});

sw.addEventListener("fetch", (event) => {
  const match = MEDIA_PATH.exec(new URL(event.request.url).pathname);
  if (!match || event.request.method !== "GET") return;
  event.respondWith(fromPage(event, match[1]));
});

/**
 * The messages that arrive on `port`, one at a time, in order.
 * @param {MessagePort} port
 * @returns {() => Promise<any>}
 */
function inbox(port) {
  /** @type {unknown[]} */
  const queue = [];
  /** @type {((value: unknown) => void)[]} */
  const waiting = [];
  port.onmessage = (event) => {
    const waiter = waiting.shift();
    if (waiter) waiter(event.data);
    else queue.push(event.data);
  };
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
}

/**
 * Asks the page that opened recording `id` for the bytes this request wants, and streams its answer.
 * @param {FetchEvent} event
 * @param {string} id
 * @returns {Promise<Response>}
 */
async function fromPage(event, id) {
  const client = await sw.clients.get(event.clientId);
  if (!client) return new Response("The page that opened this recording is closed.", { status: 404 });
  const { port1, port2 } = new MessageChannel();
  const next = inbox(port1);
  client.postMessage({ type: "troth-media", id, range: event.request.headers.get("range") }, [port2]);
  /** @type {Head} */
  const head = await next();
  if (!head.body) {
    port1.close();
    return new Response(head.text ?? null, { status: head.status, headers: head.headers });
  }
  const body = new ReadableStream(
    {
      async pull(controller) {
        port1.postMessage("more");
        /** @type {Piece} */
        const piece = await next();
        if (piece.bytes) return controller.enqueue(new Uint8Array(piece.bytes));
        port1.close();
        if (piece.error) controller.error(new Error(piece.error));
        else controller.close();
      },
      cancel() {
        port1.postMessage("cancel");
        port1.close();
      },
    },
    // Ask for a piece only when the element reads: nothing piles up here.
    { highWaterMark: 0 },
  );
  return new Response(body, { status: head.status, headers: head.headers });
}
