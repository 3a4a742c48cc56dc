// The live screen: the console of tiles playing live video.

import { useApp } from "../app/context";
import { Console } from "./Console";

export function LiveScreen() {
  const { api, me } = useApp();
  return <Console api={api} me={me} />;
}
