// Adding, changing and removing cameras (a later issue).

import { Placeholder } from "../components/Placeholder";

export function CamerasScreen() {
  return <Placeholder title="Cameras">Camera management comes in a later release.</Placeholder>;
}
