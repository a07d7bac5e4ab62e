/** Reading a commitment's on-chain metadata: a base64 JSON data URI whose image is a base64 SVG data URI. */
export type CommitmentMetadata = {
  name: string;
  description: string;
  image: string;
  attributes: { trait_type: string; value: string | number }[];
};

const JSON_PREFIX = "data:application/json;base64,";
const SVG_PREFIX = "data:image/svg+xml;base64,";

/** Decodes a token URI; throws when it is not the data URI shape Troth promises. */
export function decodeTokenURI(uri: string): { json: CommitmentMetadata; svg: string } {
  if (!uri.startsWith(JSON_PREFIX)) throw new Error(`not a base64 JSON data URI: ${uri.slice(0, 40)}…`);
  const json = JSON.parse(Buffer.from(uri.slice(JSON_PREFIX.length), "base64").toString("utf8")) as CommitmentMetadata;
  if (!json.image.startsWith(SVG_PREFIX)) throw new Error(`image is not a base64 SVG data URI: ${json.image}`);
  const svg = Buffer.from(json.image.slice(SVG_PREFIX.length), "base64").toString("utf8");
  return { json, svg };
}

/** The value of one attribute. */
export function attribute(json: CommitmentMetadata, traitType: string): string | number | undefined {
  return json.attributes.find((a) => a.trait_type === traitType)?.value;
}

/** Fill colours of the round dots, in round order (the ring draws one circle with `cy="-112"` per round). */
export function roundFills(svg: string): string[] {
  return [...svg.matchAll(/<circle cy="-112"[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
}
