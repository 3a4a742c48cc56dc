import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import type { BookmarkView } from "../api/types";
import { Permission } from "../app/permissions";
import { OPERATOR, camera, fakeApi, renderApp, user } from "../app/testUtils";
import { newBookmarkAddress } from "./query";

const ADMIN = [...OPERATOR, Permission.LockEvidence];

function bookmark(id: string, fields: Partial<BookmarkView> = {}): BookmarkView {
  return {
    id,
    name: `Bookmark ${id}`,
    description: "",
    tags: [],
    cameras: ["a"],
    start: "2026-12-03T10:00:00Z",
    end: "2026-12-03T10:02:00Z",
    locked: false,
    created_at: "2026-12-03T10:05:00Z",
    updated_at: "2026-12-03T10:05:00Z",
    ...fields,
  };
}

const rows = () => within(screen.getByRole("list", { name: "Bookmark list" })).queryAllByRole("listitem").filter((li) => li.dataset.bookmark);

afterEach(cleanup);

describe("the bookmarks screen", () => {
  it("lists bookmarks with their tags, cameras and range, and searches by tag", async () => {
    const api = fakeApi({
      cameras: [camera("a", "Front door"), camera("b", "Yard")],
      bookmarks: [bookmark("b1", { tags: ["theft", "gate"], cameras: ["a", "b"], locked: true, locked_at: "2026-12-03T10:06:00Z" }), bookmark("b2")],
    });
    const { where } = renderApp("/bookmarks", user(OPERATOR), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toHaveTextContent("Bookmark b1");
    expect(rows()[0]).toHaveTextContent("Locked");
    expect(rows()[0]).toHaveTextContent("2 min 0 s");
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Front door, Yard"));
    // A locked bookmark cannot be deleted; an operator may not lock or unlock.
    expect(within(rows()[0]).queryByRole("button", { name: "Delete" })).toBeNull();
    expect(within(rows()[1]).queryByRole("button", { name: "Lock footage" })).toBeNull();
    expect(within(rows()[0]).getByRole("link", { name: "Play" })).toHaveAttribute("href", "/playback?camera=a&camera=b&at=2026-12-03T10%3A00%3A00.000Z");
    fireEvent.click(within(rows()[0]).getByRole("link", { name: "theft" }));
    await waitFor(() => expect(where()).toBe("/bookmarks?tag=theft"));
    const asked = (api.bookmarks as ReturnType<typeof vi.fn>).mock.calls.at(-1)![0] as URLSearchParams;
    expect(asked.get("tags")).toBe("theft");
  });

  it("writes a bookmark handed over from playback and locks its footage", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door"), camera("b", "Yard")] });
    const start = Date.parse("2026-12-03T10:00:00Z");
    const { where } = renderApp(newBookmarkAddress(["b"], start, start + 60_000), user(ADMIN), api);
    const form = await screen.findByRole("form", { name: "New bookmark" });
    // The picker holds local time (a browser may drop ":00" seconds).
    expect(new Date((within(form).getByLabelText("From") as HTMLInputElement).value).getTime()).toBe(start);
    await waitFor(() => expect(within(form).getByLabelText("Yard")).toBeChecked());
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Van at the gate" } });
    fireEvent.change(within(form).getByLabelText("Tags"), { target: { value: "van, gate" } });
    fireEvent.click(within(form).getByLabelText(/lock the footage/i));
    fireEvent.click(within(form).getByRole("button", { name: "Save bookmark" }));
    await waitFor(() => expect(api.createBookmark).toHaveBeenCalled());
    expect(api.createBookmark).toHaveBeenCalledWith({
      name: "Van at the gate",
      description: "",
      tags: ["van", "gate"],
      cameras: ["b"],
      start: "2026-12-03T10:00:00.000Z",
      end: "2026-12-03T10:01:00.000Z",
    });
    await waitFor(() => expect(api.lockBookmark).toHaveBeenCalledWith("b1", true));
    // The list then shows the bookmarks of the cameras just bookmarked.
    await waitFor(() => expect(where()).toBe("/bookmarks?camera=b"));
    expect(screen.getByText(/saved, footage locked/)).toBeInTheDocument();
  });

  it("says what is wrong before asking, and what the server refused after", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door")] });
    renderApp("/bookmarks?new=1", user(ADMIN), api);
    const form = await screen.findByRole("form", { name: "New bookmark" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Nothing picked" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save bookmark" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Pick at least one camera.");
    (api.createBookmark as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("end: must be at most 31 days after start"));
    fireEvent.click(await within(form).findByLabelText("Front door"));
    fireEvent.click(within(form).getByRole("button", { name: "Save bookmark" }));
    expect(await within(form).findByText(/cannot save the bookmark: end: must be at most 31 days/i)).toBeInTheDocument();
  });

  it("locks, unlocks and deletes for those who may", async () => {
    const api = fakeApi({ bookmarks: [bookmark("b1")] });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/bookmarks", user(ADMIN), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Lock footage" }));
    await waitFor(() => expect(within(rows()[0]).getByRole("button", { name: "Unlock" })).toBeInTheDocument());
    expect(within(rows()[0]).queryByRole("button", { name: "Delete" })).toBeNull();
    (api.lockBookmark as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("only the past can be locked"));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Unlock" }));
    expect(await within(rows()[0]).findByRole("alert")).toHaveTextContent("Cannot unlock: only the past can be locked");
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Unlock" }));
    fireEvent.click(await within(rows()[0]).findByRole("button", { name: "Delete" }));
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(api.deleteBookmark).toHaveBeenCalledWith("b1");
  });
});
