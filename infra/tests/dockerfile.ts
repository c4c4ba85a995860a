/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages; enough for the plain files of this repository. */
export const parseDockerfile = (text: string): Stage[] => {
  const logicalLines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

  const stages: Stage[] = [];
  for (const line of logicalLines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [from, , name] = args.split(/\s+/);
      stages.push({ from, name, instructions: [] });
    } else {
      stages
        .at(-1)
        ?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
};

export const argsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** `COPY [--from=x] src... dest`, in either the shell or the JSON form. */
export const parseCopy = (args: string) => {
  const words = args.trim().startsWith('[')
    ? (JSON.parse(args) as string[])
    : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  return {
    from: flags.find((f) => f.startsWith('--from='))?.slice('--from='.length),
    sources: paths.slice(0, -1),
    destination: paths.at(-1),
  };
};

/** The exec-form command of `HEALTHCHECK [options] CMD [...]`. */
export const healthcheckCommand = (args: string): string[] => {
  const match = /\bCMD\s+(\[.*\])\s*$/.exec(args);
  if (!match) throw new Error(`HEALTHCHECK without an exec-form CMD: ${args}`);
  return JSON.parse(match[1]) as string[];
};

/** `ENV A=1 B=2` instructions of a stage, merged. */
export const envOf = (stage: Stage): Record<string, string> =>
  Object.fromEntries(
    argsOf(stage, 'ENV').flatMap((args) =>
      args.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]),
    ),
  );
