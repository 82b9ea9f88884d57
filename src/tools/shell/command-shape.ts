/**
 * A PLAN_SHELL_ALLOW entry: a program (a name looked up on PATH, or an absolute path, compared exactly) and the literal
 * words its arguments must start with; a final `*` allows any further arguments (none included). Without `*` the
 * arguments must be exactly the words: `git status` allows only `git status`, and a bare `ls` only `ls` with none.
 * Words are separated by whitespace and never quoted, so an argument containing a space cannot be allowed by itself.
 */
export interface CommandShape {
  /** The entry as normalised, for messages. */
  text: string;
  program: string;
  words: readonly string[];
  /** Ended in `*`: any further arguments are allowed. */
  open: boolean;
}

const ANY_REST = '*';

/** Parses one PLAN_SHELL_ALLOW entry; throws on one that cannot mean what its author wanted. */
export function parseCommandShape(entry: string): CommandShape {
  const [program = '', ...rest] = entry.trim().split(/\s+/);
  const open = rest.at(-1) === ANY_REST;
  const words = open ? rest.slice(0, -1) : rest;
  if (program === '' || program === ANY_REST) {
    throw new Error(`PLAN_SHELL_ALLOW entry "${entry}" must start with a program name or absolute path`);
  }
  if (words.includes(ANY_REST)) {
    throw new Error(`PLAN_SHELL_ALLOW entry "${entry}": "*" may only be the last word (it stands for the rest)`);
  }
  return { text: [program, ...rest].join(' '), program, words, open };
}

/** Whether `shape` allows running `command` with exactly these arguments. */
export function shapeAllows(shape: CommandShape, command: string, args: readonly string[]): boolean {
  if (shape.program !== command) return false;
  if (shape.open ? args.length < shape.words.length : args.length !== shape.words.length) return false;
  return shape.words.every((word, i) => args[i] === word);
}

const LISTED_IN_MESSAGE = 10;
const COMMAND_IN_MESSAGE = 200;

/**
 * Null when a shape allows the call; otherwise why not, naming the closest allowed shape of the same program (the
 * one whose literal words match most of the leading arguments) or, for an unlisted program, what is allowed.
 */
export function commandRefusal(
  shapes: readonly CommandShape[],
  command: string,
  args: readonly string[],
): string | null {
  if (shapes.some((shape) => shapeAllows(shape, command, args))) return null;
  const call = `shell may not run ${render(command, args)}`;
  if (shapes.length === 0) {
    return `${call}: the worker's PLAN_SHELL_ALLOW is empty; list command shapes there, e.g. "git status,git log *"`;
  }
  const own = shapes.filter((shape) => shape.program === command);
  if (own.length === 0) {
    const listed = shapes.slice(0, LISTED_IN_MESSAGE).map((shape) => `"${shape.text}"`);
    const more = shapes.length > LISTED_IN_MESSAGE ? ` and ${shapes.length - LISTED_IN_MESSAGE} more` : '';
    const allowed = `${listed.join(', ')}${more}`;
    return `${call}: the worker's PLAN_SHELL_ALLOW has no shape for "${command}"; it allows ${allowed}`;
  }
  const closest = own.reduce((best, shape) => (agreement(shape, args) > agreement(best, args) ? shape : best));
  const migration =
    closest.words.length === 0 && !closest.open
      ? `; a bare program name allows it only without arguments (in 0.1.0 it allowed any): ` +
        `list "${command} *" to allow any, or the exact shapes you need`
      : '';
  return (
    `${call}: the closest shape in the worker's PLAN_SHELL_ALLOW is "${closest.text}" ` +
    `(a shape is a program and literal arguments, a final "*" allowing any others)${migration}`
  );
}

/** How many of the shape's words the arguments start with. */
function agreement(shape: CommandShape, args: readonly string[]): number {
  const differs = shape.words.findIndex((word, i) => args[i] !== word);
  return differs === -1 ? shape.words.length : differs;
}

/** The call as a reader would type it: words with spaces or quotes JSON-quoted, long calls shortened. */
function render(command: string, args: readonly string[]): string {
  const text = [command, ...args].map((word) => (/^[^\s"'\\]+$/.test(word) ? word : JSON.stringify(word))).join(' ');
  return text.length > COMMAND_IN_MESSAGE ? `${text.slice(0, COMMAND_IN_MESSAGE)}...` : text;
}
