import "../../components/islands.css";
import "../../components/grid/grid.css";
import "./sql-editor.css";
import { mountIslands } from "../../lib/islands";
import { parseSqlEditorProps } from "./props";
import { SqlEditor } from "./SqlEditor";

mountIslands("sql-editor", SqlEditor, parseSqlEditorProps);
