CREATE TABLE `deflections` (
	`id` text PRIMARY KEY NOT NULL,
	`issue_id` text NOT NULL,
	`entry_id` text NOT NULL,
	`path` text NOT NULL,
	`actor` text NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `knowledge_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deflections_at_idx` ON `deflections` (`at`);--> statement-breakpoint
CREATE TABLE `knowledge_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`escalation_number` integer NOT NULL,
	`issue_id` text NOT NULL,
	`issue_number` integer NOT NULL,
	`channel` text NOT NULL,
	`thread_id` text NOT NULL,
	`path` text NOT NULL,
	`problem` text NOT NULL,
	`resolution_note` text NOT NULL,
	`root_cause` text NOT NULL,
	`answer` text,
	`resolved_by` text NOT NULL,
	`resolved_at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_entries_escalation_uq` ON `knowledge_entries` (`escalation_id`);--> statement-breakpoint
CREATE INDEX `knowledge_entries_resolved_idx` ON `knowledge_entries` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `knowledge_entries_answer_idx` ON `knowledge_entries` (`resolved_at`) WHERE answer is not null;--> statement-breakpoint
ALTER TABLE `escalations` ADD `similar_past` text;--> statement-breakpoint
-- Escalations resolved before this migration become knowledge too, so suggestions start with the history.
INSERT INTO `knowledge_entries` (`id`, `escalation_id`, `escalation_number`, `issue_id`, `issue_number`, `channel`, `thread_id`, `path`, `problem`, `resolution_note`, `root_cause`, `answer`, `resolved_by`, `resolved_at`)
SELECT 'kno_' || substr(e.`id`, 5), e.`id`, e.`number`, i.`id`, i.`number`, i.`channel`, i.`thread_id`, e.`path`,
  trim(coalesce((SELECT m.`text` FROM `messages` m WHERE m.`issue_id` = i.`id` AND m.`author_role` = 'customer' AND m.`deleted_at` IS NULL ORDER BY m.`sent_at` LIMIT 1), '') || char(10) || e.`reason`, char(32, 10)),
  coalesce(e.`resolution_note`, ''), e.`root_cause`, NULL, e.`resolved_by`, e.`resolved_at`
FROM `escalations` e JOIN `issues` i ON i.`id` = e.`issue_id`
WHERE e.`status` = 'resolved' AND e.`root_cause` IS NOT NULL AND e.`resolved_by` IS NOT NULL AND e.`resolved_at` IS NOT NULL;
