// The health of the planes, storage and cameras (a later issue).

import { Placeholder } from "../components/Placeholder";

export function HealthScreen() {
  return <Placeholder title="Health">The system health view comes in a later release.</Placeholder>;
}
