/** A tiny line of values in [0, 1], gaps where a value is null; props only, no fetching. */
export function Sparkline({ values, label, width = 96, height = 24 }: { values: (number | null)[]; label: string; width?: number; height?: number }) {
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (value: number) => height - 2 - value * (height - 4);
  const segments: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${(index * step).toFixed(1)},${y(value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="overflow-visible">
      <line x1={0} x2={width} y1={y(0)} y2={y(0)} className="stroke-slate-200" strokeWidth={1} />
      {segments.map((d) => (
        <path key={d} d={d} fill="none" className="stroke-indigo-600" strokeWidth={1.5} strokeLinejoin="round" />
      ))}
    </svg>
  );
}
