// Bookmarks on recorded footage (a later issue).

import { Placeholder } from "../components/Placeholder";

export function BookmarksScreen() {
  return <Placeholder title="Bookmarks">Bookmarks come in a later release.</Placeholder>;
}
