/**
 * An in-memory entity store with graph-node's write rules: every `set` is validated against the schema, immutable
 * entities are written once, time series get graph-node's generated id and the block's timestamp, and `get_in_block`
 * sees only the current block's writes.
 */
import { type EntityType, type Schema, SchemaViolation } from "./schema.ts";
import type { EntityData, StoreValue } from "./values.ts";

export class StoreError extends Error {
  override name = "StoreError";
}

export class Store {
  private readonly tables = new Map<string, Map<string, EntityData>>();
  private writtenInBlock = new Map<string, Set<string>>();
  private block = 0n;
  private blockTimestamp = 0n;
  private sequence = 0n;
  /** Every write, in order, for tests that look at history (type, id, data after the write). */
  readonly writes: { type: string; id: string; block: bigint }[] = [];

  constructor(readonly schema: Schema) {}

  /** Starts a block: graph-node commits per block, and sequence ids and `get_in_block` are per block. */
  beginBlock(number: bigint, timestamp: bigint): void {
    this.block = number;
    this.blockTimestamp = timestamp;
    this.sequence = 0n;
    this.writtenInBlock = new Map();
  }

  private table(type: string): Map<string, EntityData> {
    let t = this.tables.get(type);
    if (!t) {
      t = new Map();
      this.tables.set(type, t);
    }
    return t;
  }

  get(type: string, id: string): EntityData | undefined {
    this.schema.entityType(type);
    const data = this.tables.get(type)?.get(id);
    return data ? new Map(data) : undefined;
  }

  getInBlock(type: string, id: string): EntityData | undefined {
    return this.writtenInBlock.get(type)?.has(id) ? this.get(type, id) : undefined;
  }

  set(typeName: string, id: string, input: EntityData): void {
    const type = this.schema.entityType(typeName);
    const data = new Map(input);
    let key = id;
    if (type.timeseries || id === "auto") {
      // graph-node generates the id of a time series point (block number in the high 32 bits) and sets its time.
      const generated = (this.block << 32n) | this.sequence++;
      data.set("id", idValue(type, generated));
      key = generated.toString();
      if (type.timeseries) data.set("timestamp", { kind: "Timestamp", value: this.blockTimestamp * 1_000_000n });
    }
    const idField = data.get("id");
    if (!idField) data.set("id", { kind: "String", value: key });
    else if (this.schema.idKey(type, idField) !== key) {
      throw new SchemaViolation(`${typeName}: id ${key} conflicts with the entity's id attribute`);
    }
    this.schema.validate(typeName, data);
    const table = this.table(typeName);
    if (type.immutable && table.has(key)) throw new StoreError(`${typeName} ${key} is immutable and already exists`);
    table.set(key, data);
    let written = this.writtenInBlock.get(typeName);
    if (!written) {
      written = new Set();
      this.writtenInBlock.set(typeName, written);
    }
    written.add(key);
    this.writes.push({ type: typeName, id: key, block: this.block });
  }

  remove(type: string, id: string): void {
    if (this.schema.entityType(type).immutable) throw new StoreError(`${type} ${id} is immutable`);
    this.tables.get(type)?.delete(id);
  }

  /** Entities of the type a derived field lists, whose reverse field points at `id` (graph-node `loadRelated`). */
  loadRelated(typeName: string, id: string, fieldName: string): EntityData[] {
    const type = this.schema.entityType(typeName);
    const field = type.fields.get(fieldName);
    if (!field?.derivedFrom) throw new StoreError(`${typeName}.${fieldName} is not a derived field`);
    const reverse = field.derivedFrom;
    return this.all(field.base).filter((e) => pointsAt(e.get(reverse), id));
  }

  /** Every entity of a type (copies). */
  all(type: string): EntityData[] {
    this.schema.entityType(type);
    return [...(this.tables.get(type)?.values() ?? [])].map((e) => new Map(e));
  }

  types(): EntityType[] {
    return [...this.schema.types.values()];
  }

  count(type: string): number {
    return this.tables.get(type)?.size ?? 0;
  }
}

function idValue(type: EntityType, generated: bigint): StoreValue {
  const id = type.fields.get("id");
  if (id?.base === "Int8") return { kind: "Int8", value: generated };
  throw new StoreError(`${type.name}: generated ids need an Int8 id`);
}

function pointsAt(value: StoreValue | undefined, id: string): boolean {
  if (!value) return false;
  if (value.kind === "Array") return value.value.some((v) => pointsAt(v, id));
  if (value.kind === "Bytes" || value.kind === "String") return value.value === id;
  if (value.kind === "Int8") return value.value.toString() === id;
  return false;
}
