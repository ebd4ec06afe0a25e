import "../../components/islands.css";
import { mountIslands } from "../../lib/islands";
import { TokensIsland } from "./TokensIsland";
import { parseTokensProps } from "./props";

mountIslands("tokens", TokensIsland, parseTokensProps);
