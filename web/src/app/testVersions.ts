// Test helper: the versions of what a fake server holds, kept as the real
// one keeps them (`vms-control`'s etag.rs): a read answers the current
// version as its `ETag`; a write whose `If-Match` names another version is
// refused with a 412 and changes nothing; one without `If-Match` goes ahead.

import { ApiError } from "../api/client";

export class FakeVersions {
  private readonly versions = new Map<string, number>();

  /// The `ETag` of the resource at `path` now (`"0"` before any change).
  etag(path: string): string {
    return `"${this.versions.get(path) ?? 0}"`;
  }

  /// Checks a write of `path` against its `If-Match` (throwing the server's
  /// 412), then counts it as a new version; call it before changing anything.
  write(path: string, headers: Headers): void {
    const wanted = headers.get("if-match");
    if (wanted !== null && wanted !== this.etag(path)) {
      throw new ApiError(412, `changed since it was read (it is now ${this.etag(path)}): read it again and reapply the change`);
    }
    this.bump(path);
  }

  /// A change of `path` made by someone else: a new version.
  bump(path: string): void {
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
  }
}
