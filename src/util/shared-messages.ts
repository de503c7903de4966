/**
 * One copy of a message that many findings of a cross-resource control repeat word for word (every Pod of a
 * namespace without a NetworkPolicy, every Pod of the same ServiceAccount): a control's violations all live until
 * the scan has stored them, and 200,000 copies of the same sentence cost about 35 MB. Bounded, so keys that are
 * all different cost no more than making each message.
 */
const MAX_SHARED = 4096;

export class SharedMessages<K> {
  private readonly messages = new Map<K, string>();

  /** The message for `key`, made by `make` the first time (the same key must always make the same message). */
  get(key: K, make: () => string): string {
    const known = this.messages.get(key);
    if (known !== undefined) return known;
    const message = make();
    if (this.messages.size < MAX_SHARED) this.messages.set(key, message);
    return message;
  }
}
