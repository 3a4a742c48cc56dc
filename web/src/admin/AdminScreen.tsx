// Users, roles, API keys, sites, the audit trail and system settings (a
// later issue).

import { Placeholder } from "../components/Placeholder";

export function AdminScreen() {
  return <Placeholder title="Admin">Administration comes in a later release.</Placeholder>;
}
