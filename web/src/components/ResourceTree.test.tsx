import { cleanup, fireEvent, render, screen } from "@testing-library/react";

import type { Camera, Site } from "../api/types";
import { CAMERA_DRAG_TYPE, ResourceTree } from "./ResourceTree";

afterEach(cleanup);

const sites: Site[] = [
  { id: "s1", name: "HQ", timezone: "UTC" },
  { id: "s2", name: "Depot", timezone: "UTC" },
];

function camera(id: string, site: string, status: string, enabled = true): Camera {
  return { id, site_id: site, name: `Cam ${id}`, enabled, streams: [{ id: `${id}-main`, role: "main", state: { status } }] };
}

const cameras = [camera("a", "s1", "online"), camera("b", "s1", "offline"), camera("c", "s2", "connecting", false)];

describe("ResourceTree", () => {
  it("shows the tenant, its sites and their cameras with live status", () => {
    render(<ResourceTree tenant="Acme" sites={sites} cameras={cameras} onOpen={() => {}} />);
    expect(screen.getByText("Acme")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /HQ/ })).toHaveTextContent("2");
    expect(screen.getByLabelText("online").parentElement).toHaveTextContent("Cam a");
    expect(screen.getByLabelText("offline").parentElement).toHaveTextContent("Cam b");
    expect(screen.getByLabelText("disabled").parentElement).toHaveTextContent("Cam c");
  });

  it("collapses a site and filters cameras by name", () => {
    render(<ResourceTree tenant="Acme" sites={sites} cameras={cameras} onOpen={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: /HQ/ }));
    expect(screen.queryByText("Cam a")).toBeNull();
    fireEvent.change(screen.getByPlaceholderText("Find a camera"), { target: { value: "cam c" } });
    expect(screen.getByText("Cam c")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /HQ/ })).toHaveTextContent("0");
  });

  it("carries the camera id when dragged and opens it on double click", () => {
    const onOpen = vi.fn();
    render(<ResourceTree tenant="Acme" sites={sites} cameras={cameras} onOpen={onOpen} />);
    const item = screen.getByText("Cam a");
    const data = new Map<string, string>();
    fireEvent.dragStart(item, { dataTransfer: { setData: (t: string, v: string) => data.set(t, v), effectAllowed: "" } });
    expect(data.get(CAMERA_DRAG_TYPE)).toBe("a");
    fireEvent.doubleClick(item);
    expect(onOpen).toHaveBeenCalledWith("a");
  });
});
