import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** An open transaction (or autocommit work), handed to repositories. Services never see TypeORM. */
export interface Tx {
  readonly manager: EntityManager;
  /**
   * Runs a named (prepared once per connection, planned once) statement on the work's own connection
   * (`run` or `connection`): for the hot path, where every parse and plan counts. Without one of its
   * own (`none`) it falls back to an unnamed statement.
   */
  prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]>;
}

class TypeOrmTx implements Tx {
  constructor(readonly manager: EntityManager) {}

  async prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const runner = this.manager.queryRunner;
    if (!runner) return this.manager.query<T[]>(text, values);
    const client = (await runner.connect()) as PgClient;
    return (await client.query({ name, text, values })).rows as T[];
  }
}

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction (READ COMMITTED unless told): all of it commits, or none of it.
   * REPEATABLE READ gives a multi-statement read one consistent snapshot of the database.
   */
  run<T>(work: (tx: Tx) => Promise<T>, isolation?: 'REPEATABLE READ'): Promise<T> {
    return isolation
      ? this.dataSource.transaction(isolation, (manager) => work(new TypeOrmTx(manager)))
      : this.dataSource.transaction((manager) => work(new TypeOrmTx(manager)));
  }

  /**
   * Runs `work` on one connection of its own, outside any transaction: each statement commits on its
   * own (a single-statement write is its own transaction), with named statements available.
   */
  async connection<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work(new TypeOrmTx(runner.manager));
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs read-only `work` on one consistent snapshot (REPEATABLE READ READ ONLY): long reads such as
   * verifying or exporting the history see every chain and its head as of one moment, however many
   * events commit meanwhile.
   */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return work(new TypeOrmTx(manager));
    });
  }

  /** Runs `work` outside any transaction (single statements, autocommit). */
  none<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return work(new TypeOrmTx(this.dataSource.manager));
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
