/**
 * The subgraph's GraphQL schema as graph-node enforces it on `store.set`: entity types, their fields' types and
 * nullability, derived fields, immutability, time series and aggregations. Every write the mappings make is checked
 * against it, so "the entities match the schema" is checked on every write, not sampled.
 */
import { readFileSync } from "node:fs";
import {
  type ConstDirectiveNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type StringValueNode,
  type TypeNode,
} from "graphql";
import { type EntityData, type StoreValue, type StoreValueKindName, showValue } from "./values.ts";

const scalarKinds: Record<string, StoreValueKindName> = {
  ID: "String",
  String: "String",
  Bytes: "Bytes",
  BigInt: "BigInt",
  BigDecimal: "BigDecimal",
  Int: "Int",
  Int8: "Int8",
  Boolean: "Bool",
  Timestamp: "Timestamp",
};

export type FieldType = {
  name: string;
  /** Named type: a scalar, an enum or an entity type. */
  base: string;
  category: "scalar" | "enum" | "entity";
  list: boolean;
  required: boolean;
  /** For lists: elements may not be null. */
  requiredElements: boolean;
  derivedFrom?: string;
  description?: string;
};

export type EntityType = {
  name: string;
  fields: Map<string, FieldType>;
  immutable: boolean;
  timeseries: boolean;
  aggregation: boolean;
  description?: string;
};

export class SchemaViolation extends Error {
  override name = "SchemaViolation";
}

function argument(directive: ConstDirectiveNode | undefined, name: string) {
  return directive?.arguments?.find((a) => a.name.value === name)?.value;
}

function unwrap(type: TypeNode): { base: string; list: boolean; required: boolean; requiredElements: boolean } {
  let t = type;
  let required = false;
  if (t.kind === Kind.NON_NULL_TYPE) {
    required = true;
    t = t.type;
  }
  if (t.kind === Kind.LIST_TYPE) {
    const inner = t.type;
    const requiredElements = inner.kind === Kind.NON_NULL_TYPE;
    const named = inner.kind === Kind.NON_NULL_TYPE ? inner.type : inner;
    if (named.kind !== Kind.NAMED_TYPE) throw new SchemaViolation("nested lists are not supported");
    return { base: named.name.value, list: true, required, requiredElements };
  }
  if (t.kind !== Kind.NAMED_TYPE) throw new SchemaViolation("unexpected type");
  return { base: t.name.value, list: false, required, requiredElements: false };
}

export class Schema {
  readonly types = new Map<string, EntityType>();
  readonly enums = new Map<string, Set<string>>();

  constructor(source: string) {
    const document = parse(source);
    const objects: ObjectTypeDefinitionNode[] = [];
    for (const def of document.definitions) {
      if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
        this.enums.set(def.name.value, new Set(def.values?.map((v) => v.name.value)));
      } else if (def.kind === Kind.OBJECT_TYPE_DEFINITION) {
        objects.push(def);
      }
    }
    const names = new Set(objects.map((o) => o.name.value));
    for (const o of objects) {
      const entity = o.directives?.find((d) => d.name.value === "entity");
      const aggregation = o.directives?.some((d) => d.name.value === "aggregation") ?? false;
      if (!entity && !aggregation) continue;
      const flag = (name: string) => {
        const v = argument(entity, name);
        return v?.kind === Kind.BOOLEAN && v.value;
      };
      const fields = new Map<string, FieldType>();
      for (const f of o.fields ?? []) {
        const t = unwrap(f.type);
        const derived = argument(
          f.directives?.find((d) => d.name.value === "derivedFrom"),
          "field",
        ) as StringValueNode | undefined;
        const category = scalarKinds[t.base]
          ? "scalar"
          : this.enums.has(t.base)
            ? "enum"
            : names.has(t.base)
              ? "entity"
              : undefined;
        if (!category) throw new SchemaViolation(`${o.name.value}.${f.name.value}: unknown type ${t.base}`);
        fields.set(f.name.value, {
          name: f.name.value,
          ...t,
          category,
          derivedFrom: derived?.value,
          description: f.description?.value,
        });
      }
      this.types.set(o.name.value, {
        name: o.name.value,
        fields,
        immutable: flag("immutable") || flag("timeseries"),
        timeseries: flag("timeseries"),
        aggregation,
        description: o.description?.value,
      });
    }
  }

  static load(file: string): Schema {
    return new Schema(readFileSync(file, "utf8"));
  }

  entityType(name: string): EntityType {
    const type = this.types.get(name);
    if (!type) throw new SchemaViolation(`unknown entity type \`${name}\``);
    return type;
  }

  /** The store kind of a scalar, enum or entity reference (by the referenced type's id). */
  kindOf(base: string): StoreValueKindName {
    const scalar = scalarKinds[base];
    if (scalar) return scalar;
    if (this.enums.has(base)) return "String";
    const id = this.entityType(base).fields.get("id");
    if (!id) throw new SchemaViolation(`${base} has no id`);
    return this.kindOf(id.base);
  }

  /** The id of an entity as the store keys it: hex for Bytes, decimal for Int8, the string itself for String. */
  idKey(type: EntityType, id: StoreValue): string {
    if (id.kind === "Bytes" || id.kind === "String") return id.value;
    if (id.kind === "Int8") return id.value.toString();
    throw new SchemaViolation(`${type.name}.id has kind ${id.kind}`);
  }

  /** Checks a write as graph-node does: known, non-derived fields of the right types, every required field set. */
  validate(typeName: string, data: EntityData): void {
    const type = this.entityType(typeName);
    if (type.aggregation) throw new SchemaViolation(`Cannot set entity of type \`${typeName}\`: it is an aggregation`);
    const problems: string[] = [];
    for (const [name, value] of data) {
      const field = type.fields.get(name);
      if (!field) {
        problems.push(`undefined field \`${name}\``);
        continue;
      }
      if (field.derivedFrom) {
        problems.push(`derived field \`${name}\` cannot be set`);
        continue;
      }
      problems.push(...this.checkValue(field, value));
    }
    for (const field of type.fields.values()) {
      if (field.derivedFrom || !field.required) continue;
      const value = data.get(field.name);
      if (!value || value.kind === "Null") problems.push(`missing value for non-nullable field \`${field.name}\``);
    }
    if (problems.length > 0) throw new SchemaViolation(`${typeName}: ${problems.join("; ")}`);
  }

  private checkValue(field: FieldType, value: StoreValue): string[] {
    if (value.kind === "Null") return field.required ? [`\`${field.name}\` is non-nullable but was set to null`] : [];
    if (field.list) {
      if (value.kind !== "Array") return [`\`${field.name}\` expects a list, got ${value.kind}`];
      return value.value.flatMap((element) => {
        if (element.kind === "Null") {
          return field.requiredElements ? [`\`${field.name}\` holds a null element`] : [];
        }
        return this.checkScalar(field, element);
      });
    }
    return this.checkScalar(field, value);
  }

  private checkScalar(field: FieldType, value: StoreValue): string[] {
    const expected = this.kindOf(field.base);
    if (value.kind !== expected) return [`\`${field.name}\` expects ${field.base} (${expected}), got ${value.kind}`];
    if (field.category === "enum" && value.kind === "String" && !this.enums.get(field.base)?.has(value.value)) {
      return [`\`${field.name}\`: ${showValue(value)} is not a value of enum ${field.base}`];
    }
    return [];
  }
}
