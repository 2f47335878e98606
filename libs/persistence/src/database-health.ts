import { Injectable } from '@nestjs/common';
import { Client, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfigService } from '@app/config';
import { classifyDatabaseError } from './database-error';

export interface DatabaseHealthReport {
  /** Whether the database answers a query (through the pool, or on a connection of its own). */
  db: 'up' | 'down';
  /** `exhausted`: every pooled connection is busy and none came free in time, so requests get 503s. */
  pool: 'ok' | 'exhausted';
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('health check timed out')), ms).unref())]);

/**
 * Tells "the database is down" from "this process has no free connection": a query through the pool
 * first; when that fails, one through a connection of its own, outside the pool.
 */
@Injectable()
export class DatabaseHealth {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  /** The check under way, shared: however many callers poll health, one probe runs at a time (no connection storm). */
  private running: Promise<DatabaseHealthReport> | null = null;

  check(waitMs: number): Promise<DatabaseHealthReport> {
    this.running ??= this.probe(waitMs).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async probe(waitMs: number): Promise<DatabaseHealthReport> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), waitMs);
      return { db: 'up', pool: 'ok' };
    } catch (err) {
      const exhausted = classifyDatabaseError(err) === 'pool_exhausted' || this.poolIsFull();
      const up = await this.answersDirectly(waitMs);
      return { db: up ? 'up' : 'down', pool: exhausted ? 'exhausted' : 'ok' };
    }
  }

  /** Every connection the pool may open is open, and none is idle. */
  private poolIsFull(): boolean {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool | undefined;
    if (!pool) return false;
    return pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10);
  }

  private async answersDirectly(waitMs: number): Promise<boolean> {
    const client = new Client({
      connectionString: this.config.get('databaseUrl'),
      application_name: `patient-capital-workflow:${process.pid}:health`,
      connectionTimeoutMillis: waitMs,
      statement_timeout: waitMs,
    });
    client.on('error', () => undefined); // a connection lost while checking is an answer, not a crash
    try {
      await withTimeout(
        client.connect().then(() => client.query('SELECT 1')),
        waitMs * 2,
      );
      return true;
    } catch {
      return false;
    } finally {
      void client.end().catch(() => undefined);
    }
  }
}
