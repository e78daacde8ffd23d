import { XAxis } from "recharts";
import { formatTick, timeTicks, type PathChartProps } from "./path-chart-data";

/** The shared time axis: the whole window even where no bucket has traffic, ticks on round local times. */
export function timeAxis({ from, to, window }: Pick<PathChartProps, "from" | "to" | "window">) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[from, to]}
      ticks={timeTicks(from, to, window)}
      tickFormatter={(t: number) => formatTick(t, window)}
      tick={{ fontSize: 11, fill: "#475569" }}
      stroke="#cbd5e1"
    />
  );
}
