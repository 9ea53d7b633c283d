import { UpcomingScreen } from '../../ui/UpcomingScreen.tsx';

export function TodayPage() {
  return (
    <UpcomingScreen
      title="Today"
      purpose="The checks due on your units today and your assigned actions, ready to record on the wing with or without signal."
    />
  );
}
