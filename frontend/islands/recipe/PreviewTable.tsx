import type { PreviewAnswer } from "./preview";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function PreviewTable({ answer }: { answer: PreviewAnswer }) {
  if (answer.rows.length === 0) return <p className="muted">No rows are left after these steps.</p>;
  return (
    <div className="scroll-x preview recipe-preview">
      <table className="table data" aria-label="Preview after the steps">
        <thead>
          <tr>
            {answer.columns.map((column) => (
              <th key={column.name} scope="col">
                <div>{column.name}</div>
                <span className={`badge type-${column.type}`}>{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {answer.rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an answer's rows have no key of their own; their position is their identity.
            <tr key={index}>
              {answer.columns.map((column) => {
                const value = row[column.name];
                return (
                  <td key={column.name} className={value === null ? "muted" : undefined}>
                    {value === null ? "∅" : cell(value)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
