// Whether a component is still mounted: an answer that comes after it
// closed is ignored (acting on it would, say, open it again through the
// address).

import { useEffect, useRef } from "react";

export function useMounted() {
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
}
