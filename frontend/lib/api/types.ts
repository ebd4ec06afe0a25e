// The API's types, generated from its OpenAPI document (`make api-types` writes schema.json and schema.ts).
// Answers are read by zod schemas tied to these types, so a change on the server that the client does not
// follow is a type error here rather than a surprise in the page.
import type { z } from "zod";
import type { components } from "./schema";

export type Schemas = components["schemas"];

/** A zod object shape for the API's `T`: one entry for each of its fields and no other, each read into a value
 * that fits the field (or null, where the client spells "absent" as null). */
export type FieldsOf<T> = { [K in keyof T]-?: z.ZodType<T[K] | null> };

/** The same for an object whose fields are checked one level down: the names alone. */
export type NamesOf<T> = { [K in keyof T]-?: z.ZodType };
