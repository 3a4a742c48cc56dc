// The zones, lines and masks of a camera as a list beside its picture: the
// way to them from a keyboard or a screen reader. Choosing one selects it
// on the picture and shows its fields below; whoever may manage the camera
// can also delete it here.

import type { AnalyticsDraft, LineDraft, ShapeRef, ZoneDraft } from "./analyticsDraft";
import { shapeTitle } from "./analyticsDraft";
import { ShapeFields } from "./ShapeFields";

export interface ShapeListProps {
  draft: AnalyticsDraft;
  selected: ShapeRef | null;
  editable: boolean;
  onSelect: (shape: ShapeRef | null) => void;
  onZone: (index: number, patch: Partial<ZoneDraft>) => void;
  onLine: (index: number, patch: Partial<LineDraft>) => void;
  onDelete: (shape: ShapeRef) => void;
}

/// Every shape of the draft: zones, then lines, then masks.
function shapesOf(draft: AnalyticsDraft): ShapeRef[] {
  return [
    ...draft.zones.map((_, index) => ({ kind: "zone" as const, index })),
    ...draft.lines.map((_, index) => ({ kind: "line" as const, index })),
    ...draft.masks.map((_, index) => ({ kind: "mask" as const, index })),
  ];
}

/// "4 corners", "person, car", "loitering 30 s": a shape's gist after its name.
function gist(draft: AnalyticsDraft, { kind, index }: ShapeRef): string {
  if (kind === "mask") return `${draft.masks[index].length} corners, motion ignored`;
  if (kind === "line") return draft.lines[index].labels.trim() || "all objects";
  const zone = draft.zones[index];
  return [`${zone.points.length} corners`, zone.labels.trim() || "all objects", zone.loiter && `loitering ${zone.loiter} s`].filter(Boolean).join(", ");
}

export function ShapeList({ draft, selected, editable, onSelect, onZone, onLine, onDelete }: ShapeListProps) {
  const shapes = shapesOf(draft);
  const isSelected = (s: ShapeRef) => selected?.kind === s.kind && selected.index === s.index;
  return (
    <div className="shape-list">
      <h3>Zones, lines and masks</h3>
      {shapes.length === 0 && (
        <p className="muted">None drawn{editable ? ": choose Add zone, Add line or Add mask, then click on the picture." : "."}</p>
      )}
      <ul aria-label="Zones, lines and masks">
        {shapes.map((shape) => {
          const title = shapeTitle(draft, shape);
          return (
            <li key={`${shape.kind}-${shape.index}`} className={isSelected(shape) ? "selected" : undefined}>
              <button type="button" className="choose" aria-pressed={isSelected(shape)} onClick={() => onSelect(isSelected(shape) ? null : shape)}>
                {title}{" "}
                <span className="muted">{gist(draft, shape)}</span>
              </button>
              {editable && (
                <button type="button" aria-label={`Delete ${title}`} onClick={() => onDelete(shape)}>
                  Delete
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {selected && <ShapeFields draft={draft} shape={selected} editable={editable} onZone={onZone} onLine={onLine} />}
    </div>
  );
}
