import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";
import { graphqlWsUrl, readToken } from "../api/token";

// Served by the API itself at GET /graphql (for browsers), so it works with no
// internet. The token of the operator logged in to the backoffice is filled into
// the headers pane; introspection, like every operation but login, needs one.
const token = readToken();
const authorization = token ? { Authorization: `Bearer ${token}` } : {};
const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  subscriptionUrl: graphqlWsUrl(),
  wsConnectionParams: () => {
    const current = readToken();
    return current ? { Authorization: `Bearer ${current}` } : {};
  },
});

const hint = token
  ? "Your backoffice token is in the headers pane."
  : "A token is needed to introspect the schema and run operations: log in to the backoffice at / (or run the login mutation) and put it in the headers pane as {\"Authorization\": \"Bearer <token>\"}.";

const defaultQuery = `# ${hint}
#
# Log in (the only operation that needs no token):
# mutation { login(username: "admin", password: "...") { token errors { code message } } }

query Me {
  me { username role accessGroups }
}
`;

function Page() {
  return (
    <div style={{ display: "flex", flexDirection: "column", height: "100vh" }}>
      <p
        role="note"
        style={{ margin: 0, padding: "6px 12px", font: "14px system-ui, sans-serif", background: "#fff8e1" }}
      >
        {hint} <a href="/">Back to the backoffice</a>
      </p>
      <div style={{ flex: 1, minHeight: 0 }}>
        <GraphiQL
          fetcher={fetcher}
          initialHeaders={JSON.stringify(authorization, null, 2)}
          defaultQuery={defaultQuery}
          defaultEditorToolsVisibility={token ? "headers" : true}
        />
      </div>
    </div>
  );
}

createRoot(document.getElementById("graphiql")!).render(<Page />);
