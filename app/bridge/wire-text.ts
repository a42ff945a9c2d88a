/**
 * The JSON text a message arrived as, kept so the bridge forwards it without serialising it
 * again: for a large result that is most of the bridge's own CPU and latency. It stays true
 * because the bridge never mutates a message it received (its replies and replays are new
 * objects), and a message without kept text is serialised as usual.
 */
const texts = new WeakMap<object, string>();

export function keepWireText(message: object, text: string): void {
  texts.set(message, text);
}

/** The text the message arrived as, if it has one. */
export function keptText(message: object): string | undefined {
  return texts.get(message);
}

/** The message as JSON text: the text it arrived as, if any. */
export function wireText(message: object): string {
  return texts.get(message) ?? JSON.stringify(message);
}

/** The message as one line of JSON (the kept text only when it has no line break). */
export function wireLine(message: object): string {
  const text = texts.get(message);
  return text !== undefined && !text.includes('\n') && !text.includes('\r')
    ? text
    : JSON.stringify(message);
}
