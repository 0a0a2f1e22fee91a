/** Delivers a JSON body to an external party's endpoint, signed with the secret named by `secretEnv`. */
export interface WebhookPort {
  post(
    url: string,
    body: Record<string, unknown>,
    options: { secretEnv?: string; idempotencyKey: string },
  ): Promise<void>;
}
