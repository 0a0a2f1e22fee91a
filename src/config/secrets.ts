/**
 * Looks up a secret the policy names by variable (`webhook.secretEnv`), so secrets stay in the
 * environment and out of the policy file. Config is the only place that reads `process.env`.
 */
export function secretLookup(source: Record<string, string | undefined> = process.env) {
  return (name: string): string | undefined => {
    const value = source[name]?.trim();
    return value ? value : undefined;
  };
}
