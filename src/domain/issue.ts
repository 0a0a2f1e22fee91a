import type { Policy, Priority } from './policy.js';

/** One tracked support thread. */
export type IssueStatus = 'open' | 'escalated' | 'resolved';

export interface Issue {
  id: string;
  number: number;
  /** Prefixed support channel id, e.g. `slack:C0SUPPORT`. */
  channel: string;
  /** Platform id of the thread root (Slack `ts` of the first message). */
  threadId: string;
  path: string;
  priority: Priority;
  status: IssueStatus;
  customerId: string | null;
  openedBy: string;
  openedAt: Date;
  firstResponseAt: Date | null;
  lastCustomerMessageAt: Date | null;
  messageCount: number;
  updatedAt: Date;
  /** SLA deadlines for the issue's priority on its clock; null when the priority has no target. */
  firstResponseDueAt: Date | null;
  resolveDueAt: Date | null;
  /** When the checker handled a breach (so it fires once). */
  firstResponseBreachedAt: Date | null;
  resolveBreachedAt: Date | null;
  /** The last time an escalation of the issue was resolved; triggers re-arm after it. */
  lastResolvedAt: Date | null;
}

export type AuthorRole = 'customer' | 'staff';

export interface ThreadMessage {
  id: string;
  issueId: string;
  /** Platform id of the message (Slack `ts`), unique within the channel. */
  messageId: string;
  authorId: string;
  authorRole: AuthorRole;
  text: string;
  sentAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** The author as the platform reports them. */
export interface Author {
  /** Prefixed user id, e.g. `slack:U0123`. */
  id: string;
  /** The author's own workspace (Slack `user_team`) or Microsoft tenant, to tell guests and customers apart. */
  teamId?: string;
  /**
   * Set only by the simulated local workspace (`adapters/local`), whose personas say what they are
   * (a customer, an agent): it has no workspaces or tenants to tell staff from customers by, and
   * its persona ids must not have to be listed in the policy's `staff`. Real platforms leave it out.
   */
  role?: AuthorRole;
}

/**
 * Staff are the people the policy lists, or anyone from the home workspace; everyone else in a
 * support channel (Slack Connect guests, shared-channel members) is a customer. An author whose
 * role is given (a persona of the local workspace) is what it says.
 */
export function roleOf(author: Author, policy: Policy): AuthorRole {
  if (author.role) return author.role;
  if (policy.staff.userIds.includes(author.id)) return 'staff';
  if (!author.teamId) return 'customer';
  const homeTeams = author.id.startsWith('teams:') ? policy.staff.teamsTenantIds : policy.staff.slackTeamIds;
  if (homeTeams.includes(author.teamId)) return 'staff';
  return 'customer';
}
