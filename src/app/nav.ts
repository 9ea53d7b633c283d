import type { NavItem } from '../ui/ServiceNavigation.tsx';

/** The screens, in the order people reach for them on a shift. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Today' },
  { href: '/actions', label: 'Actions' },
  { href: '/review', label: 'Review' },
  { href: '/coverage', label: 'Coverage' },
  { href: '/plans', label: 'Plans' },
  { href: '/sync', label: 'Sync' },
  { href: '/device', label: 'Device' },
];
