import type { INestApplicationContext } from '@nestjs/common';
import { FUND_TYPES, type FundType, type Role } from '@app/case-workflow';
import { TransactionRunner, UsersRepository } from '@app/persistence';
import { FundsService } from '../funds/funds.service';
import { UsersService } from '../users/users.service';

import { DEMO_PASSWORD } from './demo-password';

export { DEMO_PASSWORD };

/** How many demo users of each role: username = role + `_N` (committee_member_1 … _5). */
export const DEMO_USERS: Record<Role, number> = {
  investment_manager: 3,
  // Seven department heads: enough members not recused for an exemption decision panel (config/exemption/decision.yaml), and an appeal body (复核) none of whose members sat on it (config/exemption/due-process.yaml).
  department_head: 7,
  risk_officer: 2,
  // Three legal officers: one writes the legal DD report, one verifies, one is independent for the legality review (合法性审查).
  legal_officer: 3,
  committee_member: 5,
  committee_chair: 1,
  compliance_officer: 3,
  discipline_officer: 2,
  auditor: 1,
  admin: 1,
};

const DISPLAY_ZH: Record<Role, string> = {
  investment_manager: '投资经理',
  department_head: '部门负责人',
  risk_officer: '风控专员',
  legal_officer: '法务专员',
  committee_member: '投委会委员',
  committee_chair: '投委会主任',
  compliance_officer: '合规专员',
  discipline_officer: '纪检监察专员',
  auditor: '审计专员',
  admin: '系统管理员',
};

const DEMO_FUNDS: Record<FundType, { name: string; sizeFen: number; termYears: number }> = {
  seed: { name: '科技成果转化种子基金（演示）', sizeFen: 20_000_000_000, termYears: 12 },
  angel: { name: '天使投资引导基金（演示）', sizeFen: 50_000_000_000, termYears: 10 },
  venture: { name: '创业投资基金（演示）', sizeFen: 100_000_000_000, termYears: 10 },
  industry: { name: '战略性新兴产业基金（演示）', sizeFen: 500_000_000_000, termYears: 8 },
  buyout: { name: '并购基金（演示）', sizeFen: 300_000_000_000, termYears: 7 },
};

/**
 * Loads the demo users and funds unless they are there already; a demo database from an earlier
 * version gets the demo users it lacks (a role added since). Returns whether it loaded anything.
 */
export async function seedDemoData(app: INestApplicationContext): Promise<boolean> {
  const tx = app.get(TransactionRunner);
  const usersRepo = app.get(UsersRepository);
  const users = app.get(UsersService);
  if (await tx.none((t) => usersRepo.findByUsername(t, 'admin_1'))) {
    let added = false;
    for (const [role, count] of Object.entries(DEMO_USERS) as [Role, number][]) {
      for (let i = 1; i <= count; i++) {
        if (await tx.none((t) => usersRepo.findByUsername(t, `${role}_${i}`))) continue;
        await users.create(null, {
          username: `${role}_${i}`,
          displayName: `${DISPLAY_ZH[role]}${i}`,
          password: DEMO_PASSWORD,
          roles: [role],
          demo: true,
        });
        added = true;
      }
    }
    return added;
  }
  for (const [role, count] of Object.entries(DEMO_USERS) as [Role, number][]) {
    for (let i = 1; i <= count; i++) {
      await users.create(null, {
        username: `${role}_${i}`,
        displayName: `${DISPLAY_ZH[role]}${i}`,
        password: DEMO_PASSWORD,
        roles: [role],
        demo: true,
      });
    }
  }
  const funds = app.get(FundsService);
  for (const type of FUND_TYPES) {
    await funds.create(null, { ...DEMO_FUNDS[type], type, vintageYear: 2025 });
  }
  return true;
}
