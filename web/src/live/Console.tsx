// The live console: its bar (layouts, transport, full screen, the same
// cameras in playback), the resource tree, the tile grid, and the PTZ
// controls of the selected tile's camera for those who may steer it. The
// address may name the grid (`?layout=4`), the cameras
// (`?camera=…&camera=…`) and the transport (`?transport=no-webrtc`).

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router-dom";

import type { Api } from "../api/client";
import type { Camera, Layout, Me, Site } from "../api/types";
import { Permission, holds, holdsOnCamera } from "../app/permissions";
import { Icon } from "../components/Icon";
import { GRID_SIZES, grid, place, sizeFor } from "../components/layouts";
import { ResourceTree } from "../components/ResourceTree";
import { playbackSearch } from "../playback/url";
import { TRANSPORT_LABELS, type TransportSetting } from "../player/fallback";
import { Grid } from "./Grid";
import { PtzPanel } from "./PtzPanel";

/// How often camera status is refreshed.
const REFRESH_MS = 10000;

function initialTransport(): TransportSetting {
  const wanted = new URLSearchParams(location.search).get("transport") ?? localStorage.getItem("vms.transport");
  return wanted && wanted in TRANSPORT_LABELS ? (wanted as TransportSetting) : "auto";
}

export function Console({ api, me }: { api: Api; me: Me }) {
  const [sites, setSites] = useState<Site[]>([]);
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [cells, setCells] = useState<(string | null)[]>([]);
  const [selected, setSelected] = useState(0);
  const [layoutName, setLayoutName] = useState<string>("");
  const [transport, setTransport] = useState<TransportSetting>(initialTransport);
  const [treeOpen, setTreeOpen] = useState(false);
  const [saved, setSaved] = useState<Layout[]>([]);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.layouts().then(setSaved, reportLoadError);
    function reportLoadError(e: unknown) {
      setError(`Saved layouts: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [api]);

  const load = useCallback(async () => {
    try {
      const [s, c] = await Promise.all([api.sites(), api.cameras()]);
      setSites(s);
      setCameras(c);
      setError(null);
      return c;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    }
  }, [api]);

  useEffect(() => {
    let first = true;
    const refresh = async () => {
      const loaded = await load();
      if (loaded && first) {
        first = false;
        const query = new URLSearchParams(location.search);
        const known = new Set(loaded.map((c) => c.id));
        const named = query.getAll("camera").filter((id) => known.has(id));
        const wanted = Number(query.get("layout") ?? (named.length ? sizeFor(named.length) : 4));
        const size = GRID_SIZES.includes(wanted as 4) ? wanted : 4;
        setCells(grid(size, named.length ? named : loaded.filter((c) => c.enabled).map((c) => c.id)));
      }
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const byId = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);
  const enabled = cameras.filter((c) => c.enabled).map((c) => c.id);
  const selectedId = cells[selected];
  const steered = selectedId ? byId.get(selectedId) : undefined;

  const chooseSize = (size: number) => {
    setCells((current) => grid(size, enabled, current));
    setSelected(0);
    setLayoutName("");
  };
  const openSaved = (name: string) => {
    const layout = saved.find((l) => l.name === name);
    if (!layout) return;
    setCells(layout.cells.map((c) => (c && byId.has(c) ? c : null)));
    setLayoutName(name);
    setSelected(0);
  };
  const reportError = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const saveLayout = async () => {
    const name = prompt("Name of this layout", layoutName || "My layout")?.trim();
    if (!name) return;
    try {
      await api.saveLayout(name, cells);
      setSaved(await api.layouts());
      setLayoutName(name);
    } catch (e) {
      reportError(e);
    }
  };
  const deleteLayout = async () => {
    if (!layoutName || !confirm(`Delete the layout “${layoutName}”?`)) return;
    try {
      await api.deleteLayout(layoutName);
      setSaved(await api.layouts());
      setLayoutName("");
    } catch (e) {
      reportError(e);
    }
  };
  const chooseTransport = (value: TransportSetting) => {
    localStorage.setItem("vms.transport", value);
    setTransport(value);
  };

  return (
    <div className={`console${treeOpen ? " tree-open" : ""}`}>
      <header className="bar">
        <button type="button" className="menu" aria-label="Cameras" aria-expanded={treeOpen} onClick={() => setTreeOpen(!treeOpen)}>
          <Icon name="menu" />
        </button>
        <div className="layouts" role="group" aria-label="Layout">
          {GRID_SIZES.map((size) => (
            <button
              key={size}
              type="button"
              aria-pressed={cells.length === size && !layoutName}
              title={`${size} tile${size > 1 ? "s" : ""}`}
              onClick={() => chooseSize(size)}
            >
              {size === 1 ? "1" : `${Math.sqrt(size)}×${Math.sqrt(size)}`}
            </button>
          ))}
          <select aria-label="Saved layouts" value={layoutName} onChange={(e) => openSaved(e.target.value)}>
            <option value="">Saved layouts…</option>
            {saved.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void saveLayout()} title="Save this layout">
            Save
          </button>
          {layoutName && (
            <button type="button" onClick={() => void deleteLayout()} title="Delete this saved layout">
              Delete
            </button>
          )}
        </div>
        <select aria-label="Transport" value={transport} onChange={(e) => chooseTransport(e.target.value as TransportSetting)}>
          {Object.entries(TRANSPORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="button" title="Full screen grid" aria-label="Full screen grid" onClick={() => void gridRef.current?.requestFullscreen?.()}>
          <Icon name="fullscreen" />
        </button>
        {holds(me, Permission.ViewArchive) && cells.some(Boolean) && (
          <Link className="button" to={{ pathname: "/playback", search: playbackSearch({ cameras: cells.filter((c): c is string => !!c) }) }}>
            Playback
          </Link>
        )}
      </header>
      {error && (
        <p className="banner" role="alert">
          {error}
        </p>
      )}
      <ResourceTree
        tenant={me.tenant_name ?? "Organisation"}
        sites={sites}
        cameras={cameras}
        onOpen={(camera) => {
          setCells((current) => place(current, selected, camera));
          setTreeOpen(false);
        }}
      />
      {steered && holdsOnCamera(me, Permission.Ptz, steered) && (
        <PtzPanel key={steered.id} api={api} camera={steered} manage={holdsOnCamera(me, Permission.ManageCameras, steered)} />
      )}
      <Grid
        ref={gridRef}
        api={api}
        cells={cells}
        cameras={byId}
        selected={selected}
        transport={transport}
        onSelect={setSelected}
        onDrop={(index, camera) => setCells((current) => place(current, index, camera))}
        onClear={(index) => setCells((current) => current.map((c, i) => (i === index ? null : c)))}
      />
    </div>
  );
}
