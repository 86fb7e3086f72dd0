import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { Navigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { describeError } from "../api/errors";
import { useSession } from "../auth/session";
import { graphql } from "../gql";
import { ErrorLine } from "../ui/feedback";

const LoginMutation = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      errors {
        code
        message
      }
    }
  }
`);

export function LoginScreen() {
  const { token, notice, logIn } = useSession();
  const [params] = useSearchParams();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, login] = useMutation(LoginMutation);
  const next = params.get("next");
  if (token) return <Navigate to={next && next.startsWith("/") ? next : "/journeys"} replace />;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const result = await login({ username, password });
    const payload = result.data?.login;
    const message = describeError(result.error, payload?.errors);
    if (message || !payload?.token) {
      setError(message ?? "The server gave no token.");
      return;
    }
    logIn(payload.token);
  }

  return (
    <Center h="100vh" component="main">
      <Paper withBorder p="xl" w={360} shadow="sm">
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h3">
              Questline backoffice
            </Title>
            {notice ? (
              <Alert color="yellow" role="status">
                {notice}
              </Alert>
            ) : null}
            <TextInput
              label="Username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              autoComplete="username"
              required
              size="sm"
            />
            <PasswordInput
              label="Password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="current-password"
              required
              size="sm"
            />
            <ErrorLine message={error} />
            <Button type="submit" loading={fetching} size="sm">
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
