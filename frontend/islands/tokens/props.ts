import { expectObject, expectString } from "../../lib/validate";

export interface TokensProps {
  apiUrl: string;
}

// built by apps.accounts.islands.token_island_props (rendered by settings_view)
export function parseTokensProps(raw: unknown): TokensProps {
  const obj = expectObject(raw, "tokens props");
  return { apiUrl: expectString(obj, "apiUrl") };
}
