const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?\d+$/;

const keepExact = (token: string): string =>
  token[0] !== '"' &&
  INTEGER_LITERAL.test(token) &&
  !Number.isSafeInteger(Number(token))
    ? `"${token}"`
    : token;

/**
 * JSON.parse that keeps integer literals beyond 2^53 exact, as strings of
 * digits. Node 20's JSON.parse gives a reviver no access to the source text,
 * so the literals are quoted before parsing. Strings are matched whole first,
 * so digits inside them are never touched. Slower than JSON.parse: it is only
 * used on the rare element where the fast parse lost digits.
 */
export const parseJsonExact = (text: string): unknown =>
  JSON.parse(text.replace(TOKENS, keepExact));
