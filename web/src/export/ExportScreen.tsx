// Exports of recorded footage and their verification (a later issue; the
// API is `/api/exports`).

import { Placeholder } from "../components/Placeholder";

export function ExportScreen() {
  return <Placeholder title="Export">Exporting footage from the browser comes in a later release.</Placeholder>;
}
