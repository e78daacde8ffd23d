import { ReferenceLine, type LabelProps } from "recharts";
import { describeChange, type RampMarkerGroup } from "./path-chart-data";

const MARKER_COLORS: Record<RampMarkerGroup["tone"], string> = { ramp: "#7c3aed", killed: "#dc2626", restored: "#059669" };
/** A label's width as a share of the window: "3 changes" at 11 px is ~55 px of a ~600 px plot. */
const LABEL_WIDTH = 0.09;
const LABEL_ROWS = 3;
/** Labels of markers in the window's last share like this sit left of their line, inside the plot. */
const RIGHT_EDGE = 0.88;
const ROW_HEIGHT = 13;

/**
 * State changes as vertical lines, changes close together already merged into one (groupMarkers);
 * a label's tooltip lists every change it stands for. A plain function so recharts sees
 * ReferenceLines as direct children.
 */
export function rampMarkerLines(markers: RampMarkerGroup[], { labelled, from, to }: { labelled: boolean; from: number; to: number }) {
  const width = (to - from) * LABEL_WIDTH;
  const rightEdge = from + (to - from) * RIGHT_EDGE;
  const rows = labelRows(markers, width, rightEdge);
  return markers.map((marker, index) => (
    <ReferenceLine
      key={`${marker.at}-${marker.label}`}
      x={marker.at}
      stroke={MARKER_COLORS[marker.tone]}
      strokeDasharray="3 3"
      strokeWidth={marker.changes.length > 1 ? 2.5 : 1.5}
      label={labelled ? (props: LabelProps) => <MarkerLabel {...props} marker={marker} row={rows[index] ?? 0} alignEnd={marker.at > rightEdge} /> : undefined}
    />
  ));
}

/** Greedy rows over each label's extent, so a right-aligned label never runs into the one before it. */
function labelRows(markers: RampMarkerGroup[], width: number, rightEdge: number): number[] {
  const rowEnds: number[] = [];
  return markers.map((marker) => {
    const start = marker.at > rightEdge ? marker.at - width : marker.at;
    const free = rowEnds.findIndex((end) => start >= end);
    const row = free === -1 ? Math.min(rowEnds.length, LABEL_ROWS - 1) : free;
    rowEnds[row] = start + width;
    return row;
  });
}

function MarkerLabel({ viewBox, marker, row, alignEnd }: LabelProps & { marker: RampMarkerGroup; row: number; alignEnd: boolean }) {
  if (!viewBox || !("x" in viewBox)) return null;
  return (
    <text
      data-testid="ramp-marker"
      x={alignEnd ? viewBox.x - 3 : viewBox.x + 3}
      textAnchor={alignEnd ? "end" : "start"}
      y={viewBox.y + 11 + row * ROW_HEIGHT}
      fill={MARKER_COLORS[marker.tone]}
      fontSize={11}
      fontWeight={600}
      stroke="#ffffff"
      strokeWidth={3}
      paintOrder="stroke"
      style={{ cursor: "default" }}
    >
      <title>{marker.changes.map(describeChange).join("\n")}</title>
      {marker.label}
    </text>
  );
}
