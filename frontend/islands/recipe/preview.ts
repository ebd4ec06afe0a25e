// The live preview: POST the steps a moment after the last edit; an answer to older steps is dropped.
import { useEffect, useState } from "react";
import { apiRequest, errorMessage } from "../../lib/api";
import type { RecipeColumn } from "./props";
import type { Step } from "./steps";

export const PREVIEW_DELAY_MS = 300;

export interface StepResult {
  op: string;
  rows_after: number;
  values_changed: number;
  errors: number;
  error_examples: string[];
  formats?: string[];
}

export interface PreviewAnswer {
  columns: RecipeColumn[];
  rows: Record<string, unknown>[];
  steps: StepResult[];
  counted_rows: number;
  sampled: boolean;
}

export interface PreviewState {
  answer: PreviewAnswer | null;
  /** The steps `answer` was computed for (older than the current ones while loading). */
  answeredKey: string | null;
  loading: boolean;
  error: string | null;
}

export function stepsKey(steps: Step[]): string {
  return JSON.stringify(steps);
}

export function useRecipePreview(
  url: string,
  steps: Step[],
  enabled: boolean,
  delayMs = PREVIEW_DELAY_MS,
): PreviewState {
  const key = stepsKey(steps);
  const [state, setState] = useState<PreviewState>({ answer: null, answeredKey: null, loading: enabled, error: null });

  useEffect(() => {
    if (!enabled) return;
    setState((previous) => ({ ...previous, loading: true }));
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const answer = await apiRequest<PreviewAnswer>(
          "POST",
          url,
          { steps: JSON.parse(key) },
          { signal: controller.signal },
        );
        if (!controller.signal.aborted) setState({ answer, answeredKey: key, loading: false, error: null });
      } catch (caught) {
        if (!controller.signal.aborted)
          setState((previous) => ({ ...previous, loading: false, error: errorMessage(caught) }));
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort(); // newer steps supersede this request
    };
  }, [url, key, enabled, delayMs]);

  return state;
}
