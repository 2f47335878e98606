import { Initial1795304822434 } from './1795304822434-Initial';
import { TaskEscalation1795313408123 } from './1795313408123-TaskEscalation';
import { AuditAppendOnly1795400000000 } from './1795400000000-AuditAppendOnly';
import { Sessions1796140118513 } from './1796140118513-Sessions';
import { EvidenceFiles1796140147786 } from './1796140147786-EvidenceFiles';
import { IssuedDocuments1796140791806 } from './1796140791806-IssuedDocuments';
import { LoginThrottle1796144333344 } from './1796144333344-LoginThrottle';
import { IdempotencyKeys1796155413504 } from './1796155413504-IdempotencyKeys';
import { AnchoredHeads1796200000000 } from './1796200000000-AnchoredHeads';

/** Every migration, in order. Listed explicitly so that nothing depends on globbing into dist/. */
export const MIGRATIONS = [
  Initial1795304822434,
  TaskEscalation1795313408123,
  AuditAppendOnly1795400000000,
  Sessions1796140118513,
  EvidenceFiles1796140147786,
  IssuedDocuments1796140791806,
  LoginThrottle1796144333344,
  IdempotencyKeys1796155413504,
  AnchoredHeads1796200000000,
];
