import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The bundle is committed (frontend_static/) so that the Python package serves the UI
// with no Node at install time; names are content hashes, so a rebuild of the same
// source gives the same files and `git diff` can check that the bundle is current.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: resolve(__dirname, "../frontend_static"),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: true,
    rollupOptions: {
      input: {
        app: resolve(__dirname, "index.html"),
        graphiql: resolve(__dirname, "graphiql.html"),
      },
    },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true } },
  },
});
