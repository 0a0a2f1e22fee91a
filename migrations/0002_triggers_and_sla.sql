CREATE TABLE `systemic_members` (
	`escalation_id` text NOT NULL,
	`issue_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `systemic_members_uq` ON `systemic_members` (`escalation_id`,`issue_id`);--> statement-breakpoint
CREATE INDEX `systemic_members_issue_idx` ON `systemic_members` (`issue_id`);--> statement-breakpoint
CREATE TABLE `trigger_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`kind` text NOT NULL,
	`verdict` text NOT NULL,
	`reason` text,
	`matched` text NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trigger_feedback_kind_idx` ON `trigger_feedback` (`kind`,`at`);--> statement-breakpoint
CREATE TABLE `trigger_firings` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`kind` text NOT NULL,
	`escalation_id` text,
	`fired_at` integer NOT NULL,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trigger_firings_issue_kind_idx` ON `trigger_firings` (`issue_id`,`kind`,`fired_at`);--> statement-breakpoint
CREATE TABLE `trigger_hits` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`kind` text NOT NULL,
	`evidence` text NOT NULL,
	`matched` text NOT NULL,
	`created_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trigger_hits_pending_idx` ON `trigger_hits` (`created_at`) WHERE processed_at is null;--> statement-breakpoint
ALTER TABLE `escalations` ADD `status_note` text;--> statement-breakpoint
ALTER TABLE `issues` ADD `first_response_due_at` integer;--> statement-breakpoint
ALTER TABLE `issues` ADD `resolve_due_at` integer;--> statement-breakpoint
ALTER TABLE `issues` ADD `first_response_breached_at` integer;--> statement-breakpoint
ALTER TABLE `issues` ADD `resolve_breached_at` integer;--> statement-breakpoint
ALTER TABLE `issues` ADD `last_resolved_at` integer;--> statement-breakpoint
CREATE INDEX `issues_first_response_due_idx` ON `issues` (`first_response_due_at`) WHERE first_response_at is null and first_response_breached_at is null;--> statement-breakpoint
CREATE INDEX `issues_resolve_due_idx` ON `issues` (`resolve_due_at`) WHERE status != 'resolved' and resolve_breached_at is null;--> statement-breakpoint
ALTER TABLE `people` ADD `email` text;