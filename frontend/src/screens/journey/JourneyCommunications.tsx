import { CommunicationLog } from "../communications/CommunicationLog";

export default function JourneyCommunications({ journeyId }: { journeyId: string }) {
  return <CommunicationLog journeyId={journeyId} />;
}
