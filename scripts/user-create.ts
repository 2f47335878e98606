import 'reflect-metadata';
/**
 * `npm run user:create -- --username <name> --roles admin[,auditor…] [--display-name <name>]`: creates a
 * user (the first administrator of a production install) against DATABASE_URL, or the embedded
 * database of `npm start` without it. The password is read from standard input (typed without echo
 * on a terminal, or piped), never from an argument. Audited as USER_CREATED by the system actor.
 *
 * Exit codes: 0 created, 1 refused (taken name, bad input, database error), 2 usage error.
 */
import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validateEnvironment } from '@app/config';
import { UsersService } from '@app/domain';
import { createApp, resolveRuntime } from '../apps/api/src/bootstrap';
import { createRootLogger } from '../apps/api/src/logging/logger';
import { CreateUserDto } from '../apps/api/src/users/users.dto';

const USAGE = `Usage: npm run user:create -- --username <name> --roles <role>[,<role>…] [--display-name <name>]

Creates a user against DATABASE_URL (or the embedded demo database). The password is read from
standard input: typed (not echoed) on a terminal, or piped: printf '%s\\n' "$PASSWORD" | npm run user:create -- …`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { username: string; roles: string[]; displayName: string } {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '--password')
      throw new UsageError('Never pass a password as an argument (it shows in ps and the shell history); pipe it in.');
    if (!['--username', '--roles', '--display-name'].includes(flag)) throw new UsageError(`Unknown option ${arg}.`);
    const v = inline ?? argv[++i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    o[flag] = v;
  }
  if (!o['--username'] || !o['--roles']) throw new UsageError('--username and --roles are required.');
  return {
    username: o['--username'],
    roles: o['--roles']
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    displayName: o['--display-name'] ?? o['--username'],
  };
}

/** The first line of standard input; on a terminal, prompted for and not echoed. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write('Password: ');
    stdin.setRawMode(true);
  }
  let text = '';
  for await (const chunk of stdin) {
    text += (chunk as Buffer).toString('utf8');
    if (stdin.isTTY && [...'\r\n\u0003\u0004'].some((c) => text.includes(c))) break;
  }
  if (stdin.isTTY) {
    stdin.setRawMode(false);
    process.stderr.write('\n');
    if (text.includes('\u0003')) throw new UsageError('Cancelled.');
  }
  return text.split('\u0004')[0].split(/\r?\n|\r/)[0];
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message ? `${err.message}\n\n` : ''}${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const password = await readPassword();
  const dto = plainToInstance(CreateUserDto, { ...args, password });
  const errors = validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
  if (errors.length > 0) {
    process.stderr.write(`Refused: ${errors.join('; ')}.\n`);
    return 1;
  }
  // Creating a user signs nothing: the signing secret the API needs is not needed here.
  const env = validateEnvironment({ JWT_SECRET: randomBytes(48).toString('base64url'), ...process.env, SCHEDULER_INTERVAL_MS: '0' });
  const logger = createRootLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const { settings, embedded } = await resolveRuntime(env, logger);
  const app = await createApp(settings, logger);
  try {
    await app.init();
    const user = await app.get(UsersService).create(null, dto);
    process.stdout.write(`Created user ${user.username} (${user.id}) with roles ${user.roles.join(', ')}.\n`);
    return 0;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Refused: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
