/**
 * Runs a command's main function and exits with its code once stdout is
 * flushed; an error is printed as its message and exits with 1.
 */
export const runCli = (main: () => Promise<number>): void => {
  const exit = (code: number) =>
    process.stdout.write('', () => process.exit(code));
  main().then(exit, (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n`,
    );
    exit(1);
  });
};
