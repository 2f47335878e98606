export const ROLES = [
  'investment_manager',
  'department_head',
  'risk_officer',
  'legal_officer',
  'committee_member',
  'committee_chair',
  'compliance_officer',
  'discipline_officer',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The roles that work on cases and have review queues: all but the auditor (read-only) and admin (users and funds). */
export const CASE_ACTORS: readonly Role[] = ROLES.filter((r) => r !== 'auditor' && r !== 'admin');
/** Everyone who may read cases, their history and the queues: the case actors and the auditor. */
export const CASE_READERS: readonly Role[] = [...CASE_ACTORS, 'auditor'];
/** Who may read, verify and export the audit trail. */
export const AUDIT_READERS: readonly Role[] = ['auditor', 'compliance_officer', 'discipline_officer'];

export const ROLE_TITLES_ZH: Record<Role, string> = {
  investment_manager: '投资经理',
  department_head: '部门负责人',
  risk_officer: '风控',
  legal_officer: '法务',
  committee_member: '投委会委员',
  committee_chair: '投委会主任',
  compliance_officer: '合规',
  discipline_officer: '纪检监察',
  auditor: '审计',
  admin: '系统管理员',
};

/** The person sending an event, as the server authenticated them. */
export interface Actor {
  id: string;
  roles: readonly Role[];
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((r) => actor.roles.includes(r));

/**
 * Roles that review, decide or rule at some step of a case (screening, risk, committee, amount
 * confirmation, verification, the exemption decision, referrals). Nobody holding one may join a case
 * team at any stage: they would either review their own team's work or be disqualified from a step
 * the case still needs (separation of duties).
 */
export const REVIEWING_ROLES: readonly Role[] = [
  'department_head',
  'risk_officer',
  'legal_officer',
  'committee_member',
  'committee_chair',
  'compliance_officer',
  'discipline_officer',
];
