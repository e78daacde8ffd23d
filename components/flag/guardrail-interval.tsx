import type { GuardrailCheck, GuardrailVerdict } from "@/lib/guard/guardrails";
import {
  evidenceEtaMs,
  evidenceProgress,
  formatEta,
  formatGuardValue,
  guardrailLabel,
  guardScale,
  scalePosition,
  verdictWords,
} from "@/lib/guard/ramp-progress";

const VERDICT_STYLES: Record<GuardrailVerdict, { badge: string; bar: string }> = {
  pass: { badge: "bg-emerald-100 text-emerald-900", bar: "#047857" },
  regressed: { badge: "bg-red-100 text-red-900", bar: "#b91c1c" },
  collecting: { badge: "bg-amber-100 text-amber-900", bar: "#4f46e5" },
};

const countFormat = new Intl.NumberFormat("en-US");

/**
 * One guardrail at the guard's last check: its estimate and confidence interval drawn against
 * the threshold, its verdict, and the requests each path has against what it needs, with an ETA
 * at the step's rate so far.
 */
export function GuardrailInterval({ check, elapsedMs }: { check: GuardrailCheck; elapsedMs: number }) {
  const label = guardrailLabel(check.guardrail);
  const value = (v: number) => formatGuardValue(check.guardrail, v);
  const scale = guardScale(check);
  const x = (v: number) => scalePosition(v, scale) * 2;
  const style = VERDICT_STYLES[check.verdict];
  const figureWords =
    check.estimate === null
      ? `${label}: no estimate yet; threshold ${value(check.threshold)}.`
      : `${label}: estimate ${value(check.estimate)}${check.interval ? `, ${Math.round(check.interval.level * 100)}% interval ${value(check.interval.lower)} to ${value(check.interval.upper)}` : ""}; threshold ${value(check.threshold)}.`;
  const progress = evidenceProgress(check);
  const eta = evidenceEtaMs(check, elapsedMs);

  return (
    <li data-testid={`guardrail-${check.guardrail}`} className="py-2">
      <div className="flex items-baseline justify-between gap-2">
        <h4 className="text-sm font-semibold text-slate-900">{label}</h4>
        <span data-testid="guardrail-verdict" className={`shrink-0 rounded whitespace-nowrap px-1.5 py-0.5 text-xs font-semibold ${style.badge}`}>
          {verdictWords(check.verdict)}
        </span>
      </div>
      <figure className="mt-1">
        <svg viewBox="0 0 200 22" preserveAspectRatio="none" className="h-5 w-full" role="img" aria-label={figureWords}>
          <line x1="0" x2="200" y1="11" y2="11" stroke="#cbd5e1" strokeWidth="1" />
          {scale.min < 0 ? <line x1={x(0)} x2={x(0)} y1="5" y2="17" stroke="#64748b" strokeWidth="1" /> : null}
          {check.interval ? (
            <rect x={x(check.interval.lower)} width={Math.max(1, x(check.interval.upper) - x(check.interval.lower))} y="7" height="8" rx="2" fill={style.bar} opacity="0.35" />
          ) : null}
          {check.estimate !== null ? <circle cx={x(check.estimate)} cy="11" r="3.5" fill={style.bar} /> : null}
          <line x1={x(check.threshold)} x2={x(check.threshold)} y1="1" y2="21" stroke="#b91c1c" strokeWidth="1.5" strokeDasharray="3 2" />
        </svg>
        <figcaption className="flex justify-between gap-2 text-xs text-slate-600 tabular-nums">
          <span>
            {check.estimate === null ? "no estimate yet" : `estimate ${value(check.estimate)}`}
            {check.interval ? ` (${value(check.interval.lower)} to ${value(check.interval.upper)})` : ""}
          </span>
          <span className="whitespace-nowrap text-red-800">limit {value(check.threshold)}</span>
        </figcaption>
      </figure>
      {check.verdict !== "regressed" ? (
        <p data-testid="guardrail-evidence" className="mt-1 text-xs text-slate-700 tabular-nums">
          {progress === null
            ? "Cannot pass while the estimate stays above the limit."
            : progress.map((path) => `${path.path} ${countFormat.format(path.have)} / ${countFormat.format(path.needed)} requests`).join(" · ")}
          {progress !== null && check.verdict === "collecting" ? (eta === null ? "; no traffic yet to estimate when" : `; enough ${formatEta(eta)}`) : null}
        </p>
      ) : null}
      <p className="mt-1 text-xs text-slate-600">{check.summary}</p>
    </li>
  );
}
