/** The schema's own rules: a description on every type, field and enum value; ids as the scaffold has them. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { subgraphDir } from "./build.ts";
import { Schema } from "./harness/schema.ts";

const source = readFileSync(path.join(subgraphDir, "schema.graphql"), "utf8");

describe("schema.graphql", () => {
  it("describes every type, field and enum value", () => {
    const undescribed: string[] = [];
    for (const def of parse(source).definitions) {
      if (def.kind === Kind.OBJECT_TYPE_DEFINITION) {
        if (!def.description) undescribed.push(def.name.value);
        for (const f of def.fields ?? []) if (!f.description) undescribed.push(`${def.name.value}.${f.name.value}`);
      } else if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
        if (!def.description) undescribed.push(def.name.value);
        for (const v of def.values ?? []) if (!v.description) undescribed.push(`${def.name.value}.${v.name.value}`);
      }
    }
    expect(undescribed).to.deep.equal([]);
  });

  it("keys event entities by Bytes and makes them immutable; time series and aggregations by Int8", () => {
    const schema = new Schema(source);
    for (const type of schema.types.values()) {
      const id = type.fields.get("id")?.base;
      if (type.timeseries || type.aggregation) {
        expect([type.name, id]).to.deep.equal([type.name, "Int8"]);
        expect(type.fields.get("timestamp")?.base).to.equal("Timestamp");
      } else {
        expect([type.name, id]).to.deep.equal([type.name, "Bytes"]);
      }
    }
    // Every event handler's entity (the event's name, or CommitmentBurned for burns) is immutable.
    const manifest = readFileSync(path.join(subgraphDir, "subgraph.yaml"), "utf8");
    const events = [...manifest.matchAll(/- event: (\w+)\(/g)].map((m) =>
      m[1] === "Transfer" ? "CommitmentBurned" : m[1],
    );
    expect(events.length).to.equal(20);
    for (const name of events) expect([name, schema.entityType(name).immutable]).to.deep.equal([name, true]);
  });
});
