/**
 * The same text as one flat string. V8's `JSON.stringify` returns a rope (a tree of cons
 * strings, its builder's parts doubling from 32 characters) for all but short texts: kept for
 * long, a 300-character state was about six heap objects for the collector to mark instead
 * of one. Converting the text to a number flattens it in place (the trick of pino's
 * `flatstr`), and the scavenger then drops the rope's nodes.
 */
export function flatText(text: string): string {
  Number(text);
  return text;
}
