import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The parts of a Slack app manifest (schema v1) this test looks at. */
interface SlackManifest {
  _metadata?: { major_version?: number; minor_version?: number };
  display_information: { name: string; description?: string; long_description?: string };
  features?: {
    bot_user?: { display_name: string; always_online?: boolean };
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    slash_commands?: { command: string; description: string; usage_hint?: string; url?: string }[];
    shortcuts?: { name: string; type: 'message' | 'global'; callback_id: string; description: string }[];
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const manifestPath = fileURLToPath(new URL('../../manifest/slack-app.yaml', import.meta.url));
const manifest = parse(readFileSync(manifestPath, 'utf8')) as SlackManifest;

/** Escalator serves commands, events, shortcuts and interactivity on this one Request URL. */
const eventsUrl = 'https://YOUR-HOST/slack/events';

describe('manifest/slack-app.yaml', () => {
  it('is a v1 manifest for the Escalator app with an always-online bot user', () => {
    expect(manifest._metadata?.major_version).toBe(1);
    expect(manifest.display_information.name).toBe('Escalator');
    expect(manifest.display_information.long_description?.length).toBeGreaterThanOrEqual(175);
    expect(manifest.features?.bot_user).toEqual({ display_name: 'escalator', always_online: true });
  });

  it.each([
    ['/escalate', '[thread link] [reason]'],
    ['/escalation-digest', '[this week|last week|YYYY-Www] [path]'],
  ])('has the slash command %s pointing at /slack/events', (command, usageHint) => {
    const found = manifest.features?.slash_commands?.find((c) => c.command === command);
    expect(found, `slash command ${command} is missing`).toBeDefined();
    expect(found?.url).toBe(eventsUrl);
    expect(found?.usage_hint).toBe(usageHint);
  });

  it('has the message shortcut "Escalate thread" with callback id escalate_thread', () => {
    const shortcut = manifest.features?.shortcuts?.find((s) => s.callback_id === 'escalate_thread');
    expect(shortcut).toMatchObject({ name: 'Escalate thread', type: 'message' });
  });

  it('subscribes to channel messages and mentions at /slack/events', () => {
    const events = manifest.settings?.event_subscriptions;
    expect(events?.request_url).toBe(eventsUrl);
    expect(events?.bot_events).toEqual(expect.arrayContaining(['message.channels', 'app_mention']));
  });

  it('enables the Home tab ("My escalations") and subscribes to app_home_opened', () => {
    expect(manifest.features?.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: false });
    expect(manifest.settings?.event_subscriptions?.bot_events).toContain('app_home_opened');
  });

  it('asks for the bot scopes Escalator cannot work without', () => {
    expect(manifest.oauth_config?.scopes?.bot).toEqual(
      expect.arrayContaining([
        'chat:write',
        'commands',
        'channels:history',
        'app_mentions:read',
        'files:write',
      ]),
    );
  });

  it('enables interactivity at /slack/events, in HTTP mode by default', () => {
    expect(manifest.settings?.interactivity).toMatchObject({ is_enabled: true, request_url: eventsUrl });
    expect(manifest.settings?.socket_mode_enabled).toBe(false);
  });
});
