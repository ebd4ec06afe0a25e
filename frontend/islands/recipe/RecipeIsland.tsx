import { useMemo, useState } from "react";
import { apiRequest, errorMessage } from "../../lib/api";
import { JobStatus } from "../../components/JobStatus";
import { PreviewTable } from "./PreviewTable";
import { stepsKey, useRecipePreview, type StepResult } from "./preview";
import type { RecipeProps } from "./props";
import { StepEditor } from "./StepEditor";
import { columnsBefore, moveStep, newStep, OP_LABELS, OPS, type Op, type Step } from "./steps";

interface SaveAnswer {
  recipe: { revision: number };
  version: { number: number };
  job: { id: string };
}

function initialSteps(props: RecipeProps): Step[] {
  const steps = props.steps.map((step) => ({ ...step }));
  const focus = props.focusColumn;
  if (!props.canChange || focus === null) return steps;
  const columns = columnsBefore(props.columns, steps, steps.length);
  if (!columns.some((c) => c.name === focus)) return steps;
  return [...steps, newStep("cast", columns, focus)];
}

function StepSummary({
  result,
  previous,
  sampled,
}: {
  result: StepResult | undefined;
  previous: number | null;
  sampled: boolean;
}) {
  if (result === undefined) return null;
  const removed = previous === null ? 0 : previous - result.rows_after;
  return (
    <div className="recipe-result small" data-testid="step-result">
      <span>
        {result.rows_after.toLocaleString()} rows kept{removed > 0 ? ` (${removed.toLocaleString()} removed)` : ""}
      </span>
      <span>· {result.values_changed.toLocaleString()} values changed</span>
      {result.errors > 0 ? (
        <span className="field-error">
          · {result.errors.toLocaleString()} value{result.errors === 1 ? "" : "s"} do not convert, e.g.{" "}
          {result.error_examples.map((e) => `“${e}”`).join(", ")}
        </span>
      ) : null}
      {sampled ? <span className="muted"> (in the first rows counted)</span> : null}
    </div>
  );
}

function goTo(url: string) {
  window.location.assign(url);
}

interface Props extends RecipeProps {
  /** How to open the dataset page once the new version is ready; tests replace it. */
  navigate?: (url: string) => void;
}

export function RecipeIsland({ navigate = goTo, ...props }: Props) {
  const [saved, setSaved] = useState<Step[]>(props.steps);
  const [steps, setSteps] = useState<Step[]>(() => initialSteps(props));
  const [adding, setAdding] = useState<Op>("cast");
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const [job, setJob] = useState<{ id: string; version: number } | null>(null);
  const preview = useRecipePreview(props.previewUrl, steps, props.columns.length > 0);
  const dirty = stepsKey(steps) !== stepsKey(saved);
  const editable = props.canChange && job === null;
  const current = preview.answeredKey === stepsKey(steps);
  const results = preview.answer?.steps ?? [];
  const before = useMemo(
    () => steps.map((_, index) => columnsBefore(props.columns, steps, index)),
    [props.columns, steps],
  );

  const change = (index: number, step: Step) => setSteps(steps.map((s, i) => (i === index ? step : s)));
  const add = () => setSteps([...steps, newStep(adding, columnsBefore(props.columns, steps, steps.length))]);

  const apply = async () => {
    setApplying(true);
    setApplyError(null);
    try {
      const answer = await apiRequest<SaveAnswer>("PUT", props.recipeUrl, { steps });
      setSaved(steps);
      setJob({ id: answer.job.id, version: answer.version.number });
    } catch (caught) {
      setApplyError(errorMessage(caught));
    } finally {
      setApplying(false);
    }
  };

  return (
    <div className="recipe-island stack">
      <section className="card stack" aria-label="Steps">
        <div className="row spread">
          <h2>Steps</h2>
          {dirty ? (
            <span className="badge badge-processing">unsaved changes</span>
          ) : (
            <span className="badge">revision {props.revision}</span>
          )}
        </div>
        {steps.length === 0 ? (
          <p className="muted">No steps: new versions keep the types inference gave them.</p>
        ) : null}
        <ol className="recipe-steps">
          {steps.map((step, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a step has no id; the recipe's updates address it by position.
            <li key={index} className="recipe-step" aria-label={`Step ${index + 1}: ${OP_LABELS[step.op]}`}>
              <div className="row spread">
                <strong>
                  {index + 1}. {OP_LABELS[step.op]}
                </strong>
                {editable ? (
                  <div className="row">
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Move step ${index + 1} up`}
                      disabled={index === 0}
                      onClick={() => setSteps(moveStep(steps, index, index - 1))}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Move step ${index + 1} down`}
                      disabled={index === steps.length - 1}
                      onClick={() => setSteps(moveStep(steps, index, index + 1))}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      aria-label={`Remove step ${index + 1}`}
                      onClick={() => setSteps(steps.filter((_, i) => i !== index))}
                    >
                      Remove
                    </button>
                  </div>
                ) : null}
              </div>
              <StepEditor
                step={step}
                number={index + 1}
                columns={before[index] ?? []}
                disabled={!editable}
                formats={current ? results[index]?.formats : undefined}
                onChange={(next) => change(index, next)}
              />
              {current ? (
                <StepSummary
                  result={results[index]}
                  previous={index === 0 ? null : (results[index - 1]?.rows_after ?? null)}
                  sampled={preview.answer?.sampled ?? false}
                />
              ) : null}
            </li>
          ))}
        </ol>
        {editable ? (
          <div className="row">
            <label className="field">
              <span>New step</span>
              <select value={adding} onChange={(event) => setAdding(event.target.value as Op)}>
                {OPS.map((op) => (
                  <option key={op} value={op}>
                    {OP_LABELS[op]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="btn recipe-add" onClick={add}>
              Add step
            </button>
          </div>
        ) : null}
        {editable ? (
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={applying || (!dirty && steps.length === 0 && props.revision === 0)}
              onClick={apply}
            >
              {applying ? "Applying…" : `Apply and build version ${(props.versionNumber ?? 0) + 1}`}
            </button>
            {dirty ? (
              <button type="button" className="btn" onClick={() => setSteps(saved)}>
                Discard changes
              </button>
            ) : null}
          </div>
        ) : null}
        {applyError ? (
          <div className="alert alert-error" role="alert">
            {applyError}
          </div>
        ) : null}
        {job ? (
          <JobStatus
            jobId={job.id}
            url={props.jobUrlTemplate.replace("{id}", job.id)}
            label="Job progress"
            headline={(current) => (
              <p>
                Building version {job.version} with these steps{current?.stage ? ` · ${current.stage}` : "…"}
              </p>
            )}
            successText="Done. Opening the dataset…"
            fatalText={(message) => `Stopped following the build: ${message}`}
            onFinished={(finished) => {
              if (finished.status === "succeeded") navigate(props.dataset.pageUrl);
            }}
          />
        ) : null}
      </section>

      <section className="card stack" aria-label="Preview">
        <div className="row spread">
          <h2>Preview</h2>
          <span className="muted small" role="status">
            {preview.loading
              ? "Updating…"
              : preview.answer
                ? `First ${preview.answer.rows.length} rows after the steps`
                : ""}
          </span>
        </div>
        {preview.error ? (
          <div className="alert alert-error" role="alert">
            {preview.error}
          </div>
        ) : null}
        {preview.answer?.sampled ? (
          <p className="muted small">
            Counts cover the first {preview.answer.counted_rows.toLocaleString()} rows; the new version applies the
            steps to every row.
          </p>
        ) : null}
        {preview.answer ? <PreviewTable answer={preview.answer} /> : null}
      </section>
    </div>
  );
}
