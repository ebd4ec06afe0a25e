import type { SqlEditorProps } from "./props";

export const PROPS: SqlEditorProps = {
  workspace: "acme",
  sqlUrl: "/api/v1/sql/",
  queriesUrl: "/api/v1/queries/",
  jobsUrl: "/api/v1/jobs/",
  editorUrl: "/w/acme/sql/",
  canSave: true,
  initialSql: "SELECT city FROM stations",
  query: null,
  tables: [
    {
      id: "d1",
      name: "stations",
      qualified: '"acme"."stations"',
      title: "Stations",
      workspace: "acme",
      version: 2,
      url: "/w/acme/stations/",
      columns: [
        { name: "station", type: "text" },
        { name: "city", type: "text" },
      ],
    },
    {
      id: "d2",
      name: '"other"."sales-2024"',
      qualified: '"other"."sales-2024"',
      title: "Sales 2024",
      workspace: "other",
      version: 1,
      url: "/w/other/sales-2024/",
      columns: [{ name: "Net Amount", type: "float" }],
    },
  ],
};
