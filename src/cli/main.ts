import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/env.js';
import { AppError } from '../core/errors.js';
import { DataDirLockedError } from '../db/lock.js';
import { openDatabase } from '../db/database.js';
import type { AppContext } from '../core/context.js';
import { createLogger } from '../lib/logger.js';
import { registerModules } from '../modules/index.js';
import { addUserFromCli } from '../modules/members/members.service.js';
import { email as emailSchema, personName } from '../http/schemas.js';
import { setupBody } from '../modules/setup/setup.schemas.js';
import { runSetup } from '../modules/setup/setup.service.js';
import { z } from 'zod';
import { listAllWorkspaces } from '../modules/workspaces/workspaces.service.js';
import { builtinRoleKeys } from '../core/permissions.js';
import { seedDemo } from '../modules/demo/demo.service.js';
import { importFromFile } from '../modules/imports/imports.cli.js';
import { startServer } from '../server.js';
import { createBackup } from '../modules/backup/backup.js';
import { restoreBackup } from '../modules/backup/restore.js';
import { listWorkspaces } from '../modules/workspaces/workspaces.repository.js';

const cliUserBody = z.object({ email: emailSchema, name: personName });

/** Exit codes: 0 ok, 1 failure, 2 bad usage or configuration. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** Open the database for a one-off command, migrate, run fn, close. */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  registerModules();
  const cfg = config();
  const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel);
  const db = await openDatabase(cfg);
  try {
    await db.migrate();
    return await fn({ config: cfg, db, logger, jobs: null });
  } finally {
    await db.close();
  }
}

/** Validate options with the same schema as the API, reporting every bad field. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
  throw new CliError(`Invalid options:\n${lines.join('\n')}`, 2);
}

function password(opt: string | undefined): string {
  const value = opt ?? process.env.SEN_PASSWORD;
  if (!value)
    throw new CliError('A password is required: --password <password> or SEN_PASSWORD.', 2);
  return value;
}

export function buildCli(): Command {
  const program = new Command('sen')
    .description('Sen CRM: server and administration commands')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('start')
    .description('Start the server (web app + API + background jobs)')
    .action(async () => {
      const cfg = config();
      const logger = createLogger(cfg.logLevel);
      const server = await startServer(cfg, logger);
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down: finishing requests and running jobs');
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });

  program
    .command('migrate')
    .description('Apply database migrations and exit')
    .action(async () => {
      await withContext(async (ctx) => {
        console.log(`Database is up to date (${ctx.db.kind}).`);
      });
    });

  program
    .command('setup')
    .description('First run: create the first workspace and its admin')
    .requiredOption('--workspace <name>', 'workspace (company) name')
    .requiredOption('--name <name>', "admin's full name")
    .requiredOption('--email <email>', "admin's email")
    .option('--password <password>', "admin's password (or env SEN_PASSWORD)")
    .addOption(new Option('--locale <locale>', 'language').choices(['vi', 'en']).default('vi'))
    .option('--currency <code>', 'currency', 'VND')
    .option('--timezone <tz>', 'time zone', 'Asia/Ho_Chi_Minh')
    .action(async (o: Record<string, string>) => {
      const input = parse(setupBody, {
        workspaceName: o.workspace,
        name: o.name,
        email: o.email,
        password: password(o.password),
        locale: o.locale,
        currency: o.currency,
        timezone: o.timezone,
      });
      const result = await withContext((ctx) => runSetup(ctx, input, 'cli', null));
      console.log(`Workspace ${result.workspaceId} created; admin ${o.email} can sign in now.`);
    });

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (or add an existing one) in a workspace')
    .requiredOption('--email <email>', 'email')
    .requiredOption('--name <name>', 'full name')
    .option('--password <password>', 'password for a new user (or env SEN_PASSWORD)')
    .option('--workspace <id-or-name>', 'workspace (default: the only one)')
    .addOption(
      new Option('--role <key>', 'built-in role').choices([...builtinRoleKeys]).default('sales'),
    )
    .action(async (o: Record<string, string | undefined>) => {
      // Validate before opening the database: bad input is reported as such, even while a
      // running server holds the data dir.
      const input = {
        ...parse(cliUserBody, { email: o.email, name: o.name }),
        password: password(o.password),
        workspace: o.workspace,
        roleKey: o.role ?? 'sales',
      };
      const created = await withContext((ctx) => addUserFromCli(ctx, input));
      console.log(
        `User ${created.email} (${created.userId}) is ${o.role} in "${created.workspaceName}".`,
      );
    });

  const workspace = program.command('workspace').description('Manage workspaces');
  workspace
    .command('list')
    .description('List every workspace of this install')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const rows = await withContext((ctx) => listAllWorkspaces(ctx));
      if (o.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log('No workspaces yet. Run `sen setup` or open the web app.');
        return;
      }
      console.table(
        rows.map((w) => ({
          id: w.id,
          name: w.name,
          members: w.members,
          locale: w.locale,
          created: w.createdAt.toISOString().slice(0, 10),
        })),
      );
    });

  program
    .command('demo')
    .description(
      'Fill a workspace with realistic Vietnamese demo data (contacts, companies, notes)',
    )
    .option('--workspace <id-or-name>', 'workspace (default: the only or first one)')
    .option('--contacts <n>', 'number of contacts', '2000')
    .option('--companies <n>', 'number of companies', '300')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '1')
    .option('--force', 'replace the demo data the workspace already has')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const count = (name: string, max: number) => {
        const n = Number(o[name]);
        if (!Number.isInteger(n) || n < 0 || n > max) {
          throw new CliError(`--${name} must be an integer from 0 to ${max}.`, 2);
        }
        return n;
      };
      const result = await withContext((ctx) =>
        seedDemo(ctx, {
          workspace: typeof o.workspace === 'string' ? o.workspace : undefined,
          contacts: count('contacts', 100_000),
          companies: count('companies', 20_000),
          seed: count('seed', 2 ** 31 - 1),
          force: o.force === true,
        }),
      );
      console.log(
        `${result.replaced ? 'Replaced the demo data of' : 'Added demo data to'} "${result.workspaceName}": ` +
          `${result.contacts} contacts, ${result.companies} companies, ${result.links} links, ` +
          `${result.notes} notes, owned by ${result.owners} member(s). Every demo row is tagged "demo".`,
      );
    });

  program
    .command('import')
    .description(
      'Import a CSV, Excel (.xlsx), vCard (.vcf) or Word (.docx) file into a record object',
    )
    .argument('<file>', 'the file to import')
    .requiredOption('--object <key>', 'the record object: contacts, companies, products…')
    .option('--workspace <id-or-name>', 'workspace (default: the only or first one)')
    .option('--user <email>', 'the member who imports (default: the workspace’s first admin)')
    .addOption(
      new Option('--duplicates <policy>', 'a row matching an existing record')
        .choices(['skip', 'update', 'create'])
        .default('skip'),
    )
    .option('--match <keys>', 'match keys, comma separated (default: every duplicate key)')
    .option('--sheet <name>', 'the sheet of a workbook, or the table of a Word file')
    .option('--template <name>', 'save the mapping as a template under this name')
    .option('--errors <file>', 'write the failed and skipped rows with their reasons (CSV)')
    .addOption(
      new Option('--lang <locale>', 'language of messages').choices(['vi', 'en']).default('vi'),
    )
    .action(async (file: string, o: Record<string, string | undefined>) => {
      const result = await withContext(async (ctx) => {
        const workspaceId = o.workspace
          ? await findWorkspace(ctx, o.workspace)
          : ((await ctx.db.system((tx) => listWorkspaces(tx)))[0]?.id ??
            failWith('No workspace yet: run `sen setup` first.'));
        let last = '';
        return importFromFile(
          ctx,
          {
            file,
            object: o.object!,
            workspaceId,
            userEmail: o.user,
            duplicates: o.duplicates as 'skip' | 'update' | 'create',
            matchKeys: o.match
              ?.split(',')
              .map((k) => k.trim())
              .filter(Boolean),
            sheet: o.sheet,
            template: o.template,
            errorsOut: o.errors,
            locale: o.lang === 'en' ? 'en' : 'vi',
          },
          (imp) => {
            const line =
              imp.status === 'analyzed'
                ? `${imp.fileName}: ${imp.format}${imp.encoding ? `, ${imp.encoding}` : ''}, ` +
                  `${count(imp.totalRows)} rows; columns: ` +
                  imp.headers.map((h, i) => `${h} → ${imp.mapping[i] ?? '(skipped)'}`).join(', ')
                : `${count(imp.rowsDone)} / ${count(imp.totalRows)} rows` +
                  (imp.rowsPerSecond ? `, ${count(imp.rowsPerSecond)} rows/s` : '') +
                  (imp.secondsLeft !== null ? `, ${imp.secondsLeft} s left` : '');
            if (line !== last) console.log(line);
            last = line;
          },
        );
      });
      console.log(
        `Import ${result.id} ${result.status}: ${count(result.created)} created, ` +
          `${count(result.updated)} updated, ${count(result.skipped)} skipped, ` +
          `${count(result.failed)} failed (${count(result.totalRows)} rows).` +
          (o.errors && result.failed + result.skipped > 0 ? ` Reasons: ${o.errors}` : ''),
      );
      if (result.status !== 'done') {
        throw new CliError(result.error?.message.en ?? 'The import did not finish.', 1);
      }
    });

  program
    .command('backup')
    .description(
      'Write the data and files of the whole instance (or one workspace) to one backup file',
    )
    .option('--workspace <id-or-name>', 'back up only this workspace (its members included)')
    .option('--out <file>', 'the file to write (default: ./sen-backup-<date>-<time>.zip)')
    .action(async (o: { workspace?: string; out?: string }) => {
      const summary = await withContext(async (ctx) => {
        const workspaceId = o.workspace ? await findWorkspace(ctx, o.workspace) : undefined;
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
        const out = o.out ?? `sen-backup-${stamp}${workspaceId ? `-${workspaceId}` : ''}.zip`;
        return createBackup(ctx, { out, workspaceId });
      });
      const scope =
        summary.scope.kind === 'instance'
          ? 'the whole instance'
          : `workspace "${summary.scope.workspaceName}" (${summary.scope.workspaceId})`;
      console.log(`Backed up ${scope} to ${summary.file}`);
      printTables(summary.tables);
      console.log(
        `${summary.tables.length} tables, ${count(summary.rows)} rows, ${count(summary.files)} files ` +
          `(${bytes(summary.fileBytes)}); backup file ${bytes(summary.archiveBytes)}; ` +
          `${summary.seconds.toFixed(1)} s.`,
      );
      if (summary.missingFiles.length > 0) {
        console.log(
          `Warning: ${summary.missingFiles.length} attachment file(s) were missing on disk ` +
            `(listed in the backup's manifest.json), e.g. ${summary.missingFiles[0]}.`,
        );
      }
    });

  program
    .command('restore')
    .description(
      'Restore a backup file into an empty instance (PGlite or PostgreSQL, whichever made it)',
    )
    .argument('<file>', 'a file written by `sen backup` or a scheduled backup')
    .action(async (file: string) => {
      const cfg = config();
      registerModules();
      const db = await openDatabase(cfg);
      const summary = await (async () => {
        try {
          return await restoreBackup({ db, config: cfg }, file);
        } finally {
          await db.close();
        }
      })();
      const scope =
        summary.scope.kind === 'instance'
          ? 'the whole instance'
          : `workspace "${summary.scope.workspaceName}" (${summary.scope.workspaceId})`;
      console.log(
        `Restored ${scope} from ${summary.file} (made ${summary.createdAt} on ` +
          `${summary.source.backend}) into ${db.kind}`,
      );
      printTables(summary.tables);
      console.log(
        `${summary.tables.length} tables, ${count(summary.rows)} rows, ${count(summary.files)} files ` +
          `(${bytes(summary.fileBytes)}); ${summary.seconds.toFixed(1)} s. Schema: ` +
          (summary.schema.backup === summary.schema.now
            ? summary.schema.now
            : `${summary.schema.backup}, migrated to ${summary.schema.now}`),
      );
    });

  return program;
}

/** A workspace's id from its id or name (exactly one must match). */
async function findWorkspace(ctx: AppContext, idOrName: string): Promise<string> {
  const all = await ctx.db.system((tx) => listWorkspaces(tx));
  const matches = all.filter(
    (w) => w.id === idOrName || w.name.toLowerCase() === idOrName.toLowerCase(),
  );
  if (matches.length !== 1 || !matches[0]) {
    throw new CliError(
      matches.length > 1
        ? `Several workspaces are named "${idOrName}": give its id (sen workspace list).`
        : `No workspace "${idOrName}" (sen workspace list).`,
      2,
    );
  }
  return matches[0].id;
}

const count = (n: number) => n.toLocaleString('en-US');

function failWith(message: string): never {
  throw new CliError(message, 2);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function printTables(tables: { name: string; rows: number }[]): void {
  const width = Math.max(...tables.map((t) => t.name.length), 5);
  for (const t of tables) console.log(`  ${t.name.padEnd(width)}  ${count(t.rows).padStart(10)}`);
}

export async function main(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err);
  }
}

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
  }
  if (err instanceof CliError) {
    console.error(`Error: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof DataDirLockedError) {
    console.error(`Error: ${err.message}`);
    return 1;
  }
  if (err instanceof AppError) {
    const fields =
      err.details?.fields?.map((f) => `\n  ${f.path}: ${f.text?.en ?? f.message}`) ?? [];
    console.error(`Error (${err.code}): ${err.messageIn('en')}${fields.join('')}`);
    return 1;
  }
  console.error(err);
  return 1;
}
