CREATE TABLE `escalation_events` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`source` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `escalation_events_escalation_idx` ON `escalation_events` (`escalation_id`,`at`);--> statement-breakpoint
CREATE TABLE `escalations` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`issue_id` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`path` text NOT NULL,
	`level` integer NOT NULL,
	`path_snapshot` text NOT NULL,
	`priority` text NOT NULL,
	`trigger` text NOT NULL,
	`evidence` text NOT NULL,
	`reason` text NOT NULL,
	`reason_category` text,
	`parent_id` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`ack_due_at` integer,
	`resolve_due_at` integer,
	`claimed_by` text,
	`claimed_at` integer,
	`resolved_by` text,
	`resolved_at` integer,
	`resolution_note` text,
	`root_cause` text,
	`bounced_by` text,
	`bounced_at` integer,
	`bounce_reason` text,
	`superseded_by` text,
	`card_channel` text,
	`card_message_id` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalations_number_uq` ON `escalations` (`number`);--> statement-breakpoint
CREATE INDEX `escalations_issue_idx` ON `escalations` (`issue_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `escalations_one_active_uq` ON `escalations` (`issue_id`) WHERE status in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX `escalations_ack_due_idx` ON `escalations` (`status`,`ack_due_at`);--> statement-breakpoint
CREATE INDEX `escalations_resolve_due_idx` ON `escalations` (`status`,`resolve_due_at`);--> statement-breakpoint
CREATE TABLE `issues` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`channel` text NOT NULL,
	`thread_id` text NOT NULL,
	`path` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`customer_id` text,
	`opened_by` text NOT NULL,
	`opened_at` integer NOT NULL,
	`first_response_at` integer,
	`last_customer_message_at` integer,
	`message_count` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issues_thread_uq` ON `issues` (`channel`,`thread_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `issues_number_uq` ON `issues` (`number`);--> statement-breakpoint
CREATE INDEX `issues_channel_status_opened_idx` ON `issues` (`channel`,`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`author_id` text NOT NULL,
	`author_role` text NOT NULL,
	`text` text NOT NULL,
	`sent_at` integer NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_platform_uq` ON `messages` (`channel`,`message_id`);--> statement-breakpoint
CREATE INDEX `messages_issue_sent_idx` ON `messages` (`issue_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`order_key` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_seq_uq` ON `outbox` (`seq`);--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`status`,`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_order_key_idx` ON `outbox` (`order_key`,`status`,`seq`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
