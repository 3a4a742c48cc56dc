import { act, renderHook, waitFor } from "@testing-library/react";

import { ApiError } from "../api/client";
import type { Versioned } from "../api/versioned";
import { useVersion } from "./useVersion";

/// One resource as the server keeps it: a version per change, a stale `If-Match` refused with 412.
function store(value: string) {
  let version = 1;
  const sent: (string | null)[] = [];
  const current = (): Versioned<string> => ({ value, etag: `"${version}"` });
  return {
    sent,
    load: async () => current(),
    write: async (next: string, etag: string | null) => {
      sent.push(etag);
      if (etag !== null && etag !== `"${version}"`) throw new ApiError(412, "changed since it was read");
      value = next;
      version += 1;
      return current();
    },
    /// Someone else's change.
    elsewhere(next: string) {
      value = next;
      version += 1;
    },
  };
}

describe("the version an editor shows", () => {
  it("names the version each save stored in the next save, without refilling the draft", async () => {
    const server = store("first");
    const show = vi.fn();
    const { result } = renderHook(() => useVersion(server.load, show));
    await waitFor(() => expect(result.current.ready).toBe(true));
    expect(show).toHaveBeenCalledWith("first");
    await act(async () => expect(await result.current.save((etag) => server.write("second", etag))).toBe("second"));
    await act(async () => expect(await result.current.save((etag) => server.write("third", etag))).toBe("third"));
    expect(server.sent).toEqual(['"1"', '"2"']);
    expect(result.current.shown).toBe("third");
    expect(result.current.stale).toBe(false);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it("marks a save over someone else's change stale and shows their version only on reload", async () => {
    const server = store("first");
    const show = vi.fn();
    const { result } = renderHook(() => useVersion(server.load, show));
    await waitFor(() => expect(result.current.ready).toBe(true));
    server.elsewhere("theirs");
    await act(async () => expect(await result.current.save((etag) => server.write("mine", etag))).toBeNull());
    expect(result.current.stale).toBe(true);
    expect(show).toHaveBeenCalledTimes(1);
    act(() => result.current.reload());
    await waitFor(() => expect(show).toHaveBeenLastCalledWith("theirs"));
    expect(result.current.stale).toBe(false);
    await act(async () => expect(await result.current.save((etag) => server.write("mine", etag))).toBe("mine"));
    expect(server.sent).toEqual(['"1"', '"2"']);
  });

  it("throws any other failure of a save, and loads nothing for a new resource", async () => {
    const { result } = renderHook(() => useVersion<string>(null, vi.fn()));
    expect(result.current.ready).toBe(true);
    await act(async () => {
      await expect(result.current.save(async () => Promise.reject(new ApiError(400, "name: is empty")))).rejects.toThrow("name: is empty");
    });
    expect(result.current.stale).toBe(false);
  });
});
