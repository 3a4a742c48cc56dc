// The resource tree: the tenant, its sites, and each site's cameras with
// their live status. Cameras are dragged onto tiles, or clicked to fill the
// selected tile.

import { useState } from "react";

import { type Camera, type Site, cameraStatus } from "../api/types";

/// The drag-and-drop type that carries a camera id.
export const CAMERA_DRAG_TYPE = "application/x-vms-camera";

export interface ResourceTreeProps {
  tenant: string;
  sites: Site[];
  cameras: Camera[];
  onOpen: (camera: string) => void;
}

export function ResourceTree({ tenant, sites, cameras, onOpen }: ResourceTreeProps) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState("");
  const toggle = (id: string) => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  const matches = (c: Camera) => c.name.toLowerCase().includes(filter.trim().toLowerCase());

  return (
    <nav className="tree" aria-label="Cameras">
      <input className="filter" type="search" placeholder="Find a camera" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul role="tree">
        <li role="treeitem" aria-expanded="true" className="tenant">
          <span className="label">{tenant}</span>
          <ul role="group">
            {sites.map((site) => {
              const inSite = cameras.filter((c) => c.site_id === site.id && matches(c));
              const open = !collapsed.has(site.id);
              return (
                <li key={site.id} role="treeitem" aria-expanded={open} className="site">
                  <button type="button" className="label" onClick={() => toggle(site.id)}>
                    <span aria-hidden>{open ? "▾" : "▸"}</span> {site.name}
                    <span className="count">{inSite.length}</span>
                  </button>
                  {open && (
                    <ul role="group">
                      {inSite.map((camera) => {
                        const status = cameraStatus(camera);
                        return (
                          <li
                            key={camera.id}
                            role="treeitem"
                            className="camera"
                            draggable
                            data-camera={camera.id}
                            onDragStart={(e) => {
                              e.dataTransfer.setData(CAMERA_DRAG_TYPE, camera.id);
                              e.dataTransfer.effectAllowed = "copy";
                            }}
                            onDoubleClick={() => onOpen(camera.id)}
                            title={`${camera.name}: ${status}. Drag onto a tile, or double-click.`}
                          >
                            <span className={`dot ${status}`} aria-label={status} />
                            {camera.name}
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
