// The events screen: the live feed and the search of stored events (a later
// issue). Live events will arrive through the app's one shared connection
// (`app/events.ts`).

import { Placeholder } from "../components/Placeholder";

export function EventsScreen() {
  return <Placeholder title="Events">The event feed and search come in a later release.</Placeholder>;
}
