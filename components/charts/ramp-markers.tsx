import { ReferenceLine, type LabelProps } from "recharts";
import type { RampMarker } from "./path-chart-data";

const MARKER_COLORS: Record<RampMarker["tone"], string> = { ramp: "#7c3aed", killed: "#dc2626", restored: "#059669" };
/** Markers closer than this share of the window get their labels on separate rows. */
const LABEL_CLEARANCE = 0.09;
const LABEL_ROWS = 4;
/** Labels of markers in the window's last share like this sit left of their line, inside the plot. */
const RIGHT_EDGE = 0.88;
const ROW_HEIGHT = 13;

/** Percentage changes as vertical lines; a plain function so recharts sees ReferenceLines as direct children. */
export function rampMarkerLines(markers: RampMarker[], { labelled, from, to }: { labelled: boolean; from: number; to: number }) {
  const rows = labelRows(markers, (to - from) * LABEL_CLEARANCE);
  const rightEdge = from + (to - from) * RIGHT_EDGE;
  return markers.map((marker, index) => (
    <ReferenceLine
      key={`${marker.at}-${marker.label}`}
      x={marker.at}
      stroke={MARKER_COLORS[marker.tone]}
      strokeDasharray="3 3"
      strokeWidth={1.5}
      label={labelled ? (props: LabelProps) => <MarkerLabel {...props} marker={marker} row={rows[index] ?? 0} alignEnd={marker.at > rightEdge} /> : undefined}
    />
  ));
}

/** Greedy rows: a label moves down a row while the previous label on its row is too close to its left. */
function labelRows(markers: RampMarker[], clearance: number): number[] {
  const lastOnRow: number[] = [];
  return markers.map((marker) => {
    const row = lastOnRow.findIndex((at) => marker.at - at >= clearance);
    const chosen = row === -1 ? Math.min(lastOnRow.length, LABEL_ROWS - 1) : row;
    lastOnRow[chosen] = marker.at;
    return chosen;
  });
}

function MarkerLabel({ viewBox, marker, row, alignEnd }: LabelProps & { marker: RampMarker; row: number; alignEnd: boolean }) {
  if (!viewBox || !("x" in viewBox)) return null;
  return (
    <text
      x={alignEnd ? viewBox.x - 3 : viewBox.x + 3}
      textAnchor={alignEnd ? "end" : "start"}
      y={viewBox.y + 11 + row * ROW_HEIGHT}
      fill={MARKER_COLORS[marker.tone]}
      fontSize={11}
      fontWeight={600}
      stroke="#ffffff"
      strokeWidth={3}
      paintOrder="stroke"
    >
      {marker.label}
    </text>
  );
}
