// What every screen needs from the signed-in app: the API client and the user.

import { createContext, useContext } from "react";

import type { Api } from "../api/client";
import type { Me } from "../api/types";

export interface AppContextValue {
  api: Api;
  me: Me;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp needs an AppContext provider (AppRoutes gives one)");
  return value;
}
