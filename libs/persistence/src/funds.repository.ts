import { Injectable } from '@nestjs/common';
import { FundEntity } from './entities/fund.entity';
import type { Tx } from './transaction';

export type FundRecord = Omit<FundEntity, 'createdAt'> & { createdAt: string };

const toRecord = (f: FundEntity): FundRecord => ({ ...f, createdAt: f.createdAt.toISOString() });
const repo = (tx: Tx) => tx.manager.getRepository(FundEntity);

@Injectable()
export class FundsRepository {
  async create(tx: Tx, f: Omit<FundRecord, 'id' | 'createdAt'>): Promise<FundRecord> {
    const r = repo(tx);
    return toRecord(await r.save(r.create(f)));
  }

  async findById(tx: Tx, id: string): Promise<FundRecord | null> {
    const f = await repo(tx).findOne({ where: { id } });
    return f ? toRecord(f) : null;
  }

  async list(tx: Tx): Promise<FundRecord[]> {
    return (await repo(tx).find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(toRecord);
  }
}
