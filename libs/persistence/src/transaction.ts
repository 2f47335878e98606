import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open transaction, handed to repositories. Services never see TypeORM itself. */
export interface Tx {
  readonly manager: EntityManager;
}

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one READ COMMITTED transaction: all of it commits, or none of it. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ manager }));
  }

  /** Runs `work` outside any transaction (single statements, autocommit). */
  none<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return work({ manager: this.dataSource.manager });
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
