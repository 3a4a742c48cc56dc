/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// React without a plugin: esbuild compiles TSX with the automatic runtime.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // react-router marks its modules "use client" (for server components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE" || (warning.code === "SOURCEMAP_ERROR" && warning.id?.includes("react-router"))) return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm exec vite` during development forwards the API to a local control plane.
    proxy: { "/api": { target: process.env.VMS_API ?? "http://127.0.0.1:8080", ws: true } },
  },
  test: { environment: "jsdom", globals: true, include: ["src/**/*.test.{ts,tsx}"], setupFiles: ["src/setupTests.ts"] },
});
