import type { CodegenConfig } from "@graphql-codegen/cli";

// Operations are typed from the schema the server serves (`questline schema` writes
// schema.graphql); the build runs this first, so a query that no longer fits the
// schema fails the build and the type check.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", JSON: "unknown" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
  hooks: {},
};
export default config;
