const COLOURS = [36, 32, 33, 35, 34, 31];

/**
 * Writes each process's lines as `name │ line`, names padded to one width
 * and, on a terminal, each in its own colour.
 */
export const createPrefixedPrinter = (
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  names: readonly string[],
): ((name: string, line: string) => void) => {
  const width = Math.max(...names.map((name) => name.length));
  return (name, line) => {
    const label = name.padEnd(width);
    const colour = COLOURS[names.indexOf(name) % COLOURS.length];
    const prefix =
      stream.isTTY && colour !== undefined
        ? `\x1b[${colour}m${label} │\x1b[0m`
        : `${label} │`;
    stream.write(`${prefix} ${line}\n`);
  };
};
