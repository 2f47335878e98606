import type { MessageKey } from '../i18n/messages';

/** Roles that work on cases (the API's case readers) and may see the queues. */
export const CASE_ROLES = [
  'investment_manager',
  'department_head',
  'risk_officer',
  'legal_officer',
  'committee_member',
  'committee_chair',
  'compliance_officer',
  'discipline_officer',
  'auditor',
];

export interface NavItem {
  path: string;
  label: MessageKey;
  roles: readonly string[] | 'any';
}

/** The navigation; each person sees the entries one of their roles may use. */
export const NAV: NavItem[] = [
  { path: '/work', label: 'nav.work', roles: CASE_ROLES },
  { path: '/cases', label: 'nav.cases', roles: CASE_ROLES },
  { path: '/audit', label: 'nav.audit', roles: ['auditor', 'compliance_officer'] },
  { path: '/funds', label: 'nav.funds', roles: 'any' },
  { path: '/admin', label: 'nav.admin', roles: ['admin'] },
];

export function navFor(roles: readonly string[]): NavItem[] {
  return NAV.filter((n) => n.roles === 'any' || n.roles.some((r) => roles.includes(r)));
}
