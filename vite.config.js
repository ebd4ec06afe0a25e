import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const repoDir = path.dirname(fileURLToPath(import.meta.url));
const frontendDir = path.resolve(repoDir, "frontend");

// One entry per frontend/islands/<name>/main.tsx, so a new island folder needs no config change.
// (Node 20 has no fs.globSync; a one-level directory scan is the same glob.)
function islandEntries() {
  const islandsDir = path.join(frontendDir, "islands");
  const entries = {};
  for (const name of readdirSync(islandsDir).sort()) {
    const entry = path.join(islandsDir, name, "main.tsx");
    if (existsSync(entry)) entries[name] = entry;
  }
  return entries;
}

export default defineConfig({
  root: "frontend",
  base: "/static/",
  publicDir: false,
  // Keep Vite's and Vitest's caches in the repository's node_modules, not a stray frontend/node_modules.
  cacheDir: path.join(repoDir, "node_modules", ".vite"),
  plugins: [react()],
  build: {
    outDir: path.join(frontendDir, "dist"),
    emptyOutDir: true,
    // django-vite reads frontend/dist/manifest.json; the default .vite/ folder is skipped by collectstatic.
    manifest: "manifest.json",
    rollupOptions: {
      input: islandEntries(),
      output: {
        // Name the chunks the islands share by what they hold, not after whichever module came first.
        codeSplitting: {
          groups: [
            { name: "react", test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // zod reads the API's answers for every island; on its own, so no island loads chart code for it.
            { name: "zod", test: /[\\/]node_modules[\\/]zod[\\/]/ },
            // Chart drawing stays out of the chunk every island loads.
            { name: "chart", test: /[\\/]frontend[\\/]components[\\/]chart[\\/]/ },
            // So does the data grid: only the islands that show rows load it.
            { name: "grid", test: /[\\/]frontend[\\/]components[\\/]grid[\\/]/ },
            { name: "shared", test: /[\\/]frontend[\\/](lib|components)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    origin: "http://localhost:5173",
    port: 5173,
    strictPort: true,
  },
  test: {
    environment: "jsdom",
    include: ["**/*.test.{ts,tsx}"],
    exclude: ["dist/**", "**/node_modules/**"],
    setupFiles: ["./test/setup.ts"],
    restoreMocks: true,
    // The same reason as asyncUtilTimeout in test/setup.ts: slow machines, not slower code.
    testTimeout: 20_000,
    unstubGlobals: true,
  },
});
