import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api, call } from './http';
import { hasRole, useSession } from './session';

export type CaseDto = components['schemas']['CaseDto'];
export type TaskDto = components['schemas']['TaskDto'];
export type FundDto = components['schemas']['FundDto'];
export type AuditEntryDto = components['schemas']['AuditEntryDto'];

/** Query keys, one family per resource; an accepted event invalidates its case's families. */
export const keys = {
  case: (id: string, asOf?: string | null) => ['case', id, asOf ?? null] as const,
  cases: (filters: Record<string, string | undefined>) => ['cases', filters] as const,
  history: (id: string) => ['history', id] as const,
  verify: (id: string) => ['verify', id] as const,
  exemption: (id: string) => ['exemption', id] as const,
  tasks: (filters: Record<string, string | undefined>) => ['tasks', filters] as const,
  funds: ['funds'] as const,
  evidence: (id: string) => ['evidence', id] as const,
  documents: (id: string) => ['documents', id] as const,
};

export function useCase(id: string, asOf?: string | null) {
  return useQuery({
    queryKey: keys.case(id, asOf),
    queryFn: () => call(api.GET('/api/cases/{id}', { params: { path: { id }, query: asOf ? { asOf } : {} } })),
  });
}

export function useFunds() {
  return useQuery({ queryKey: keys.funds, queryFn: () => call(api.GET('/api/funds')), staleTime: 60_000 });
}

export function useFundNames(): Map<string, string> {
  const funds = useFunds();
  return new Map((funds.data ?? []).map((f) => [f.id, f.name]));
}

export function useHistory(id: string) {
  return useQuery({ queryKey: keys.history(id), queryFn: () => call(api.GET('/api/cases/{id}/history', { params: { path: { id } } })) });
}

/** The case's chain verified by the server; only the roles that may verify ask. */
export function useChainVerification(id: string) {
  const s = useSession();
  return useQuery({
    queryKey: keys.verify(id),
    enabled: hasRole(s, 'auditor', 'compliance_officer'),
    queryFn: () => call(api.GET('/api/audit/verify', { params: { query: { caseId: id } } })),
  });
}

/** After an accepted event or a claim: everything that shows this case is stale. */
export async function invalidateCase(qc: QueryClient, id: string): Promise<void> {
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['case', id] }),
    qc.invalidateQueries({ queryKey: keys.history(id) }),
    qc.invalidateQueries({ queryKey: keys.verify(id) }),
    qc.invalidateQueries({ queryKey: keys.exemption(id) }),
    qc.invalidateQueries({ queryKey: keys.evidence(id) }),
    qc.invalidateQueries({ queryKey: keys.documents(id) }),
    qc.invalidateQueries({ queryKey: ['tasks'] }),
    qc.invalidateQueries({ queryKey: ['cases'] }),
  ]);
}

export type EvidenceFileDto = components['schemas']['EvidenceFileDto'];
export type IssuedDocumentDto = components['schemas']['IssuedDocumentDto'];
export type DocumentCheckDto = components['schemas']['DocumentCheckDto'];

/** The evidence files uploaded to a case, oldest first. */
export function useEvidence(caseId: string) {
  return useQuery({
    queryKey: keys.evidence(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/evidence', { params: { path: { id: caseId } } })),
  });
}

/** The documents issued for a case, oldest first. */
export function useDocuments(caseId: string) {
  return useQuery({
    queryKey: keys.documents(caseId),
    queryFn: () => call(api.GET('/api/cases/{id}/documents', { params: { path: { id: caseId } } })),
  });
}

export type ExemptionRecordDto = components['schemas']['ExemptionRecordDto'];

export function useExemption(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.exemption(id),
    enabled,
    queryFn: () => call(api.GET('/api/cases/{id}/exemption', { params: { path: { id } } })),
  });
}

export function useCommitteeRule() {
  return useQuery({ queryKey: ['policies', 'committee'], queryFn: () => call(api.GET('/api/policies/committee')), staleTime: 300_000 });
}

/** Display names by user id, for the roles that may list users (admin, auditor, compliance). */
export function useUserNames(): Map<string, string> {
  const s = useSession();
  const users = useQuery({
    queryKey: ['users'],
    enabled: hasRole(s, 'admin', 'auditor', 'compliance_officer'),
    queryFn: () => call(api.GET('/api/users')),
    staleTime: 60_000,
  });
  return new Map((users.data ?? []).map((u) => [u.id, u.displayName]));
}
