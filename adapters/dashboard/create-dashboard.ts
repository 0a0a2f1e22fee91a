import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppContext } from '../../src/app/context.js';
import { dashboardReport } from '../../src/app/dashboard/dashboard-report.js';
import { escalationHistory } from '../../src/app/dashboard/escalation-history.js';
import { listOpenEscalations } from '../../src/app/dashboard/list-open-escalations.js';
import type { ThreadRef } from '../../src/domain/ids.js';
import type { Logger } from '../../src/ports/logger.js';
import { threadUrl } from '../shared/thread-url.js';
import { sendBody, sendError, sendJson } from './http-answers.js';
import { loadWebAssets } from './web-assets.js';

/** Where the dashboard is mounted; everything it serves is under it. */
export const DASHBOARD_PATH = '/dashboard';

export interface DashboardOptions {
  /** Thread links to Slack go through the workspace when known, slack.com/archives otherwise. */
  slackWorkspaceUrl?: string;
  /** Channels the local workspace simulates: their threads open there, not on a platform. */
  simulated?: (channel: string) => boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray) => Promise<void>;

/** Escalation ids as the core writes them; anything else is not looked up. */
const ESCALATION_ID = '(esc_[A-Za-z0-9]+)';

/**
 * The dashboard: the page (`/dashboard`, `/dashboard/escalations/<id>`), its script and style, and
 * the JSON it reads (`/dashboard/api/…`, see docs/dashboard.md). Read-only: every route is a GET.
 * Wrap it in `privateAccess` before mounting.
 */
export function createDashboard(
  ctx: AppContext,
  log: Logger,
  options: DashboardOptions = {},
): RequestListener {
  const assets = loadWebAssets();
  const link = (thread: ThreadRef) => threadUrl(thread, options.slackWorkspaceUrl, options.simulated);
  const page: Handler = async (_req, res) =>
    sendBody(res, 200, assets['index.html'].contentType, assets['index.html'].body);

  const routes: Array<[RegExp, Handler]> = [
    [/^\/dashboard\/?$/, page],
    [new RegExp(`^/dashboard/escalations/${ESCALATION_ID}$`), page],
    [
      /^\/dashboard\/(dashboard\.js|dashboard\.css)$/,
      async (_req, res, _url, match) => {
        const asset = assets[match[1] as 'dashboard.js' | 'dashboard.css'];
        sendBody(res, 200, asset.contentType, asset.body);
      },
    ],
    [
      /^\/dashboard\/api\/open$/,
      async (_req, res) => {
        const open = await listOpenEscalations(ctx);
        sendJson(res, 200, {
          ...open,
          // Times read as on the cards and in the digest: in the policy's time zone, not the browser's.
          timeZone: ctx.policy.timezone,
          escalations: open.escalations.map((e) => ({ ...e, threadUrl: link(e.thread) })),
        });
      },
    ],
    [
      new RegExp(`^/dashboard/api/escalations/${ESCALATION_ID}$`),
      async (_req, res, _url, match) => {
        const history = await escalationHistory(ctx, match[1]!);
        if (!history) return sendError(res, 404, `No escalation ${match[1]}: it may have been erased.`);
        const { thread } = history.escalation;
        sendJson(res, 200, {
          ...history,
          timeZone: ctx.policy.timezone,
          escalation: { ...history.escalation, threadUrl: thread ? link(thread) : null },
        });
      },
    ],
    [
      /^\/dashboard\/api\/digest$/,
      async (_req, res, url) => {
        const answer = await dashboardReport(ctx, periodText(url));
        if (!answer.ok) return sendError(res, 400, answer.message);
        sendJson(res, 200, answer.view);
      },
    ],
    [
      /^\/dashboard\/api\/chart\.(svg|png)$/,
      async (_req, res, url, match) => {
        const answer = await dashboardReport(ctx, periodText(url));
        if (!answer.ok) return sendError(res, 400, answer.message);
        // Vega loads only when a chart is first asked for, as the Slack digest does.
        const chart = await import('../chart/render-digest-chart.js');
        if (match[1] === 'svg') {
          sendBody(res, 200, 'image/svg+xml', await chart.renderDigestChartSvg(answer.report.chart));
        } else {
          sendBody(res, 200, 'image/png', await chart.renderDigestChartPng(answer.report.chart));
        }
      },
    ],
  ];

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const found = routes
      .map(([pattern, handler]) => [pattern.exec(url.pathname), handler] as const)
      .find(([match]) => match !== null);
    if (!found)
      return sendError(res, 404, `Nothing at ${url.pathname}. The dashboard is at ${DASHBOARD_PATH}.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, 'The dashboard only reads: use GET.');
    }
    const [match, handler] = found;
    handler(req, res, url, match!).catch((error: Error) => {
      log.error({ path: url.pathname, error: error.message }, 'dashboard request failed');
      if (!res.headersSent) sendError(res, 500, 'The dashboard could not answer; the log says why.');
      else res.end();
    });
  };
}

/** `?period=last week&path=tech` or `?period=last week tech`: the words of `/escalation-digest`. */
function periodText(url: URL): string {
  const period = url.searchParams.get('period') ?? '';
  const path = url.searchParams.get('path') ?? '';
  return `${period} ${path}`.trim();
}
