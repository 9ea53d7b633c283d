import { SuccessBanner } from '../../ui/SuccessBanner.tsx';

/** A green "done" banner after a change, announced to screen readers. */
export function Flash({ message }: { message: string | null }) {
  if (!message) return null;
  return <SuccessBanner message={message} titleId="flash-title" />;
}
