import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { parse } from 'yaml';
import { findRepoRoot } from './repo-root';
import type {
  CommitteeRule,
  CriteriaPolicy,
  DecisionPanelPolicy,
  DueProcessPolicy,
  LossTierPolicy,
  MonitoringPolicy,
  NegativeListPolicy,
  NoticePolicy,
  SlaPolicy,
  TolerancePolicy,
} from '@app/case-workflow';
import { CalendarFileError, FUND_TYPES, lossTierPolicyProblem, ROLES, WorkingCalendar } from '@app/case-workflow';

export interface Policies {
  committee: CommitteeRule;
  monitoring: MonitoringPolicy;
  tolerance: TolerancePolicy;
  sla: SlaPolicy;
  criteria: CriteriaPolicy;
  negativeList: NegativeListPolicy;
  notice: NoticePolicy;
  decision: DecisionPanelPolicy;
  lossTiers: LossTierPolicy;
  /** Hearing and appeal periods and parties (config/exemption/due-process.yaml). */
  dueProcess: DueProcessPolicy;
  /** The working-day calendar (config/calendar/cn-<year>.yaml, every year file found). */
  calendar: WorkingCalendar;
}

class Versioned {
  @IsString()
  @IsNotEmpty()
  version!: string;
}

class CommitteeRuleFile extends Versioned implements CommitteeRule {
  @IsInt() @Min(1) quorum!: number;
  @IsInt() @Min(1) approvalNumerator!: number;
  @IsInt() @Min(1) approvalDenominator!: number;
  @IsBoolean() abstentionsCountAsCast!: boolean;
  @IsBoolean() riskFailRequiresOverride!: boolean;
}

class MonitoringFile extends Versioned implements MonitoringPolicy {
  @IsInt() @Min(1) reportCadenceDays!: number;
  @IsInt() @Min(1) downgradeReactionDays!: number;
}

class RateTable {
  @IsNumber() @Min(0) @Max(1) seed!: number;
  @IsNumber() @Min(0) @Max(1) angel!: number;
  @IsNumber() @Min(0) @Max(1) venture!: number;
  @IsNumber() @Min(0) @Max(1) industry!: number;
  @IsNumber() @Min(0) @Max(1) buyout!: number;
}

/** Per-project ceilings: a fraction, or null where the fund type has no published ceiling. */
class CeilingTable {
  @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(1) seed!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(1) angel!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(1) venture!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(1) industry!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(1) buyout!: number | null;
}

class ToleranceFile extends Versioned implements TolerancePolicy {
  @ValidateNested() @Type(() => RateTable) limitRate!: RateTable;
  @ValidateNested() @Type(() => CeilingTable) perProjectCeiling!: CeilingTable;
}

class SlaRuleFile {
  @IsOptional() @IsNumber() @Min(0) workingHours?: number;
  @IsOptional() @IsNumber() @Min(0) calendarDays?: number;
}

class SlaFile extends Versioned implements SlaPolicy {
  @IsIn(ROLES) escalateTo!: string;
  queues!: Record<string, SlaRuleFile>;
}

class CriterionFile {
  @IsString() @IsNotEmpty() code!: string;
  @IsString() @IsNotEmpty() titleZh!: string;
  @IsString() @IsNotEmpty() titleEn!: string;
  @IsIn(['auto', 'manual']) evidence!: 'auto' | 'manual';
  @ArrayMinSize(1) @IsIn(['compliance_officer', 'legal_officer'], { each: true }) verifierRoles!: string[];
}

class CriteriaFile extends Versioned implements CriteriaPolicy {
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => CriterionFile) criteria!: CriterionFile[];
}

class NegativeItemFile {
  @IsString() @IsNotEmpty() code!: string;
  @IsString() @IsNotEmpty() titleZh!: string;
  @IsString() @IsNotEmpty() titleEn!: string;
  @IsIn(['rule', 'practice']) source!: 'rule' | 'practice';
}

class NegativeListFile extends Versioned implements NegativeListPolicy {
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => NegativeItemFile) items!: NegativeItemFile[];
}

class LossTierFile {
  @IsString() @IsNotEmpty() code!: string;
  @IsString() @IsNotEmpty() titleZh!: string;
  @IsString() @IsNotEmpty() titleEn!: string;
  @IsInt() @Min(0) minFen!: number;
  @IsString() @IsNotEmpty() description!: string;
}

class LossTiersFile extends Versioned implements LossTierPolicy {
  @IsString() @IsNotEmpty() source!: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => LossTierFile) tiers!: LossTierFile[];
}

class NoticeFile extends Versioned implements NoticePolicy {
  @IsInt() @Min(0) periodDays!: number;
}

class HearingFile {
  @IsInt() @Min(1) periodDays!: number;
}

class AppealFile {
  @IsInt() @Min(1) periodDays!: number;
  @IsString() @IsNotEmpty() body!: string;
  @ArrayMinSize(1) @IsIn(ROLES.filter((r) => r !== 'auditor' && r !== 'admin'), { each: true }) roles!: string[];
  @IsInt() @Min(1) minMembers!: number;
}

class DueProcessFile extends Versioned implements DueProcessPolicy {
  @ValidateNested() @Type(() => HearingFile) hearing!: HearingFile;
  @ValidateNested() @Type(() => AppealFile) appeal!: AppealFile;
}

class PanelTierFile {
  @IsString() @IsNotEmpty() body!: string;
  @ArrayMinSize(1) @IsIn(ROLES.filter((r) => r !== 'auditor' && r !== 'admin'), { each: true }) roles!: string[];
  @IsInt() @Min(1) quorum!: number;
  @IsInt() @Min(1) majorityNumerator!: number;
  @IsInt() @Min(1) majorityDenominator!: number;
  @IsBoolean() strict!: boolean;
}

/** The tiers are checked one by one against the loss-tier policy's codes. */
class DecisionFile extends Versioned {
  @IsObject() tiers!: Record<string, unknown>;
}

class HolidayRangeFile {
  @IsString() @IsNotEmpty() name!: string;
  @IsString() @IsNotEmpty() from!: string;
  @IsString() @IsNotEmpty() to!: string;
}

class MakeUpDayFile {
  @IsString() @IsNotEmpty() date!: string;
  @IsString() @IsNotEmpty() name!: string;
}

class CalendarYearFile extends Versioned {
  @IsInt() @Min(2000) @Max(2100) year!: number;
  @IsString() @IsNotEmpty() source!: string;
  @ValidateNested({ each: true }) @Type(() => HolidayRangeFile) holidays!: HolidayRangeFile[];
  @ValidateNested({ each: true }) @Type(() => MakeUpDayFile) workdays!: MakeUpDayFile[];
}

export class PolicyError extends Error {}

/** Every `calendar/cn-<year>.yaml`: consecutive years, each file named after the year it holds. */
function loadCalendar(configDir: string): WorkingCalendar {
  let files: string[];
  try {
    files = readdirSync(join(configDir, 'calendar')).filter((f) => /^cn-\d{4}\.yaml$/.test(f));
  } catch {
    files = [];
  }
  if (files.length === 0) {
    throw new PolicyError(`Invalid policy file ${join(configDir, 'calendar')}: no working-day calendar (cn-<year>.yaml) is configured`);
  }
  const years = files.sort().map((f) => {
    const y = load(configDir, `calendar/${f}`, CalendarYearFile);
    if (`cn-${y.year}.yaml` !== f) throw new PolicyError(`Invalid policy file calendar/${f}: it holds year ${y.year}`);
    return { ...y, holidays: y.holidays.map((h) => ({ ...h })), workdays: y.workdays.map((w) => ({ ...w })) };
  });
  try {
    return new WorkingCalendar(years);
  } catch (err) {
    if (err instanceof CalendarFileError) throw new PolicyError(`Invalid policy file calendar/: ${err.message}`);
    throw err;
  }
}

function firstError(errors: ValidationError[], path = ''): string {
  const e = errors[0];
  const here = path ? `${path}.${e.property}` : e.property;
  if (e.children && e.children.length > 0) return firstError(e.children, here);
  return `${here}: ${Object.values(e.constraints ?? {})[0] ?? 'is invalid'}`;
}

function load<T extends object>(dir: string, file: string, cls: new () => T): T {
  const path = join(dir, file);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new PolicyError(`Cannot read policy file ${path}: ${(err as Error).message}`);
  }
  const value = plainToInstance(cls, raw);
  const errors = validateSync(value as object, { forbidUnknownValues: true });
  if (errors.length > 0) throw new PolicyError(`Invalid policy file ${path}: ${firstError(errors)}`);
  return value;
}

function unique(codes: string[], what: string) {
  const seen = new Set<string>();
  for (const c of codes) {
    if (seen.has(c)) throw new PolicyError(`Duplicate ${what} code "${c}"`);
    seen.add(c);
  }
}

/** Loads and validates every policy file under `config/` (once, at boot). */
export function loadPolicies(configDir: string = join(findRepoRoot(), 'config'), noticePeriodOverride?: number): Policies {
  const committee = load(configDir, 'policies/committee.yaml', CommitteeRuleFile);
  if (committee.approvalNumerator > committee.approvalDenominator) {
    throw new PolicyError('Invalid policy file policies/committee.yaml: approvalNumerator cannot exceed approvalDenominator');
  }
  const sla = load(configDir, 'policies/sla.yaml', SlaFile);
  for (const [queue, rule] of Object.entries(sla.queues ?? {})) {
    if (!(ROLES as readonly string[]).includes(queue))
      throw new PolicyError(`Invalid policy file policies/sla.yaml: unknown queue ${queue}`);
    if ((rule.workingHours === undefined) === (rule.calendarDays === undefined)) {
      throw new PolicyError(`Invalid policy file policies/sla.yaml: queue ${queue} needs exactly one of workingHours or calendarDays`);
    }
  }
  const criteria = load(configDir, 'exemption/criteria.yaml', CriteriaFile);
  unique(
    criteria.criteria.map((c) => c.code),
    'criterion',
  );
  const negativeList = load(configDir, 'exemption/negative-list.yaml', NegativeListFile);
  unique(
    negativeList.items.map((i) => i.code),
    'negative-list',
  );
  const notice = load(configDir, 'exemption/notice.yaml', NoticeFile);
  const lossTiers = load(configDir, 'exemption/loss-tiers.yaml', LossTiersFile);
  const tierProblem = lossTierPolicyProblem(lossTiers.tiers);
  if (tierProblem) throw new PolicyError(`Invalid policy file exemption/loss-tiers.yaml: ${tierProblem}`);
  const decision = load(configDir, 'exemption/decision.yaml', DecisionFile);
  // A panel rule for every loss tier in force (the tier of a review's loss chooses its panel).
  const panelTiers: Record<string, PanelTierFile> = {};
  for (const { code } of lossTiers.tiers) {
    const raw = (decision.tiers as Record<string, unknown> | undefined)?.[code];
    if (!raw)
      throw new PolicyError(`Invalid policy file exemption/decision.yaml: no panel rule for loss tier ${code} (exemption/loss-tiers.yaml)`);
    const t = plainToInstance(PanelTierFile, raw);
    const errors = validateSync(t, { forbidUnknownValues: true });
    if (errors.length > 0) throw new PolicyError(`Invalid policy file exemption/decision.yaml: tiers.${code}.${firstError(errors)}`);
    if (t.majorityNumerator > t.majorityDenominator) {
      throw new PolicyError(
        `Invalid policy file exemption/decision.yaml: tiers.${code}.majorityNumerator cannot exceed majorityDenominator`,
      );
    }
    // Less than half could let two outcomes carry at once.
    if (t.majorityNumerator * 2 < t.majorityDenominator || (t.majorityNumerator * 2 === t.majorityDenominator && !t.strict)) {
      throw new PolicyError(
        `Invalid policy file exemption/decision.yaml: tiers.${code} needs a majority of more than half of the votes cast`,
      );
    }
    panelTiers[code] = t;
  }
  const dueProcess = load(configDir, 'exemption/due-process.yaml', DueProcessFile);
  const tolerance = load(configDir, 'policies/tolerance.yaml', ToleranceFile);
  for (const t of FUND_TYPES) {
    if (tolerance.limitRate[t] === undefined) throw new PolicyError(`policies/tolerance.yaml has no limitRate for ${t}`);
  }
  return {
    committee: { ...committee },
    monitoring: { ...load(configDir, 'policies/monitoring.yaml', MonitoringFile) },
    tolerance,
    sla: { ...sla, queues: { ...sla.queues } },
    criteria,
    negativeList,
    decision: {
      version: decision.version,
      tiers: Object.fromEntries(Object.entries(panelTiers).map(([code, t]) => [code, { ...t, roles: [...t.roles] }])),
    },
    calendar: loadCalendar(configDir),
    dueProcess: {
      version: dueProcess.version,
      hearing: { periodDays: dueProcess.hearing.periodDays },
      appeal: { ...dueProcess.appeal, roles: [...dueProcess.appeal.roles] },
    },
    lossTiers: { version: lossTiers.version, source: lossTiers.source, tiers: lossTiers.tiers.map((t) => ({ ...t })) },
    notice: noticePeriodOverride === undefined ? notice : { ...notice, periodDays: noticePeriodOverride, version: `${notice.version}+env` },
  };
}
