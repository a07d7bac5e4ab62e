/**
 * A small GraphQL endpoint over the subgraph test harness's entity store (the entities the REAL built mappings wrote),
 * answering the subset of graph-node's query language the SDK's subgraph reader issues: a singular entity by `id`,
 * a plural entity list with `first`/`skip`/`orderBy`/`orderDirection`, entity references, `@derivedFrom` lists with
 * the same arguments, and `_meta { block { number timestamp } }`. Values are serialized as graph-node does (Bytes as
 * hex, BigInt and BigDecimal as strings). Anything else is answered with a GraphQL error, so the reader cannot rely
 * on something this subset silently ignores.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FieldNode, Kind, parse, type SelectionSetNode, type ValueNode } from "graphql";
import type { Store } from "../../../subgraph/test/harness/store.ts";
import { decimalToString, type EntityData, type StoreValue } from "../../../subgraph/test/harness/values.ts";

export type Meta = { block: { number: number; timestamp: number } };

class QueryError extends Error {}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function serialize(value: StoreValue): unknown {
  switch (value.kind) {
    case "Null":
      return null;
    case "Array":
      return value.value.map(serialize);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return value.value.toString();
    case "BigDecimal":
      return decimalToString(value.value);
    default:
      return value.value;
  }
}

function sortKey(value: StoreValue | undefined): bigint | number | string | boolean {
  if (!value || value.kind === "Null") throw new QueryError("cannot order by a null field");
  if (value.kind === "Array" || value.kind === "BigDecimal") throw new QueryError(`cannot order by a ${value.kind}`);
  return value.value;
}

export function executeQuery(
  store: Store,
  meta: Meta,
  query: string,
  variables: Record<string, unknown>,
): { data?: unknown; errors?: { message: string }[] } {
  const argValue = (node: ValueNode): unknown => {
    switch (node.kind) {
      case Kind.VARIABLE:
        if (!(node.name.value in variables)) throw new QueryError(`variable $${node.name.value} not provided`);
        return variables[node.name.value];
      case Kind.INT:
        return Number(node.value);
      case Kind.STRING:
      case Kind.ENUM:
        return node.value;
      default:
        throw new QueryError(`unsupported argument kind ${node.kind}`);
    }
  };
  const argsOf = (field: FieldNode, allowed: string[]) => {
    const args: Record<string, unknown> = {};
    for (const a of field.arguments ?? []) {
      if (!allowed.includes(a.name.value)) throw new QueryError(`unsupported argument ${a.name.value}`);
      args[a.name.value] = argValue(a.value);
    }
    return args;
  };
  const fieldsOf = (set: SelectionSetNode | undefined): FieldNode[] => {
    if (!set) throw new QueryError("a selection set is required");
    return set.selections.map((s) => {
      if (s.kind !== Kind.FIELD || s.alias) throw new QueryError("only plain fields are supported");
      return s;
    });
  };
  const list = (entities: EntityData[], field: FieldNode): EntityData[] => {
    const {
      first = 100,
      skip = 0,
      orderBy,
      orderDirection = "asc",
    } = argsOf(field, ["first", "skip", "orderBy", "orderDirection"]) as {
      first?: number;
      skip?: number;
      orderBy?: string;
      orderDirection?: string;
    };
    const sorted = orderBy
      ? [...entities].sort((a, b) => {
          const x = sortKey(a.get(orderBy));
          const y = sortKey(b.get(orderBy));
          return (x < y ? -1 : x > y ? 1 : 0) * (orderDirection === "desc" ? -1 : 1);
        })
      : entities;
    return sorted.slice(skip, skip + first);
  };
  const resolve = (typeName: string, entity: EntityData, set: SelectionSetNode | undefined): unknown => {
    const type = store.schema.entityType(typeName);
    const id = entity.get("id");
    if (!id || (id.kind !== "Bytes" && id.kind !== "String")) throw new QueryError(`${typeName} without an id`);
    const out: Record<string, unknown> = {};
    for (const field of fieldsOf(set)) {
      const name = field.name.value;
      const def = type.fields.get(name);
      if (!def) throw new QueryError(`Type \`${typeName}\` has no field \`${name}\``);
      if (def.derivedFrom) {
        const related = list(store.loadRelated(typeName, id.value, name), field);
        out[name] = related.map((e) => resolve(def.base, e, field.selectionSet));
      } else if (def.category === "entity") {
        const ref = entity.get(name);
        if (!ref || ref.kind === "Null") out[name] = null;
        else if (ref.kind !== "Bytes" && ref.kind !== "String") throw new QueryError(`${name}: unsupported reference`);
        else {
          const target = store.get(def.base, ref.value);
          if (!target) throw new QueryError(`${name}: ${def.base} ${ref.value} does not exist`);
          out[name] = resolve(def.base, target, field.selectionSet);
        }
      } else {
        if (field.selectionSet) throw new QueryError(`${name} is a scalar`);
        out[name] = serialize(entity.get(name) ?? { kind: "Null" });
      }
    }
    return out;
  };

  try {
    const document = parse(query);
    if (document.definitions.length !== 1 || document.definitions[0].kind !== Kind.OPERATION_DEFINITION) {
      throw new QueryError("exactly one operation is supported");
    }
    const data: Record<string, unknown> = {};
    for (const field of fieldsOf(document.definitions[0].selectionSet)) {
      const name = field.name.value;
      if (name === "_meta") {
        for (const f of fieldsOf(field.selectionSet)) {
          if (f.name.value !== "block") throw new QueryError(`_meta has no field ${f.name.value}`);
          for (const b of fieldsOf(f.selectionSet)) {
            if (b.name.value !== "number" && b.name.value !== "timestamp")
              throw new QueryError(`block.${b.name.value}`);
          }
        }
        data._meta = meta;
        continue;
      }
      const singular = store.types().find((t) => lowerFirst(t.name) === name && !t.aggregation && !t.timeseries);
      const plural = store.types().find((t) => `${lowerFirst(t.name)}s` === name && !t.aggregation && !t.timeseries);
      if (singular) {
        const { id } = argsOf(field, ["id"]) as { id?: string };
        if (typeof id !== "string") throw new QueryError(`${name} needs an id`);
        const entity = store.get(singular.name, id.toLowerCase());
        data[name] = entity ? resolve(singular.name, entity, field.selectionSet) : null;
      } else if (plural) {
        data[name] = list(store.all(plural.name), field).map((e) => resolve(plural.name, e, field.selectionSet));
      } else {
        throw new QueryError(`Type \`Query\` has no field \`${name}\``);
      }
    }
    return { data };
  } catch (error) {
    if (error instanceof QueryError || (error as Error).name === "GraphQLError") {
      return { errors: [{ message: (error as Error).message }] };
    }
    throw error;
  }
}

/** Serves `executeQuery` over HTTP POST on 127.0.0.1 (a random port); `meta()` is read at each request. */
export async function serveSubgraph(store: Store, meta: () => Meta): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== "POST") {
      response.writeHead(405).end();
      return;
    }
    let body: { query: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ errors: [{ message: "the body is not JSON" }] }));
      return;
    }
    const result = executeQuery(store, meta(), body.query, body.variables ?? {});
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/subgraphs/name/troth`, server };
}
