import { hasAnyRole, type Role } from '../shared/roles.ts';
import type { NavItem } from '../ui/ServiceNavigation.tsx';

interface Screen extends NavItem {
  /** Who sees it; everyone signed in when absent. */
  roles?: readonly Role[];
}

/** The screens, in the order people reach for them on a shift. */
const SCREENS: readonly Screen[] = [
  { href: '/', label: 'Today' },
  { href: '/actions', label: 'Actions' },
  { href: '/review', label: 'Review', roles: ['head-of-residence'] },
  { href: '/coverage', label: 'Coverage', roles: ['head-of-residence'] },
  { href: '/plans', label: 'Plans', roles: ['admin'] },
  { href: '/admin', label: 'Admin', roles: ['admin'] },
  { href: '/sync', label: 'Sync' },
  { href: '/device', label: 'Device' },
];

export function navItemsFor(roles: readonly Role[]): NavItem[] {
  return SCREENS.filter((screen) => !screen.roles || hasAnyRole(roles, screen.roles)).map(({ href, label }) => ({ href, label }));
}

export function mayOpen(path: string, roles: readonly Role[]): boolean {
  const screen = SCREENS.find((s) => s.href !== '/' && (path === s.href || path.startsWith(`${s.href}/`)));
  return !screen?.roles || hasAnyRole(roles, screen.roles);
}
