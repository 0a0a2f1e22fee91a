import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { DigestChart } from '../../src/domain/digest/chart.js';
import { DeliveryError } from '../../src/ports/chat-port.js';

/** Slack's upload URL is outside the Web API (files.slack.com); give a slow one this long. */
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * Posts a card with its chart as ONE message: the chart is uploaded as a PNG
 * (`files.getUploadURLExternal`, the bytes to the upload URL, then `files.completeUploadExternal`)
 * and shared to the channel with the card's blocks. Nothing is posted until the last call, so a
 * failed step is simply retried by the outbox without leaving half a digest behind.
 */
export async function postChartCard(
  client: WebClient,
  call: <T>(request: () => Promise<T>) => Promise<T>,
  input: { channelId: string; chart: DigestChart; blocks: KnownBlock[] },
): Promise<{ fileId: string }> {
  // Vega and resvg are loaded for the first chart, not at start: most hours draw none.
  const { renderDigestChartPng } = await import('../chart/render-digest-chart.js');
  const png = await renderDigestChartPng(input.chart);
  const filename = `${
    input.chart.title
      .replace(/[^\w-]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'chart'
  }.png`;
  const target = await call(() => client.files.getUploadURLExternal({ filename, length: png.length }));
  if (!target.upload_url || !target.file_id) {
    throw new DeliveryError('Slack gave no upload URL for the chart', true);
  }
  await uploadBytes(target.upload_url, png);
  await call(() =>
    client.files.completeUploadExternal({
      files: [{ id: target.file_id!, title: input.chart.title }],
      channel_id: input.channelId,
      blocks: forFileShare(input.blocks),
    }),
  );
  return { fileId: target.file_id };
}

async function uploadBytes(url: string, bytes: Uint8Array): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: Buffer.from(bytes),
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    throw new DeliveryError(`the chart upload did not reach Slack: ${(error as Error).message}`, true);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new DeliveryError(
      `Slack answered HTTP ${response.status} to the chart upload`,
      response.status >= 500 || response.status === 429,
      response.status === 429 && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
}

/**
 * A file share message takes blocks, but Slack accepts fewer kinds there than in chat.postMessage
 * (section and rich_text are known to work): the header becomes a bold section and link buttons
 * become links in a section. Digest cards have no action buttons.
 */
export function forFileShare(blocks: KnownBlock[]): KnownBlock[] {
  return blocks.map((block): KnownBlock => {
    if (block.type === 'header') {
      return { type: 'section', text: { type: 'mrkdwn', text: `*${block.text.text}*` } };
    }
    if (block.type === 'actions') {
      const links = block.elements.flatMap((e) =>
        e.type === 'button' && e.url ? [`<${e.url}|${e.text.text}>`] : [],
      );
      return { type: 'section', text: { type: 'mrkdwn', text: links.join(' · ') || ' ' } };
    }
    if (block.type === 'context') {
      const text = block.elements.map((e) => ('text' in e ? e.text : '')).join(' · ');
      return { type: 'section', text: { type: 'mrkdwn', text: `_${text}_` } };
    }
    return block;
  });
}
