import { runAdmin } from './cli.js';

/**
 * `npx helpdesk …` / `npm run admin -- …`: the admin command line (bin/helpdesk.mjs runs this, compiled
 * or through tsx). It reads the same environment as the bot (DATABASE_URL, ORG_FILE, HOSPITAL_TZ …),
 * from the working directory it is started in.
 */
// Output piped into a command that stops reading early (`helpdesk outbox list | head`) is not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await runAdmin(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  now: () => new Date(),
});
process.exitCode = code;
// Every command closes what it opened; should a driver still hold the process, it ends anyway.
setTimeout(() => process.exit(code), 2000).unref();
