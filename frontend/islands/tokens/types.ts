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
