import { buildBot, type Bot } from './app.js';
import { hospitalTimeZone } from './organisation.js';
import { yearsWithoutHolidayData } from './calendar.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, providerOf, type Db } from './db/client.js';
import { InstanceHeartbeat } from './instances.js';
import { anyUsableToken } from './tokens/store.js';
import { unsafeSettings } from './unsafe-settings.js';
import { migrateDatabase } from './db/migrate.js';
import { Directory } from './org/directory.js';
import { loadOrgFile, OrgFileError } from './org/load.js';
import { localDate } from './time.js';

/**
 * `npm start`: validate config, migrate the database, load the organisation, serve. The server
 * listens (and `/healthz` answers) as soon as the database is migrated and the routes are in
 * place; the rest of the start (the organisation's copy in the database, the roster, the warm-up,
 * the platforms' connections) follows, and events that arrive meanwhile wait for what they need.
 */
async function main(): Promise<void> {
  // SIGHUP reloads the organisation file: one reload at a time, from when the bot is serving.
  let reload = async (): Promise<void> => undefined;
  let serving!: () => void;
  let reloads = new Promise<void>((resolve) => (serving = resolve));
  process.on('SIGHUP', () => {
    reloads = reloads.then(() => reload());
  });
  const config = loadConfig();
  const directory = new Directory(loadOrgFile(config.ORG_FILE));
  const migration = await migrateDatabase(config.DATABASE_URL);
  const db = await openDatabase(config.DATABASE_URL);

  const bot = buildBot({ config, db, directory, syncOrganisation: true, warmUp: true });
  bot.app.log.info({ migrations: migration.status, applied: migration.applied }, 'database migrations');
  if (migration.modified.length > 0) {
    bot.app.log.warn({ migrations: migration.modified }, 'these applied migrations have changed since they were applied: they are not applied again');
  }
  // One line for each setting unsafe where the bot runs (the operator reads them at every start).
  const heartbeat = providerOf(db) === 'sqlite' ? new InstanceHeartbeat(db) : undefined;
  await warnUnsafeSettings(bot, config, db, heartbeat);
  await heartbeat?.start();
  let stopping = false;
  reload = () => (stopping ? Promise.resolve() : reloadOrgFile(bot, config.ORG_FILE));
  let started: Promise<void> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const limit = config.SHUTDOWN_TIMEOUT_MS;
    bot.app.log.info({ signal, withinMs: limit }, 'shutting down');
    // Whatever hangs (a send, the database), the process is gone by the limit.
    setTimeout(() => {
      bot.app.log.error({ withinMs: limit }, 'not stopped within SHUTDOWN_TIMEOUT_MS: exiting with work still running; the outbox keeps what is unsent');
      process.exit(1);
    }, limit);
    // A start still under way finishes first, so nothing it starts outlives the stop.
    await started.catch(() => undefined);
    const clean = await bot.stop({ withinMs: Math.max(limit - 1_000, Math.floor(limit / 2)) });
    await heartbeat?.stop();
    await db.$disconnect();
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await bot.app.listen({ port: config.PORT, host: config.HOST });
  started = bot.start();
  await started;
  bot.app.log.info({ sinceSpawnMs: Math.round(process.uptime() * 1000) }, 'start-up work done');
  serving();
  const timeZone = hospitalTimeZone(config, directory);
  const year = Number(localDate(new Date(), timeZone).slice(0, 4));
  const unknown = yearsWithoutHolidayData([year, year + 1]);
  if (unknown.length > 0) {
    bot.app.log.warn(
      { years: unknown },
      'the Chinese holiday data has no public holidays for these years: update chinese-days, list the days under hospital.calendar in the organisation file, or set them in chat (节假日 2027-01-01 休)',
    );
  }
  bot.app.log.info(
    { simulator: config.simulator, org: config.ORG_FILE, people: directory.allPeople().length, timeZone },
    config.simulator ? `simulator: http://${config.HOST}:${config.PORT}/simulator` : 'ready',
  );
}

/** Logs a warning line for each setting unsafe where the bot runs; what cannot be read is not held against it. */
async function warnUnsafeSettings(bot: Bot, config: Config, db: Db, heartbeat: InstanceHeartbeat | undefined): Promise<void> {
  const [storedTokens, otherInstances] = await Promise.all([anyUsableToken(db).catch(() => false), heartbeat?.others().catch(() => []) ?? []]);
  for (const { setting, message } of unsafeSettings(config, { storedTokens, otherInstances })) bot.app.log.warn({ setting }, message);
}

/**
 * Reads and checks the organisation file again and puts it in force. A file with a mistake is
 * refused as at start (file:line:column), and the one in force stays; so it does when its copy in
 * the database cannot be written.
 */
async function reloadOrgFile(bot: Bot, file: string): Promise<void> {
  const log = bot.app.log;
  let directory: Directory;
  try {
    directory = new Directory(loadOrgFile(file));
  } catch (err) {
    if (err instanceof OrgFileError) log.error({ org: file, problems: err.problems }, `organisation file not reloaded, the one in force stays. ${err.message}`);
    else log.error({ err, org: file }, 'organisation file not reloaded, the one in force stays');
    return;
  }
  try {
    await bot.reloadOrganisation(directory);
  } catch (err) {
    log.error({ err, org: file }, 'organisation file not reloaded, the one in force stays: its copy in the database could not be written');
    return;
  }
  log.info({ org: file, people: directory.allPeople().length, timeZone: bot.organisation.timeZone }, 'organisation file reloaded');
}

main().catch((err: unknown) => {
  // Configuration mistakes are the admin's to fix: print them plainly, without a stack trace.
  if (err instanceof ConfigError || err instanceof OrgFileError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
