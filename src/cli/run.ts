import { main } from './main';

// Entry point: one line on stderr for any failure, and a non-zero exit code.
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`tunetrace: ${e.message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
