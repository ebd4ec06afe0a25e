import { expectObject, expectString, optionalString, PropsError } from "../../lib/validate";

export type TokenScope = "read" | "write";

/** A personal API token as GET /api/v1/tokens/ lists it: never the secret. */
export interface Token {
  id: number;
  name: string;
  scope: TokenScope;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** POST /api/v1/tokens/ answers with the full secret, this once. */
export interface CreatedToken extends Token {
  token: string;
}

function parseTokenFields(obj: Record<string, unknown>): Token {
  const { id, scope } = obj;
  if (typeof id !== "number") throw new PropsError(`token "id" must be a number`);
  if (scope !== "read" && scope !== "write") throw new PropsError(`token "scope" must be read or write`);
  return {
    id,
    name: expectString(obj, "name"),
    scope,
    prefix: optionalString(obj, "prefix") ?? "",
    created_at: expectString(obj, "created_at"),
    expires_at: optionalString(obj, "expires_at"),
    last_used_at: optionalString(obj, "last_used_at"),
  };
}

/** A token of GET /api/v1/tokens/ (TokenSerializer). */
export function parseToken(raw: unknown): Token {
  return parseTokenFields(expectObject(raw, "token"));
}

/** The answer to POST /api/v1/tokens/: the token and its secret. */
export function parseCreatedToken(raw: unknown): CreatedToken {
  const obj = expectObject(raw, "token");
  return { ...parseTokenFields(obj), token: expectString(obj, "token") };
}
