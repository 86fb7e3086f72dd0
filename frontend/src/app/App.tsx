import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { useSession } from "../auth/session";
import { LoginScreen } from "../screens/LoginScreen";
import { Loading } from "../ui/feedback";
import { Layout } from "./Layout";

// Every screen but the login is its own chunk, so the first load carries only the
// shell; the graph (React Flow, dagre) and the charts (Recharts) load with the
// screens that draw them.
const JourneysScreen = lazy(() => import("../screens/journeys/JourneysScreen"));
const JourneyScreen = lazy(() => import("../screens/journey/JourneyScreen"));
const UsersScreen = lazy(() => import("../screens/users/UsersScreen"));
const UserProfileScreen = lazy(() => import("../screens/users/UserProfileScreen"));
const CommunicationsScreen = lazy(() => import("../screens/communications/CommunicationsScreen"));
const CatalogScreen = lazy(() => import("../screens/catalog/CatalogScreen"));

function RequireLogin({ children }: { children: React.ReactNode }) {
  const { token, operator, loading } = useSession();
  const location = useLocation();
  if (!token) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (loading || !operator) return <Loading label="Loading your account" />;
  return <>{children}</>;
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginScreen />} />
        <Route
          element={
            <RequireLogin>
              <Layout />
            </RequireLogin>
          }
        >
          <Route index element={<Navigate to="/journeys" replace />} />
          <Route path="journeys" element={<Lazy><JourneysScreen /></Lazy>} />
          <Route path="journeys/:journeyId/*" element={<Lazy><JourneyScreen /></Lazy>} />
          <Route path="users" element={<Lazy><UsersScreen /></Lazy>} />
          <Route path="users/:userId" element={<Lazy><UserProfileScreen /></Lazy>} />
          <Route path="communications" element={<Lazy><CommunicationsScreen /></Lazy>} />
          <Route path="catalog" element={<Navigate to="/catalog/resources" replace />} />
          <Route path="catalog/:section" element={<Lazy><CatalogScreen /></Lazy>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

function Lazy({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function NotFound() {
  return <p>There is no screen at this address. Pick one from the menu.</p>;
}
