import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import type { Step } from "./definition";
import classes from "./graph.module.css";

export type Problem = { severity: string; message: string };

export type StepNodeData = {
  step: Step;
  summary: string;
  configured: boolean;
  problems: Problem[];
  outputs: { handle: string; label?: string }[];
  /** Entries at this step now; undefined when counts are not shown. */
  count?: number;
  onCountClick?: (stepId: string) => void;
  /** The step is on the path drawn (an entry's history), and where that entry is now. */
  onPath?: boolean;
  current?: boolean;
};

export type StepNodeType = Node<StepNodeData, "step">;

const KIND_LABEL: Record<string, string> = {
  send: "Send",
  wait: "Wait",
  wait_for_event: "Wait for event",
  condition: "Condition",
  split: "Split",
  bonus: "Bonus",
  points: "Points",
  set_status: "Set status",
  update_profile: "Update profile",
  webhook: "Webhook",
  goto: "Go to",
  exit: "Exit",
};

function StepNodeView({ data }: NodeProps<StepNodeType>) {
  const { step, configured, problems, outputs, count } = data;
  const hasError = problems.some((p) => p.severity === "ERROR");
  const className = [
    classes.node,
    configured ? "" : classes.unconfigured,
    hasError ? classes.error : "",
    data.onPath ? classes.onPath : "",
    data.current ? classes.current : "",
  ].join(" ");
  return (
    <div
      className={className}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
      data-testid={`step-${step.id}`}
      data-configured={configured}
      role="group"
      aria-label={`Step ${step.name ?? step.id} (${KIND_LABEL[step.kind] ?? step.kind})${configured ? "" : ", not configured"}`}
    >
      {count !== undefined ? (
        <button
          type="button"
          className={`${classes.count} nodrag nopan`}
          data-testid={`count-${step.id}`}
          onClick={() => data.onCountClick?.(step.id)}
          aria-label={`${count} entries at ${step.name ?? step.id} now: list them`}
        >
          {count}
        </button>
      ) : null}
      <Handle type="target" position={Position.Top} className={classes.handle} />
      <div className={classes.kind}>{KIND_LABEL[step.kind] ?? step.kind}</div>
      <div className={classes.title}>{step.name ?? step.id}</div>
      <div className={classes.summary}>{data.summary}</div>
      {!configured ? <div className={classes.warn}>Not configured: entries halt here</div> : null}
      {problems.map((p, i) => (
        <div key={i} className={p.severity === "ERROR" ? classes.problemError : classes.problemWarning}>
          {p.message}
        </div>
      ))}
      <div className={classes.outputs}>
        {outputs.map((o, i) => (
          <div key={o.handle} className={classes.output} style={{ left: `${((i + 1) * 100) / (outputs.length + 1)}%` }}>
            {o.label ? <span className={classes.outputLabel}>{o.label}</span> : null}
            <Handle
              id={o.handle}
              type="source"
              position={Position.Bottom}
              className={classes.handle}
              style={{ left: "50%" }}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

export const StepNode = memo(StepNodeView);

export type TriggerNodeData = { text: string };
export type TriggerNodeType = Node<TriggerNodeData, "trigger">;

export const TriggerNode = memo(function TriggerNode({ data }: NodeProps<TriggerNodeType>) {
  return (
    <div className={classes.trigger} style={{ width: NODE_WIDTH }} data-testid="trigger">
      <div className={classes.kind}>Trigger</div>
      <div className={classes.summary}>{data.text}</div>
      <Handle type="source" position={Position.Bottom} className={classes.handle} />
    </div>
  );
});
