// The tile grid of the current layout. Each tile plays one camera, takes a
// camera dropped on it, and can go full screen; so can the whole grid.

import { forwardRef } from "react";

import type { Api } from "../api/client";
import type { Camera, StreamRole } from "../api/types";
import type { TransportSetting } from "../player/fallback";
import { Player } from "../player/Player";
import { Icon } from "../components/Icon";
import { columns } from "../components/layouts";
import { CAMERA_DRAG_TYPE } from "../components/ResourceTree";

export interface GridProps {
  api: Api;
  cells: (string | null)[];
  cameras: Map<string, Camera>;
  selected: number;
  transport: TransportSetting;
  onSelect: (index: number) => void;
  onDrop: (index: number, camera: string) => void;
  onClear: (index: number) => void;
}

export const Grid = forwardRef<HTMLDivElement, GridProps>(function Grid(
  { api, cells, cameras, selected, transport, onSelect, onDrop, onClear },
  ref,
) {
  const cols = columns(cells.length);
  // Many small tiles take the sub stream where there is one.
  const role = (camera: Camera): StreamRole => (cells.length > 4 && camera.streams.some((s) => s.role === "sub") ? "sub" : "main");
  return (
    <div className="grid" ref={ref} style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }} data-size={cells.length}>
      {cells.map((id, index) => {
        const camera = id ? cameras.get(id) : undefined;
        return (
          <section
            key={index}
            className={`tile${index === selected ? " selected" : ""}`}
            aria-label={camera ? camera.name : `Empty tile ${index + 1}`}
            onClick={() => onSelect(index)}
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) {
                e.preventDefault();
                e.dataTransfer.dropEffect = "copy";
              }
            }}
            onDrop={(e) => {
              const dropped = e.dataTransfer.getData(CAMERA_DRAG_TYPE);
              if (dropped) {
                e.preventDefault();
                onDrop(index, dropped);
              }
            }}
          >
            {camera ? (
              <>
                <Player key={`${camera.id}-${role(camera)}-${transport}`} api={api} camera={camera} role={role(camera)} transport={transport} />
                <button type="button" className="clear" title="Remove from this tile" onClick={() => onClear(index)}>
                  <Icon name="close" />
                </button>
              </>
            ) : (
              <p className="empty">Drag a camera here</p>
            )}
          </section>
        );
      })}
    </div>
  );
});
